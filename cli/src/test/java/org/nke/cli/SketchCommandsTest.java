package org.nke.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nke.io.NpyArray;
import org.nke.io.NpyReader;

/** {@code nke features, hermite, fit, predict, demo} end to end. */
class SketchCommandsTest extends CommandTest {
  @TempDir
  Path dir;

  /** Three Gaussian blobs in ℝ⁵ with integer labels. */
  private Path[] blobs(String name, int n, long seed) throws IOException {
    Random r = new Random(seed);
    StringBuilder x = new StringBuilder();
    StringBuilder y = new StringBuilder();
    for (int i = 0; i < n; i++) {
      int c = i % 3;
      for (int j = 0; j < 5; j++) {
        x.append(j > 0 ? "," : "").append(String.format(Locale.ROOT, "%.6f",
            r.nextGaussian() + (j == c ? 2.5 : 0)));
      }
      x.append('\n');
      y.append(c).append('\n');
    }
    Path px = dir.resolve(name + "-x.csv");
    Path py = dir.resolve(name + "-y.csv");
    Files.writeString(px, x);
    Files.writeString(py, y);
    return new Path[] {px, py};
  }

  @Test
  void featuresAreWrittenWithTheirWidthAndTheCheckReportsTheGramError() throws IOException {
    Path[] d = blobs("a", 300, 1);
    assertEquals(0, nke("features", "--arch", "Dense(W_std=1.5, b_std=0.1), Gelu(), Dense()", "--x",
        d[0].toString(), "--kind", "ntk", "--dim", "256", "--out", dir.resolve("F.npy").toString(),
        "--check", "100", "--backend", "cpu"), err);
    NpyArray f = NpyReader.read(dir.resolve("F.npy"));
    assertEquals(300, f.shape()[0]);
    assertTrue(f.shape()[1] <= 512 && f.shape()[1] > 400, "width " + f.shape()[1]);
    assertTrue(err.contains("check on 100 random points: relative Gram error 0.0"), err);
    // same seed, same bytes
    assertEquals(0, nke("features", "--arch", "Dense(W_std=1.5, b_std=0.1), Gelu(), Dense()", "--x",
        d[0].toString(), "--kind", "ntk", "--dim", "256", "--out", dir.resolve("G.npy").toString(),
        "--quiet"));
    assertTrue(java.util.Arrays.equals(Files.readAllBytes(dir.resolve("F.npy")),
        Files.readAllBytes(dir.resolve("G.npy"))));
    assertEquals(2, nke("features", "--arch", "Dense(), Relu()", "--x", d[0].toString(), "--kind",
        "ntk", "--dim", "7", "--out", dir.resolve("H.npy").toString()));
    assertTrue(!Files.exists(dir.resolve("H.npy")));
  }

  @Test
  void hermitePrintsCoefficientsAndTruncationError() {
    assertEquals(0, nke("hermite", "--act", "Gelu", "--degree", "6"));
    assertTrue(out.contains("Gelu()") && out.contains("truncated") && out.contains("folded"), out);
    assertEquals(0, nke("hermite", "--act", "Erf(a=2)", "--degree", "4", "--scale", "0.5"));
    assertEquals(2, nke("hermite", "--act", "Nope"));
  }

  @Test
  void fitAndPredictExactAndSketch() throws IOException {
    Path[] train = blobs("train", 240, 2);
    Path[] test = blobs("test", 90, 3);
    for (String method : new String[] {"exact", "sketch"}) {
      Path model = dir.resolve(method + ".nkem");
      assertEquals(0, nke("fit", "--arch", "Dense(W_std=1.5, b_std=0.1), Relu(), Dense()", "--x",
          train[0].toString(), "--labels", train[1].toString(), "--method", method, "--dim", "512",
          "--model", model.toString(), "--quiet"), err);
      assertTrue(err.contains("3 classes"), err);
      Path pred = dir.resolve(method + "-pred.csv");
      assertEquals(0, nke("predict", "--model", model.toString(), "--x", test[0].toString(), "--out",
          pred.toString(), "--labels", test[1].toString(), "--quiet"), err);
      double acc = Double.parseDouble(err.substring(err.indexOf("test accuracy = ") + 16).trim());
      assertTrue(acc > 0.85, method + " accuracy " + acc);
      assertEquals(90, Files.readAllLines(pred).size());
    }
    assertEquals(4, nke("predict", "--model", train[0].toString(), "--x", test[0].toString(), "--out",
        dir.resolve("p.csv").toString()));
  }

  @Test
  void demoRunsOnTheBundledData() {
    assertEquals(0, nke("demo", "--dims", "128", "--out-dir", dir.toString(), "--quiet"), err);
    assertTrue(out.contains("| exact NTK |") && out.contains("| NTK sketch m=128 |"), out);
    assertTrue(Files.exists(dir.resolve("nke-demo.png")) && Files.exists(dir.resolve("nke-demo.md")));
  }
}
