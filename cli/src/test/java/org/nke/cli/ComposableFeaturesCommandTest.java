package org.nke.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nke.io.MatrixWriter;
import org.nke.io.NpyReader;
import org.nke.spi.Precision;

/**
 * {@code nke features} in two runs composes with one run ({@code shared/spec/cli.md}, "Features that
 * compose"): bit for bit for the data-free plan, and through {@code --save-plan}/{@code --plan} for
 * what is fitted to data ({@code --adapt}, {@code --standardize}).
 */
class ComposableFeaturesCommandTest extends CommandTest {
  private static final String GELU = "Dense(W_std=1.5, b_std=0.1), Gelu(), Dense(W_std=1.5, "
      + "b_std=0.1), Tanh(), Dense()";
  private static final String CONV = "Conv(4, (3, 3), padding='SAME', W_std=1.4, b_std=0.1), Gelu(), "
      + "AvgPool((2, 2), strides=(2, 2)), Conv(4, (3, 3), padding='SAME', W_std=1.4), Relu(), "
      + "Flatten(), Dense()";

  @TempDir
  Path dir;

  private Path npy(String name, double[][] rows, int... shape) throws IOException {
    Path p = dir.resolve(name);
    try (OutputStream os = Files.newOutputStream(p)) {
      MatrixWriter.write(os, p, Precision.F64, rows.length, rows[0].length,
          (i, out) -> System.arraycopy(rows[i], 0, out, 0, out.length));
    }
    if (shape.length == 3) {
      ImageFiles.reshape(p, rows.length, shape);
    }
    return p;
  }

  private static double[][] points(int n, int d, double scale, long seed) {
    Random r = new Random(seed);
    double[][] x = new double[n][d];
    for (double[] row : x) {
      for (int j = 0; j < d; j++) {
        row[j] = scale * (r.nextGaussian() + 0.5);
      }
    }
    return x;
  }

  private static double[][] rows(Path npy) throws IOException {
    return NpyReader.read(npy).toMatrix(npy.toString());
  }

  private static <T> T[] concat(T[] a, T[] b) {
    T[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void pointFeaturesOfTwoFilesEqualTheRowsOfOneRun() throws IOException {
    double[][] train = points(300, 10, 1, 1);
    double[][] test = points(40, 10, 6, 2);
    Path trainX = npy("train.npy", train);
    Path testX = npy("test.npy", test);
    Path allX = npy("all.npy", concat(train, test));
    for (String kind : new String[] {"nngp", "ntk"}) {
      String[] common = {"--arch", GELU, "--kind", kind, "--dim", "128", "--seed", "4", "--backend",
          "cpu", "--quiet"};
      double[][][] out = new double[3][][];
      Path[] in = {trainX, testX, allX};
      for (int r = 0; r < 3; r++) {
        Path f = dir.resolve(kind + r + ".npy");
        String[] args = concat(new String[] {"features", "--x", in[r].toString(), "--out",
            f.toString()}, common);
        assertEquals(0, nke(args), err);
        out[r] = rows(f);
      }
      assertArrayEquals(out[2], concat(out[0], out[1]), kind);
    }
  }

  @Test
  void adaptedWidthsComposeThroughThePlanFile() throws IOException {
    double[][] train = points(300, 10, 1, 3);
    double[][] test = points(30, 10, 4, 4);
    Path plan = dir.resolve("plan.zip");
    Path trainF = dir.resolve("train-f.npy");
    assertEquals(0, nke("features", "--arch", GELU, "--kind", "ntk", "--dim", "128", "--adapt",
        "--x", npy("train.npy", train).toString(), "--out", trainF.toString(), "--save-plan",
        plan.toString(), "--backend", "cpu", "--quiet"), err);
    assertTrue(err.contains("wrote the plan"), err);
    Path testF = dir.resolve("test-f.npy");
    Path allF = dir.resolve("all-f.npy");
    assertEquals(0, nke("features", "--plan", plan.toString(), "--x", npy("test.npy", test).toString(),
        "--out", testF.toString(), "--backend", "cpu", "--quiet"), err);
    assertEquals(0, nke("features", "--plan", plan.toString(), "--x",
        npy("all.npy", concat(train, test)).toString(), "--out", allF.toString(), "--backend", "cpu",
        "--quiet"), err);
    assertArrayEquals(rows(allF), concat(rows(trainF), rows(testF)));
    // without --save-plan, a fitted plan is said to be lost
    assertEquals(0, nke("features", "--arch", GELU, "--kind", "ntk", "--dim", "128", "--adapt",
        "--x", dir.resolve("test.npy").toString(), "--out", testF.toString(), "--backend", "cpu",
        "--quiet"), err);
    assertTrue(err.contains("fitted to this file") && err.contains("--save-plan"), err);
  }

  @Test
  void standardisedImageFeaturesComposeThroughThePlanFile() throws IOException {
    Random r = new Random(5);
    double[][] imgs = new double[10][6 * 6 * 2];
    for (double[] row : imgs) {
      for (int j = 0; j < row.length; j++) {
        row[j] = 3 + r.nextGaussian();
      }
    }
    double[][] train = Arrays.copyOfRange(imgs, 0, 6);
    double[][] test = Arrays.copyOfRange(imgs, 6, 10);
    Path plan = dir.resolve("images.plan");
    Path trainF = dir.resolve("train-f.npy");
    assertEquals(0, nke("features", "--arch", CONV, "--kind", "ntk", "--dim", "128", "--standardize",
        "--x", npy("train.npy", train, 6, 6, 2).toString(), "--out", trainF.toString(),
        "--save-plan", plan.toString(), "--backend", "cpu", "--quiet"), err);
    Path testF = dir.resolve("test-f.npy");
    assertEquals(0, nke("features", "--plan", plan.toString(), "--x",
        npy("test.npy", test, 6, 6, 2).toString(), "--out", testF.toString(), "--backend", "cpu",
        "--quiet"), err);
    Path allF = dir.resolve("all-f.npy");
    assertEquals(0, nke("features", "--plan", plan.toString(), "--x",
        npy("all.npy", imgs, 6, 6, 2).toString(), "--out", allF.toString(), "--backend", "cpu",
        "--quiet"), err);
    assertArrayEquals(rows(allF), concat(rows(trainF), rows(testF)));
  }

  /**
   * {@code --diagonal}: the CNTK sketch's exact diagonal by default ({@code ‖F_i‖² = Θ(x_i, x_i)}, the
   * exact kernel's diagonal), the unbiased features with {@code sketched}; saved in the plan and
   * held against a contradicting option; a usage error on points and for an unknown value.
   */
  @Test
  void theDiagonalIsAPlanOption() throws IOException {
    Random r = new Random(9);
    double[][] imgs = new double[5][6 * 6 * 2];
    for (double[] row : imgs) {
      for (int j = 0; j < row.length; j++) {
        row[j] = 1 + r.nextGaussian();
      }
    }
    Path x = npy("imgs.npy", imgs, 6, 6, 2);
    Path exactK = dir.resolve("k.npy");
    assertEquals(0, nke("kernel", "--arch", CONV, "--kind", "ntk", "--x", x.toString(), "--out",
        exactK.toString(), "--backend", "cpu", "--quiet"), err);
    double[][] k = rows(exactK);
    double[][][] f = new double[2][][];
    String[] diagonals = {"exact", "sketched"};
    for (int d = 0; d < 2; d++) {
      Path out = dir.resolve("f-" + diagonals[d] + ".npy");
      Path plan = dir.resolve(diagonals[d] + ".plan");
      String[] args = {"features", "--arch", CONV, "--kind", "ntk", "--dim", "128", "--x",
          x.toString(), "--out", out.toString(), "--save-plan", plan.toString(), "--backend", "cpu"};
      assertEquals(0, nke(d == 0 ? args : concat(args, new String[] {"--diagonal", "sketched"})),
          err);
      assertTrue(err.contains(diagonals[d] + " diagonal"), err);
      f[d] = rows(out);
      // the plan gives the same features, and holds its diagonal against a contradicting option
      Path again = dir.resolve("again-" + diagonals[d] + ".npy");
      assertEquals(0, nke("features", "--plan", plan.toString(), "--diagonal", diagonals[d], "--x",
          x.toString(), "--out", again.toString(), "--backend", "cpu", "--quiet"), err);
      assertArrayEquals(f[d], rows(again));
      assertEquals(2, nke("features", "--plan", plan.toString(), "--diagonal", diagonals[1 - d],
          "--x", x.toString(), "--out", dir.resolve("no.npy").toString()), err);
      assertTrue(err.contains("--diagonal " + diagonals[1 - d]), err);
    }
    for (int i = 0; i < imgs.length; i++) {
      double norm2 = 0;
      double sketched = 0;
      for (int j = 0; j < f[0][i].length; j++) {
        norm2 += f[0][i][j] * f[0][i][j];
        sketched += f[1][i][j] * f[1][i][j];
      }
      // within float32 rounding, whatever the dtype written
      assertEquals(k[i][i], norm2, 1e-5 * k[i][i], "image " + i);
      assertTrue(Math.abs(sketched - k[i][i]) > 1e-4 * k[i][i], "the sketched norm is not exact");
    }
    Path pts = npy("pts.npy", points(6, 5, 1, 3));
    assertEquals(2, nke("features", "--arch", GELU, "--kind", "ntk", "--dim", "64", "--diagonal",
        "exact", "--x", pts.toString(), "--out", dir.resolve("p.npy").toString()), err);
    assertTrue(err.contains("--diagonal is an option of the CNTK sketch of images, not of the "
        + "sketch of points"), err);
    assertEquals(2, nke("features", "--arch", CONV, "--kind", "ntk", "--dim", "64", "--diagonal",
        "approximate", "--x", x.toString(), "--out", dir.resolve("q.npy").toString()), err);
    assertTrue(err.contains("--diagonal must be 'exact' or 'sketched', got 'approximate'"), err);
    // images too large for exact pixel variances: the sketched diagonal, and exact is refused
    double[][] big = new double[1][66 * 66];
    Arrays.fill(big[0], 0.5);
    Path large = npy("large.npy", big, 66, 66, 1);
    String pooled = "Conv(2, (3, 3), padding='SAME'), Relu(), AvgPool((2, 2), strides=(2, 2)), "
        + "Flatten(), Dense()";
    assertEquals(2, nke("features", "--arch", pooled, "--kind", "ntk", "--dim", "64", "--diagonal",
        "exact", "--x", large.toString(), "--out", dir.resolve("r.npy").toString()), err);
    assertTrue(err.contains("--diagonal exact: the exact diagonal needs the exact pixel variances, "
        + "which this network on 66 x 66 images does not get"), err);
    assertTrue(Files.notExists(dir.resolve("r.npy")));
    // an unknown value with --plan is its own error, not a clash
    assertEquals(2, nke("features", "--plan", dir.resolve("exact.plan").toString(), "--diagonal",
        "bogus", "--x", x.toString(), "--out", dir.resolve("s.npy").toString()), err);
    assertTrue(err.contains("--diagonal must be 'exact' or 'sketched', got 'bogus'"), err);
    assertTrue(Files.notExists(dir.resolve("p.npy")) && Files.notExists(dir.resolve("q.npy")));
    // an exact model has no features to scale
    Path labels = dir.resolve("y.csv");
    Files.writeString(labels, "0\n1\n0\n1\n0\n");
    assertEquals(2, nke("fit", "--arch", CONV, "--x", x.toString(), "--labels", labels.toString(),
        "--method", "exact", "--diagonal", "sketched", "--model", dir.resolve("m.zip").toString()),
        err);
    assertTrue(err.contains("--diagonal applies to --method sketch on images"), err);
    assertTrue(Files.notExists(dir.resolve("m.zip")));
    // a sketch model keeps its diagonal: its plan gives the same features
    Path model = dir.resolve("sketch.zip");
    assertEquals(0, nke("fit", "--arch", CONV, "--kind", "ntk", "--x", x.toString(), "--labels",
        labels.toString(), "--method", "sketch", "--dim", "128", "--diagonal", "sketched", "--model",
        model.toString(), "--backend", "cpu", "--quiet"), err);
    Path fromModel = dir.resolve("from-model.npy");
    assertEquals(0, nke("features", "--plan", model.toString(), "--x", x.toString(), "--out",
        fromModel.toString(), "--backend", "cpu"), err);
    assertTrue(err.contains("sketched diagonal"), err);
    assertArrayEquals(f[1], rows(fromModel));
  }

  @Test
  void optionsThatContradictThePlanAreUsageErrors() throws IOException {
    Path x = npy("x.npy", points(20, 5, 1, 6));
    Path plan = dir.resolve("p.zip");
    assertEquals(0, nke("features", "--arch", GELU, "--kind", "nngp", "--dim", "128", "--x",
        x.toString(), "--out", dir.resolve("f.npy").toString(), "--save-plan", plan.toString(),
        "--quiet", "--backend", "cpu"), err);
    assertEquals(2, nke("features", "--plan", plan.toString(), "--dim", "256", "--x", x.toString(),
        "--out", dir.resolve("g.npy").toString()), err);
    assertTrue(err.contains("--dim 256"), err);
    assertEquals(2, nke("features", "--plan", plan.toString(), "--adapt", "--x", x.toString(),
        "--out", dir.resolve("g.npy").toString()), err);
    // the same values are fine
    assertEquals(0, nke("features", "--plan", plan.toString(), "--dim", "128", "--kind", "nngp",
        "--x", x.toString(), "--out", dir.resolve("g.npy").toString(), "--quiet", "--backend", "cpu"),
        err);
    // the plan file is an output of --save-plan and an input of --plan: neither may name the other files
    assertEquals(2, nke("features", "--arch", GELU, "--kind", "nngp", "--dim", "128", "--x",
        x.toString(), "--out", dir.resolve("f2.npy").toString(), "--save-plan", x.toString()), err);
    assertEquals(2, nke("features", "--plan", plan.toString(), "--x", x.toString(), "--out",
        plan.toString()), err);
    assertTrue(Files.size(plan) > 0);
    Path wrongD = npy("w.npy", points(4, 6, 1, 7));
    assertEquals(4, nke("features", "--plan", plan.toString(), "--x", wrongD.toString(), "--out",
        dir.resolve("h.npy").toString(), "--quiet", "--backend", "cpu"), err);
    assertTrue(err.contains("d = 5"), err);
  }

  @Test
  void aSketchModelIsAPlanForFeatures() throws IOException {
    double[][] x = points(40, 5, 1, 8);
    StringBuilder labels = new StringBuilder();
    for (int i = 0; i < x.length; i++) {
      labels.append(x[i][0] > 0.5 ? 1 : 0).append('\n');
    }
    Path y = dir.resolve("y.csv");
    Files.writeString(y, labels);
    Path xs = npy("x.npy", x);
    Path model = dir.resolve("m.nkem");
    assertEquals(0, nke("fit", "--arch", GELU, "--x", xs.toString(), "--labels", y.toString(),
        "--method", "sketch", "--dim", "128", "--kind", "nngp", "--seed", "3", "--model",
        model.toString(), "--quiet", "--backend", "cpu"), err);
    assertTrue(err.contains("plan = nngp sketch"), err);
    Path viaModel = dir.resolve("a.npy");
    Path direct = dir.resolve("b.npy");
    assertEquals(0, nke("features", "--plan", model.toString(), "--x", xs.toString(), "--out",
        viaModel.toString(), "--quiet", "--backend", "cpu"), err);
    assertEquals(0, nke("features", "--arch", GELU, "--kind", "nngp", "--dim", "128", "--seed", "3",
        "--x", xs.toString(), "--out", direct.toString(), "--quiet", "--backend", "cpu"), err);
    assertArrayEquals(rows(direct), rows(viaModel));
  }
}
