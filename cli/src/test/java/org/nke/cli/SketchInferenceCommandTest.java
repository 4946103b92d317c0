package org.nke.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nke.io.NpyReader;

/**
 * {@code nke fit --method sketch --uncertainty}, then
 * {@code nke predict --time/--variance/--covariance}.
 */
class SketchInferenceCommandTest extends CommandTest {
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

  private String[] predict(Path model, Path x, String... more) {
    String[] base = {"predict", "--model", model.toString(), "--x", x.toString(), "--quiet",
        "--backend", "cpu"};
    String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  @Test
  void sketchModelsFittedWithUncertaintyPredictAtFiniteTimes() throws IOException {
    double[][] x = points(200, 1);
    double[][] y = new double[200][1];
    for (int i = 0; i < 200; i++) {
      y[i][0] = Math.sin(x[i][0]) + 0.5 * x[i][1];
    }
    Path xs = csv("x.csv", x);
    Path ys = csv("y.csv", y);
    Path tx = csv("test.csv", points(7, 2));
    Path model = dir.resolve("m.nkem");
    assertEquals(0, nke("fit", "--arch", ARCH, "--x", xs.toString(), "--labels", ys.toString(),
        "--method", "sketch", "--dim", "64", "--ridge", "1e-3", "--uncertainty", "--model",
        model.toString(), "--quiet", "--backend", "cpu"), err);
    assertTrue(err.contains("posterior = ntk ensemble") && err.contains("eigenbasis"), err);
    Path plain = dir.resolve("plain.npy");
    assertEquals(0, nke(predict(model, tx, "--out", plain.toString())), err);
    Path mean = dir.resolve("mean.npy");
    Path var = dir.resolve("var.npy");
    assertEquals(0, nke(predict(model, tx, "--out", mean.toString(), "--time", "0,2.5,inf",
        "--variance", var.toString())), err);
    assertTrue(err.contains("training time t = 2.5"), err);
    double[][] ridge = read(plain);
    double[][] atInf = read(dir.resolve("mean.tinf.npy"));
    double[][] at0 = read(dir.resolve("mean.t0.npy"));
    double mu = 0;
    for (double[] r : y) {
      mu += r[0] / y.length;
    }
    double[][] var0 = read(dir.resolve("var.t0.npy"));
    double[][] var25 = read(dir.resolve("var.t2.5.npy"));
    double[][] varInf = read(dir.resolve("var.tinf.npy"));
    for (int i = 0; i < 7; i++) {
      assertEquals(ridge[i][0], atInf[i][0], 1e-9 * (1 + Math.abs(ridge[i][0])));
      assertEquals(mu, at0[i][0], 1e-12);
      assertTrue(varInf[i][0] <= var25[i][0] && var25[i][0] <= var0[i][0] && varInf[i][0] >= 0,
          varInf[i][0] + " " + var25[i][0] + " " + var0[i][0]);
    }
    Path cov = dir.resolve("cov.npy");
    assertEquals(0, nke(predict(model, tx, "--out", dir.resolve("m25.npy").toString(), "--time",
        "2.5", "--covariance", cov.toString())), err);
    assertArrayEquals(new int[] {7, 7}, NpyReader.read(cov).shape());
    double[][] c = read(cov);
    for (int i = 0; i < 7; i++) {
      assertEquals(c[i][i], var25[i][0], 1e-12 * c[i][i]);
    }
  }

  @Test
  void optionsThatCannotWorkAreUsageErrors() throws IOException {
    double[][] x = points(30, 3);
    double[][] y = new double[30][1];
    for (int i = 0; i < 30; i++) {
      y[i][0] = i % 2;
    }
    Path xs = csv("x.csv", x);
    Path ys = csv("y.csv", y);
    Path m = dir.resolve("m.nkem");
    for (String method : new String[] {"exact", "subspace"}) {
      assertEquals(2, nke("fit", "--arch", "Dense(), Relu(), Dense()", "--x", xs.toString(),
          "--labels", ys.toString(), "--method", method, "--uncertainty", "--model", m.toString()),
          err);
      assertTrue(err.contains("--uncertainty applies to --method sketch"), err);
    }
    assertEquals(0, nke("fit", "--arch", ARCH, "--x", xs.toString(), "--labels", ys.toString(),
        "--method", "sketch", "--dim", "64", "--model", m.toString(), "--quiet", "--backend", "cpu"),
        err);
    assertEquals(2, nke(predict(m, xs, "--out", dir.resolve("p.npy").toString(), "--time", "1")),
        err);
    assertTrue(err.contains("refit it with nke fit --method sketch --uncertainty"), err);
    assertEquals(2, nke(predict(m, xs, "--out", dir.resolve("p.npy").toString(), "--variance",
        dir.resolve("v.npy").toString())), err);
    assertTrue(err.contains("--uncertainty"), err);
    assertEquals(0, nke(predict(m, xs, "--out", dir.resolve("p.npy").toString(), "--time", "inf")),
        err);
    // a posterior that cannot fit in memory: exit 5, with advice
    assertEquals(5, nke("fit", "--arch", ARCH, "--x", xs.toString(), "--labels", ys.toString(),
        "--method", "sketch", "--dim", "20000", "--uncertainty", "--model", m.toString(),
        "--quiet", "--backend", "cpu"), err);
    assertTrue(err.contains("--uncertainty (the ensemble posterior of")
        && err.contains("without --uncertainty"), err);
  }
}
