package org.nke.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nke.io.MatrixWriter;
import org.nke.io.NpyArray;
import org.nke.io.NpyReader;
import org.nke.spi.Precision;

/**
 * {@code nke predict --proba} (class probabilities at the LOO temperature) and multi-output regression
 * labels ({@code (n, k)}) in {@code nke fit}/{@code predict}.
 */
class ProbaCommandsTest extends CommandTest {
  private static final String ARCH = "Dense(W_std=1.5, b_std=0.1), Relu(), Dense()";

  @TempDir
  Path dir;

  private Path npy(String name, double[][] v) throws IOException {
    Path p = dir.resolve(name);
    try (OutputStream os = Files.newOutputStream(p)) {
      MatrixWriter.write(os, p, Precision.F64, v.length, v[0].length,
          (i, row) -> System.arraycopy(v[i], 0, row, 0, row.length));
    }
    return p;
  }

  /** Points with three separable classes (column 0) and two regression outputs (columns 1, 2). */
  private double[][][] data(int n, long seed) {
    Random r = new Random(seed);
    double[][] x = new double[n][3];
    double[][] c = new double[n][1];
    double[][] y = new double[n][2];
    for (int i = 0; i < n; i++) {
      int k = i % 3;
      for (int j = 0; j < 3; j++) {
        x[i][j] = r.nextGaussian() + (j == k ? 4 : 0);
      }
      c[i][0] = k;
      y[i][0] = Math.sin(x[i][0]);
      y[i][1] = 2 * x[i][1] + 1;
    }
    return new double[][][] {x, c, y};
  }

  @Test
  void probaRowsSumToOneFollowThePredictedClassAndReportTheLogLoss() throws IOException {
    double[][][] train = data(90, 1);
    double[][][] test = data(30, 2);
    Path x = npy("x.npy", train[0]);
    Path c = npy("c.npy", train[1]);
    Path xt = npy("xt.npy", test[0]);
    Path ct = npy("ct.npy", test[1]);
    String model = dir.resolve("m.nkem").toString();
    assertEquals(0, nke("fit", "--arch", ARCH, "--x", x.toString(), "--labels", c.toString(),
        "--model", model, "--quiet"), err);
    assertTrue(err.contains("loo_log_loss = "), err);
    Path pred = dir.resolve("pred.npy");
    Path proba = dir.resolve("proba.npy");
    assertEquals(0, nke("predict", "--model", model, "--x", xt.toString(), "--out", pred.toString(),
        "--labels", ct.toString(), "--proba", proba.toString(), "--quiet"), err);
    assertTrue(err.matches("(?s).*test accuracy = (0\\.9|1\\.0).*"), err);
    double logLoss = Double.parseDouble(err.replaceAll("(?s).*test log-loss = ([0-9.]+).*", "$1"));
    assertTrue(logLoss < 0.5 * Math.log(3), err);
    NpyArray p = NpyReader.read(proba);
    double[] labels = NpyReader.read(pred).data();
    assertEquals(30, p.shape()[0]);
    assertEquals(3, p.shape()[1]);
    for (int i = 0; i < 30; i++) {
      double sum = 0;
      int arg = 0;
      for (int k = 0; k < 3; k++) {
        double v = p.data()[3 * i + k];
        sum += v;
        arg = v > p.data()[3 * i + arg] ? k : arg;
      }
      assertEquals(1, sum, 1e-12);
      assertEquals(labels[i], arg);
    }
  }

  @Test
  void probaNeedsAClassificationModelWithATemperature() throws IOException {
    double[][][] train = data(60, 3);
    Path x = npy("x.npy", train[0]);
    double[][] values = new double[60][1];
    for (int i = 0; i < 60; i++) {
      values[i][0] = train[2][i][0];
    }
    Path y = npy("y.npy", values);
    String model = dir.resolve("r.nkem").toString();
    assertEquals(0, nke("fit", "--arch", ARCH, "--x", x.toString(), "--labels", y.toString(),
        "--model", model, "--quiet"), err);
    Path proba = dir.resolve("proba.npy");
    assertEquals(2, nke("predict", "--model", model, "--x", x.toString(), "--out",
        dir.resolve("p.npy").toString(), "--proba", proba.toString(), "--quiet"), err);
    assertTrue(err.contains("--proba needs a classification model"), err);
    assertFalse(Files.exists(proba));
    // a classification model without a temperature (an earlier nke): refit
    double[][] classes = new double[60][1];
    for (int i = 0; i < 60; i++) {
      classes[i][0] = i % 3;
    }
    String fitted = dir.resolve("c.nkem").toString();
    assertEquals(0, nke("fit", "--arch", ARCH, "--x", x.toString(), "--labels",
        npy("c.npy", classes).toString(), "--model", fitted, "--quiet"), err);
    org.nke.krr.ExactPointsModel m = (org.nke.krr.ExactPointsModel) org.nke.krr.ModelFile.read(
        Path.of(fitted));
    org.nke.krr.RidgeModel old = new org.nke.krr.ExactPointsModel(m.architecture(), m.kind(),
        m.ridge(), m.targets().withTemperature(Double.NaN), m.points(), m.weights(), m.info());
    Path oldFile = dir.resolve("old.nkem");
    try (OutputStream os = Files.newOutputStream(oldFile)) {
      org.nke.krr.ModelFile.write(old, os);
    }
    assertEquals(2, nke("predict", "--model", oldFile.toString(), "--x", x.toString(), "--out",
        dir.resolve("p.npy").toString(), "--proba", proba.toString(), "--quiet"), err);
    assertTrue(err.contains("refit it with nke fit"), err);
    assertFalse(Files.exists(proba));
  }

  @Test
  void probaAtATrainingTimeIsTheSoftmaxOfThatTimesMeanAtTheModelsTemperature() throws IOException {
    double[][][] train = data(60, 6);
    double[][][] test = data(12, 7);
    Path x = npy("x.npy", train[0]);
    Path xt = npy("xt.npy", test[0]);
    String model = dir.resolve("m.nkem").toString();
    assertEquals(0, nke("fit", "--arch", ARCH, "--x", x.toString(), "--labels",
        npy("c.npy", train[1]).toString(), "--ridge", "1e-3", "--model", model, "--quiet"), err);
    Path proba = dir.resolve("p.npy");
    assertEquals(0, nke("predict", "--model", model, "--x", xt.toString(), "--out",
        dir.resolve("c.npy").toString(), "--proba", proba.toString(), "--time", "0.5,inf",
        "--quiet"), err);
    Path plain = dir.resolve("plain.npy");
    assertEquals(0, nke("predict", "--model", model, "--x", xt.toString(), "--out",
        dir.resolve("c.npy").toString(), "--proba", plain.toString(), "--quiet"), err);
    // t = inf: today's --proba (the ensemble mean at t = inf is the ridge predictor)
    double[] atInf = NpyReader.read(dir.resolve("p.tinf.npy")).data();
    double[] ridge = NpyReader.read(plain).data();
    for (int i = 0; i < ridge.length; i++) {
      assertEquals(ridge[i], atInf[i], 1e-9);
    }
    // t = 0.5: softmax(mean / T) of the core API's mean, T the model's (LOO, ridge) temperature
    org.nke.krr.PointsModel m = (org.nke.krr.PointsModel) org.nke.krr.ModelFile.read(Path.of(model));
    double temperature = m.targets().temperature();
    double[][] mean;
    try (org.nke.spi.Backends.Selection cpu = org.nke.spi.Backends.open("cpu",
        org.nke.spi.BackendOptions.defaults())) {
      mean = m.predict(test[0], new double[] {0.5}, org.nke.krr.Inference.Uncertainty.NONE,
          cpu.backend(), Precision.F64, org.nke.spi.Progress.NONE).get(0).scores();
    }
    double[] early = NpyReader.read(dir.resolve("p.t0.5.npy")).data();
    double flatter = 0;
    for (int i = 0; i < mean.length; i++) {
      double z = 0;
      for (double s : mean[i]) {
        z += Math.exp(s / temperature);
      }
      double sum = 0;
      for (int k = 0; k < 3; k++) {
        assertEquals(Math.exp(mean[i][k] / temperature) / z, early[3 * i + k], 1e-12);
        sum += early[3 * i + k];
        flatter += (Math.abs(early[3 * i + k] - 1.0 / 3) - Math.abs(atInf[3 * i + k] - 1.0 / 3));
      }
      assertEquals(1, sum, 1e-12);
    }
    // early in training the mean is closer to 0, so the probabilities are closer to uniform
    assertTrue(flatter < 0, "sum of |p - 1/3| at t = 0.5 minus at inf: " + flatter);
  }

  @Test
  void multiColumnLabelsAreMultiOutputRegression() throws IOException {
    double[][][] train = data(90, 4);
    double[][][] test = data(20, 5);
    Path x = npy("x.npy", train[0]);
    Path y = npy("y.npy", train[2]);
    Path xt = npy("xt.npy", test[0]);
    Path yt = npy("yt.npy", test[2]);
    for (String method : new String[] {"exact", "sketch"}) {
      String model = dir.resolve(method + ".nkem").toString();
      assertEquals(0, nke("fit", "--arch", ARCH, "--method", method, "--dim", "256", "--x",
          x.toString(), "--labels", y.toString(), "--model", model, "--quiet"), err);
      assertTrue(err.contains("(regression, 2 outputs)"), err);
      Path out = dir.resolve(method + ".npy");
      assertEquals(0, nke("predict", "--model", model, "--x", xt.toString(), "--out",
          out.toString(), "--labels", yt.toString(), "--quiet"), err);
      assertTrue(err.contains("over all 20 x 2 entries"), err);
      NpyArray p = NpyReader.read(out);
      assertEquals(20, p.shape()[0]);
      assertEquals(2, p.shape()[1]);
      double mse = 0;
      for (int i = 0; i < 20; i++) {
        for (int k = 0; k < 2; k++) {
          double e = p.data()[2 * i + k] - test[2][i][k];
          mse += e * e / 40;
        }
      }
      assertTrue(mse < 0.5, method + " MSE " + mse);
    }
    // the primal form (more points than features), ridge chosen or given
    double[][][] many = data(200, 9);
    Path xm = npy("xm.npy", many[0]);
    Path ym = npy("ym.npy", many[2]);
    for (String ridge : new String[] {null, "0.01"}) {
      java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("fit", "--arch",
          ARCH,
          "--method", "sketch", "--dim", "64", "--x", xm.toString(), "--labels", ym.toString(),
          "--model", dir.resolve("primal.nkem").toString(), "--quiet"));
      if (ridge != null) {
        args.addAll(java.util.List.of("--ridge", ridge));
      }
      assertEquals(0, nke(args.toArray(String[]::new)), err);
      assertTrue(err.contains("form = primal"), err);
    }
    // integer-valued columns are regression too, not classes
    double[][] ints = new double[90][2];
    for (int i = 0; i < 90; i++) {
      ints[i][0] = i % 3;
      ints[i][1] = i % 2;
    }
    assertEquals(0, nke("fit", "--arch", ARCH, "--x", x.toString(), "--labels",
        npy("ints.npy", ints).toString(), "--model", dir.resolve("i.nkem").toString(), "--quiet"),
        err);
    assertTrue(err.contains("(regression, 2 outputs)"), err);
    assertEquals(2, nke("fit", "--arch", ARCH, "--method", "subspace", "--x", x.toString(),
        "--labels", y.toString(), "--model", dir.resolve("s.nkem").toString(), "--quiet"), err);
  }

  @Test
  void multiColumnLabelsFitImagesAndTheSubspaceMethod() throws IOException {
    Random r = new Random(11);
    double[][] images = new double[30][5 * 5 * 2];
    double[][] testImages = new double[6][5 * 5 * 2];
    for (double[][] set : new double[][][] {images, testImages}) {
      for (double[] row : set) {
        for (int j = 0; j < row.length; j++) {
          row[j] = r.nextGaussian();
        }
      }
    }
    Path xi = npy("xi.npy", images);
    ImageFiles.reshape(xi, 30, 5, 5, 2);
    Path ti = npy("ti.npy", testImages);
    ImageFiles.reshape(ti, 6, 5, 5, 2);
    double[][][] train = data(30, 12);
    double[][][] test = data(6, 13);
    Path y = npy("y2.npy", train[2]);
    Path yt = npy("yt2.npy", test[2]);
    Path xp = npy("xp.npy", train[0]);
    Path tp = npy("tp.npy", test[0]);
    String conv = "Conv(3, (3, 3), padding='SAME', W_std=1.4, b_std=0.1), Relu(), GlobalAvgPool(), "
        + "Dense()";
    String[][] cases = {
      {"exact", conv, xi.toString(), ti.toString()},
      {"sketch", conv, xi.toString(), ti.toString()},
      {"subspace", "Dense(W_std=1.4), Relu(), Dense()", xp.toString(), tp.toString()}};
    for (String[] c : cases) {
      String model = dir.resolve(c[0] + "-k2.nkem").toString();
      assertEquals(0, nke("fit", "--arch", c[1], "--method", c[0], "--dim", "128", "--x", c[2],
          "--labels", y.toString(), "--ridge", "1e-2", "--model", model, "--quiet"), err);
      assertTrue(err.contains("(regression, 2 outputs)"), c[0] + ": " + err);
      Path out = dir.resolve(c[0] + "-k2.npy");
      assertEquals(0, nke("predict", "--model", model, "--x", c[3], "--out", out.toString(),
          "--labels", yt.toString(), "--quiet"), err);
      assertTrue(err.contains("over all 6 x 2 entries"), c[0] + ": " + err);
      NpyArray p = NpyReader.read(out);
      assertEquals(6, p.shape()[0]);
      assertEquals(2, p.shape()[1]);
    }
  }
}
