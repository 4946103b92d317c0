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
import org.nke.io.NpyReader;

/** Sparse inputs end to end: {@code nke features --method subspace}, fit and predict on libsvm files. */
class SubspaceCommandsTest extends CommandTest {
  private static final String ARCH = "Dense(W_std=1.5), Relu(), Dense(W_std=1.5), Relu(), Dense()";

  @TempDir
  Path dir;

  /** Sparse points in ℝ^2000 from three sparse prototypes, labelled by prototype (libsvm format). */
  private Path libsvm(String name, int n, long seed) throws IOException {
    Random r = new Random(seed);
    int[][] proto = new int[3][];
    Random pr = new Random(99);
    for (int c = 0; c < 3; c++) {
      proto[c] = pr.ints(0, 2000).distinct().limit(40).sorted().toArray();
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      int c = i % 3;
      sb.append(c);
      for (int j : proto[c]) {
        if (r.nextDouble() < 0.7) {
          sb.append(' ').append(j + 1).append(':').append(String.format(Locale.ROOT, "%.4f",
              1 + r.nextGaussian() * 0.3));
        }
      }
      sb.append('\n');
    }
    Path p = dir.resolve(name + ".svm");
    Files.writeString(p, sb);
    return p;
  }

  @Test
  void subspaceFeaturesOfSparseInputWithACheck() throws IOException {
    Path x = libsvm("x", 200, 1);
    assertEquals(0, nke("features", "--method", "subspace", "--arch", ARCH, "--x", x.toString(),
        "--kind", "nngp", "--dim", "512", "--out", dir.resolve("F.npy").toString(), "--check", "60",
        "--quiet", "--backend", "cpu"), err);
    assertEquals(200, NpyReader.read(dir.resolve("F.npy")).shape()[0]);
    assertTrue(err.contains("subspace embedding of degree") && err.contains("relative Gram error 0."),
        err);
    // --method sketch makes sparse points dense (they fit) and points to --method subspace
    assertEquals(0, nke("features", "--arch", ARCH, "--x", x.toString(), "--kind", "nngp", "--dim",
        "512", "--out", dir.resolve("G.npy").toString(), "--quiet", "--backend", "cpu"), err);
    assertTrue(err.contains("made dense for --method sketch"), err);
    assertEquals(2, nke("fit", "--method", "subspace", "--arch", ARCH, "--x", x.toString(), "--dim",
        "64", "--degree", "20", "--model", dir.resolve("m.nkem").toString(), "--quiet"));
    assertTrue(err.contains("--dim 64 is too small for the subspace embedding of degree 20")
        && err.contains("use --dim 128 or more"), err);
    assertEquals(2, nke("features", "--method", "subspace", "--arch", "Dense(b_std=0.1), Relu()",
        "--x", x.toString(), "--kind", "nngp", "--dim", "512", "--out", dir.resolve("H.npy").toString()));
  }

  @Test
  void theBackendAskedForIsCheckedBeforeAnyWork() throws IOException {
    Path x = libsvm("x", 30, 2);
    Path f = dir.resolve("F.npy");
    assertEquals(2, nke("features", "--method", "subspace", "--arch", ARCH, "--x", x.toString(),
        "--kind", "nngp", "--dim", "128", "--out", f.toString(), "--backend", "foo"), err);
    assertTrue(err.contains("foo"), err);
    // no GPU here: cuda asked for is exit 3 (elsewhere the features say they ran on the CPU)
    org.junit.jupiter.api.Assumptions.assumeFalse(new org.nke.cuda.CudaBackendProvider().probe()
        .available(), "a CUDA device is present");
    assertEquals(3, nke("features", "--method", "subspace", "--arch", ARCH, "--x", x.toString(),
        "--kind", "nngp", "--dim", "128", "--out", f.toString(), "--check", "3", "--backend",
        "cuda"), err);
    assertTrue(!Files.exists(f), "no output after a failed command");
  }

  @Test
  void epsilonChoosesTheDimensionFromTheStatisticalDimension() throws IOException {
    Path x = libsvm("x", 150, 4);
    assertEquals(0, nke("features", "--method", "subspace", "--arch", ARCH, "--x", x.toString(),
        "--kind", "ntk", "--epsilon", "0.9", "--ridge", "0.5", "--out", dir.resolve("F.npy").toString(),
        "--quiet", "--backend", "cpu"), err);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("so --dim (\\d+) \\((\\d+) features")
        .matcher(err);
    assertTrue(m.find(), err);
    // the count announced is the count written, NTK and NNGP
    int[] shape = NpyReader.read(dir.resolve("F.npy")).shape();
    assertEquals(Integer.parseInt(m.group(2)), shape[1], err);
    assertEquals(0, nke("features", "--method", "subspace", "--arch", ARCH, "--x", x.toString(),
        "--kind", "nngp", "--epsilon", "0.9", "--ridge", "0.5", "--out",
        dir.resolve("N.npy").toString(), "--quiet", "--backend", "cpu"), err);
    m = java.util.regex.Pattern.compile("so --dim (\\d+) \\((\\d+) features").matcher(err);
    assertTrue(m.find(), err);
    assertEquals(Integer.parseInt(m.group(2)), NpyReader.read(dir.resolve("N.npy")).shape()[1], err);
    // a tiny statistical dimension asks for fewer features than the degree's blocks need: raised
    assertEquals(0, nke("features", "--method", "subspace", "--arch", ARCH, "--x", x.toString(),
        "--kind", "ntk", "--epsilon", "0.99", "--ridge", "100", "--degree", "20", "--out",
        dir.resolve("R.npy").toString(), "--quiet", "--backend", "cpu"), err);
    assertTrue(err.contains("the smallest that fits the embedding's degree"), err);
    assertEquals(2, nke("features", "--method", "subspace", "--arch", ARCH, "--x", x.toString(),
        "--kind", "ntk", "--out", dir.resolve("G.npy").toString()));
    assertEquals(2, nke("features", "--arch", ARCH, "--x", x.toString(), "--kind", "ntk",
        "--epsilon", "0.5", "--out", dir.resolve("G.npy").toString()));
  }

  @Test
  void fitAndPredictOnLibsvmFilesWithTheirOwnLabels() throws IOException {
    Path train = libsvm("train", 240, 2);
    Path test = libsvm("test", 90, 3);
    Path model = dir.resolve("m.nkem");
    assertEquals(0, nke("fit", "--method", "subspace", "--arch", ARCH, "--x", train.toString(),
        "--dim", "512", "--model", model.toString(), "--quiet"), err);
    assertEquals(0, nke("predict", "--model", model.toString(), "--x", test.toString(), "--out",
        dir.resolve("p.csv").toString(), "--quiet"), err);
    double acc = Double.parseDouble(err.substring(err.indexOf("test accuracy = ") + 16).trim());
    assertTrue(acc > 0.95, "accuracy " + acc);
    // the exact method densifies sparse input when it fits
    assertEquals(0, nke("fit", "--arch", ARCH, "--x", train.toString(), "--model",
        dir.resolve("e.nkem").toString(), "--quiet"), err);
  }
}
