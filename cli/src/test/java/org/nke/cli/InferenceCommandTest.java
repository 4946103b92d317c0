package org.nke.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nke.Kernels;
import org.nke.exact.ExactKernel.Kind;
import org.nke.io.NpyReader;

/** {@code nke predict --time/--covariance/--variance} on exact models. */
class InferenceCommandTest extends CommandTest {
  private static final String ARCH = "Dense(W_std=1.5, b_std=0.1), Gelu(), Dense(W_std=1.5), Dense()";

  @TempDir
  Path dir;

  private Path csv(String name, double[][] rows) throws IOException {
    return TestFiles.csv(dir, name, rows);
  }

  private static double[][] points(int n, long seed) {
    return TestFiles.gaussian(n, 3, seed);
  }

  private static double[][] read(Path p) throws IOException {
    return TestFiles.read(p);
  }

  @Test
  void finiteTimesVarianceAndCovarianceOfAnExactModel() throws IOException {
    double[][] x = points(25, 1);
    double[][] y = new double[25][1];
    for (int i = 0; i < 25; i++) {
      y[i][0] = Math.sin(x[i][0]) + 0.5 * x[i][1];
    }
    double[][] test = points(6, 2);
    Path model = dir.resolve("m.nkem");
    assertEquals(0, nke("fit", "--arch", ARCH, "--x", csv("x.csv", x).toString(), "--labels",
        csv("y.csv", y).toString(), "--ridge", "1e-3", "--model", model.toString(), "--quiet",
        "--backend", "cpu"), err);
    Path tx = csv("test.csv", test);
    Path plain = dir.resolve("plain.npy");
    assertEquals(0, nke("predict", "--model", model.toString(), "--x", tx.toString(), "--out",
        plain.toString(), "--quiet", "--backend", "cpu"), err);
    Path mean = dir.resolve("mean.npy");
    Path var = dir.resolve("var.npy");
    assertEquals(0, nke("predict", "--model", model.toString(), "--x", tx.toString(), "--out",
        mean.toString(), "--time", "0,2.5,inf", "--variance", var.toString(), "--quiet",
        "--backend", "cpu"), err);
    assertTrue(err.contains("training time t = 2.5"), err);
    double[][] atInf = read(dir.resolve("mean.tinf.npy"));
    double[][] ridge = read(plain);
    for (int i = 0; i < 6; i++) {
      assertEquals(ridge[i][0], atInf[i][0], 1e-10 * (1 + Math.abs(ridge[i][0])));
    }
    // t = 0: the prior: the training mean and the test kernel's diagonal
    double mu = 0;
    for (double[] r : y) {
      mu += r[0] / y.length;
    }
    double[][] at0 = read(dir.resolve("mean.t0.npy"));
    double[][] k = Kernels.of(ARCH).withBackend("cpu").compute(test, null, Kind.NNGP).nngp()
        .toArray();
    double[][] var0 = read(dir.resolve("var.t0.npy"));
    double[][] varInf = read(dir.resolve("var.tinf.npy"));
    for (int i = 0; i < 6; i++) {
      assertEquals(mu, at0[i][0], 1e-12);
      assertEquals(k[i][i], var0[i][0], 1e-12 * k[i][i]);
      assertTrue(varInf[i][0] < var0[i][0] && varInf[i][0] > -1e-12, "variance shrinks: "
          + varInf[i][0] + " vs " + var0[i][0]);
    }
    Path cov = dir.resolve("cov.npy");
    assertEquals(0, nke("predict", "--model", model.toString(), "--x", tx.toString(), "--out",
        dir.resolve("m25.npy").toString(), "--time", "2.5", "--covariance", cov.toString(),
        "--quiet", "--backend", "cpu"), err);
    double[][] c = read(cov);
    double[][] v = read(dir.resolve("var.t2.5.npy"));
    assertArrayEquals(new int[] {6, 6}, NpyReader.read(cov).shape());
    for (int i = 0; i < 6; i++) {
      assertEquals(c[i][i], v[i][0], 1e-12 * Math.abs(c[i][i]) + 1e-15);
      for (int j = 0; j < 6; j++) {
        assertEquals(c[i][j], c[j][i]);
      }
    }
  }

  @Test
  void whatCannotWorkIsAUsageError() throws IOException {
    double[][] x = points(20, 3);
    double[][] y = new double[20][1];
    for (int i = 0; i < 20; i++) {
      y[i][0] = i % 2;
    }
    Path xs = csv("x.csv", x);
    Path ys = csv("y.csv", y);
    Path sketch = dir.resolve("s.nkem");
    assertEquals(0, nke("fit", "--arch", ARCH, "--x", xs.toString(), "--labels", ys.toString(),
        "--method", "sketch", "--dim", "64", "--model", sketch.toString(), "--quiet", "--backend",
        "cpu"), err);
    assertEquals(2, nke("predict", "--model", sketch.toString(), "--x", xs.toString(), "--out",
        dir.resolve("p.npy").toString(), "--time", "1"), err);
    assertTrue(err.contains("need an exact model"), err);
    Path exact = dir.resolve("e.nkem");
    assertEquals(0, nke("fit", "--arch", ARCH, "--x", xs.toString(), "--labels", ys.toString(),
        "--model", exact.toString(), "--quiet", "--backend", "cpu"), err);
    assertEquals(2, nke("predict", "--model", exact.toString(), "--x", xs.toString(), "--out",
        dir.resolve("p.npy").toString(), "--time", "-1"), err);
    assertEquals(2, nke("predict", "--model", exact.toString(), "--x", xs.toString(), "--out",
        dir.resolve("p.npy").toString(), "--covariance", dir.resolve("c.npy").toString(),
        "--variance", dir.resolve("v.npy").toString()), err);
    assertEquals(2, nke("predict", "--model", exact.toString(), "--x", xs.toString(), "--out",
        dir.resolve("p.npy").toString(), "--variance", xs.toString()), err);
    assertEquals(2, nke("predict", "--model", exact.toString(), "--x", xs.toString(), "--out",
        dir.resolve("p.npy").toString(), "--time", "10,1e1"), err);
    assertTrue(err.contains("--time lists t = 10 twice"), err);
    assertEquals(2, nke("predict", "--model", exact.toString(), "--x", xs.toString(), "--out", "-",
        "--time", "1,2"), err);
    assertTrue(err.contains("standard output"), err);
    // t = inf alone is a sketch model's own predictor
    assertEquals(0, nke("predict", "--model", sketch.toString(), "--x", xs.toString(), "--out",
        dir.resolve("s.npy").toString(), "--time", "inf", "--quiet", "--backend", "cpu"), err);
    assertEquals(2, nke("predict", "--model", sketch.toString(), "--x", xs.toString(), "--out",
        dir.resolve("s.npy").toString(), "--variance", dir.resolve("v.npy").toString()), err);
    assertTrue(err.contains("--variance needs an exact model"), err);
    assertTrue(Files.size(xs) > 0);
  }
}
