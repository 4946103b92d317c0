package org.nke.krr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nke.sketch.PlanSpec;
import org.nke.Kernels;
import org.nke.arch.Architecture;
import org.nke.exact.ExactKernel.Kind;
import org.nke.spi.BackendOptions;
import org.nke.spi.Backends;
import org.nke.spi.Precision;
import org.nke.spi.Progress;

/** Class probabilities from ridge scores: the LOO temperature and what it gives. */
class SoftmaxCalibrationTest {
  @TempDir
  Path dir;

  private static final String ARCH = "Dense(W_std=1.5, b_std=0.1), Relu(), Dense()";

  /** Three classes around shifted means; {@code shift} sets how separable they are. */
  private static double[][] data(int n, long seed, double shift, double[] labels) {
    Random r = new Random(seed);
    double[][] x = new double[n][4];
    for (int i = 0; i < n; i++) {
      int c = i % 3;
      for (int j = 0; j < 4; j++) {
        x[i][j] = r.nextGaussian() + (j == c ? shift : 0);
      }
      labels[i] = c;
    }
    return x;
  }

  @Test
  void looTemperatureMinimisesTheLooLogLossOnAGrid() {
    double[] labels = new double[90];
    double[][] x = data(90, 3, 1.5, labels);
    double[][] k = Kernels.of(ARCH).withBackend("cpu").ntk(x).toArray();
    Targets t = Targets.of(labels);
    ExactRidge.Loo loo = ExactRidge.looScores(k, t, labels, ExactRidge.GRID);
    int[] cls = t.classIndices(labels);
    double best = SoftmaxCalibration.fit(loo.scores(), cls);
    double at = SoftmaxCalibration.logLoss(loo.scores(), cls, best);
    assertTrue(Double.isFinite(at) && at < Math.log(3), "LOO log-loss " + at);
    for (double e = -4; e <= 4; e += 0.05) {
      double other = Math.pow(10, e) * best;
      assertTrue(at <= SoftmaxCalibration.logLoss(loo.scores(), cls, other) + 1e-12,
          "T = " + other + " beats the chosen " + best);
    }
    // the fit records the same temperature and LOO log-loss
    Map<String, String> info = new LinkedHashMap<>();
    KernelRidge.chooseByLoo(k, labels, t, info);
    assertEquals(best, Double.parseDouble(info.get(LooSelection.TEMPERATURE)), 1e-9 * best);
  }

  @Test
  void probabilitiesSumToOneAgreeWithTheArgmaxAndBeatUniformOnSeparableData() throws IOException {
    double[] labels = new double[120];
    double[][] x = data(120, 5, 4, labels);
    double[] testLabels = new double[60];
    double[][] xt = data(60, 6, 4, testLabels);
    Architecture arch = Architecture.parse(ARCH);
    try (Backends.Selection s = Backends.open("cpu", BackendOptions.defaults())) {
      var m = RidgeFit.on(s.backend()).exact(arch, Kind.NTK, x, RidgeFit.column(labels));
      assertTrue(m.targets().temperature() > 0, "temperature " + m.targets().temperature());
      Path file = dir.resolve("m.nkem");
      try (OutputStream os = Files.newOutputStream(file)) {
        ModelFile.write(m, os);
      }
      assertTrue(new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1)
          .length() > 0);
      PointsModel back = (PointsModel) ModelFile.read(file);
      assertEquals(m.targets().temperature(), back.targets().temperature());
      double[][] scores = back.scores(xt, s.backend(), Precision.F64, Progress.NONE);
      double[][] p = back.targets().probabilities(scores);
      double[] predicted = back.targets().decode(scores);
      for (int i = 0; i < p.length; i++) {
        double sum = 0;
        int arg = 0;
        for (int c = 0; c < p[i].length; c++) {
          sum += p[i][c];
          arg = p[i][c] > p[i][arg] ? c : arg;
        }
        assertEquals(1, sum, 1e-12);
        assertEquals(predicted[i], back.targets().classes()[arg]);
      }
      double loss = SoftmaxCalibration.logLoss(p, back.targets().classIndices(testLabels));
      assertTrue(Double.isFinite(loss) && loss < 0.5 * Math.log(3), "test log-loss " + loss);
      // a given ridge is calibrated too (LOO at that ridge)
      var given = RidgeFit.on(s.backend()).ridge(1e-2).exact(arch, Kind.NTK, x, RidgeFit.column(labels));
      assertTrue(given.targets().temperature() > 0);
      assertTrue(!given.info().containsKey("ridge_selection"));
    }
  }

  @Test
  void multiOutputRegressionCentresEachColumnAndMatchesColumnByColumnFits() throws IOException {
    double[] labels = new double[60];
    double[][] x = data(60, 7, 1, labels);
    double[][] y = new double[60][2];
    double[] y0 = new double[60];
    double[] y1 = new double[60];
    for (int i = 0; i < 60; i++) {
      y0[i] = y[i][0] = Math.sin(x[i][0]) + 3;
      y1[i] = y[i][1] = 2.0 * x[i][1] - 1;
    }
    Targets t = Targets.of(y);
    assertTrue(t.multiOutput() && !t.classification());
    assertEquals(2, t.columns());
    // integer-valued columns are still regression
    assertTrue(Targets.of(new double[][] {{1, 2}, {3, 4}}).multiOutput());
    Architecture arch = Architecture.parse(ARCH);
    double[][] xt = data(10, 8, 1, new double[10]);
    try (Backends.Selection s = Backends.open("cpu", BackendOptions.defaults())) {
      var m = RidgeFit.on(s.backend()).ridge(1e-3).exact(arch, Kind.NTK, x, y);
      var m0 = RidgeFit.on(s.backend()).ridge(1e-3).exact(arch, Kind.NTK, x, RidgeFit.column(y0));
      var m1 = RidgeFit.on(s.backend()).ridge(1e-3).exact(arch, Kind.NTK, x, RidgeFit.column(y1));
      Path file = dir.resolve("multi.nkem");
      try (OutputStream os = Files.newOutputStream(file)) {
        ModelFile.write(m, os);
      }
      PointsModel back = (PointsModel) ModelFile.read(file);
      assertArrayEquals(m.targets().means(), back.targets().means());
      double[][] v = back.targets().values(back.scores(xt, s.backend(), Precision.F64,
          Progress.NONE));
      double[] v0 = m0.targets().decode(m0.scores(xt, s.backend(), Precision.F64, Progress.NONE));
      double[] v1 = m1.targets().decode(m1.scores(xt, s.backend(), Precision.F64, Progress.NONE));
      for (int i = 0; i < xt.length; i++) {
        assertEquals(v0[i], v[i][0], 1e-9);
        assertEquals(v1[i], v[i][1], 1e-9);
      }
      // the ridge is chosen by LOO MSE over all entries
      var chosen = RidgeFit.on(s.backend()).exact(arch, Kind.NTK, x, y);
      assertTrue(chosen.info().containsKey("loo_MSE"), chosen.info().toString());
      assertTrue(Double.isNaN(chosen.targets().temperature()));
    }
  }
}
