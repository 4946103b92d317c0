package org.nke.krr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nke.sketch.PlanMethod;
import org.nke.sketch.PlanSpec;
import org.nke.Kernels;
import org.nke.arch.Architecture;
import org.nke.exact.ExactKernel.Kind;
import org.nke.sketch.SketchAccuracy;
import org.nke.sketch.SketchOptions;
import org.nke.spi.BackendOptions;
import org.nke.spi.Backends;
import org.nke.spi.Precision;
import org.nke.spi.Progress;

class KernelRidgeTest {
  @TempDir
  Path dir;

  private static final String ARCH = "Dense(W_std=1.5, b_std=0.1), Relu(), Dense(W_std=1.5), Relu(), Dense()";

  /** Two noisy classes and a smooth regression target. */
  private static double[][] data(int n, int d, long seed, double[] labels, double[] values) {
    Random r = new Random(seed);
    double[][] x = new double[n][d];
    for (int i = 0; i < n; i++) {
      int c = i % 3;
      for (int j = 0; j < d; j++) {
        x[i][j] = r.nextGaussian() + (j == c ? 2 : 0);
      }
      labels[i] = c;
      values[i] = Math.sin(x[i][0]) + 0.5 * x[i][1];
    }
    return x;
  }

  @Test
  void exactRidgeReproducesTheClosedFormSolution() {
    double[] labels = new double[12];
    double[] values = new double[12];
    double[][] x = data(12, 4, 1, labels, values);
    double[][] k = Kernels.of(ARCH).withBackend("cpu").ntk(x).toArray();
    Targets t = Targets.of(values);
    double lambda = 0.01;
    double[][] alpha = ExactRidge.fit(k, t.y(), lambda);
    DMatrixRMaj a = new DMatrixRMaj(k);
    double s = ExactRidge.diagonalScale(k);
    for (int i = 0; i < 12; i++) {
      a.add(i, i, lambda * s);
    }
    DMatrixRMaj inv = new DMatrixRMaj(12, 12);
    CommonOps_DDRM.invert(a, inv);
    DMatrixRMaj ref = new DMatrixRMaj(12, 1);
    CommonOps_DDRM.mult(inv, new DMatrixRMaj(t.y()), ref);
    for (int i = 0; i < 12; i++) {
      assertEquals(ref.get(i, 0), alpha[i][0], 1e-9 * Math.abs(ref.get(i, 0)) + 1e-12);
    }
  }

  @Test
  void leaveOneOutShortcutMatchesRefitting() {
    double[] labels = new double[15];
    double[] values = new double[15];
    double[][] x = data(15, 3, 2, labels, values);
    double[][] k = Kernels.of(ARCH).withBackend("cpu").nngp(x).toArray();
    Targets t = Targets.of(values);
    double lambda = 1e-2;
    double mse = 0;
    for (int out = 0; out < 15; out++) {
      double[][] kk = new double[14][14];
      double[][] yy = new double[14][1];
      for (int a = 0, ia = 0; a < 15; a++) {
        if (a == out) {
          continue;
        }
        for (int b = 0, ib = 0; b < 15; b++) {
          if (b != out) {
            kk[ia][ib++] = k[a][b];
          }
        }
        yy[ia++][0] = t.y()[a][0];
      }
      // the same absolute ridge as the full problem
      double[][] alpha = SpdSolver.solve(kk, lambda * ExactRidge.diagonalScale(k), yy);
      double pred = 0;
      for (int a = 0, ia = 0; a < 15; a++) {
        if (a != out) {
          pred += k[out][a] * alpha[ia++][0];
        }
      }
      mse += Math.pow(pred + t.mean() - values[out], 2) / 15;
    }
    double[] loo = ExactRidge.looSelect(k, t, values, new double[] {lambda});
    assertEquals(mse, loo[1], 1e-8 * mse);
  }

  @Test
  void sketchRidgeApproachesExactRidgeAsFeaturesGrow() {
    double[] labels = new double[300];
    double[] values = new double[300];
    double[][] x = data(300, 8, 3, labels, values);
    double[][] xt = data(100, 8, 4, new double[100], new double[100]);
    Architecture arch = Architecture.parse(ARCH);
    try (Backends.Selection s = Backends.open("cpu", BackendOptions.defaults())) {
      var exact = RidgeFit.on(s.backend()).ridge(1e-2).exact(arch, Kind.NTK, x, RidgeFit.column(values));
      double[][] ref = exact.scores(xt, s.backend(), Precision.F64, Progress.NONE);
      double previous = Double.POSITIVE_INFINITY;
      double first = Double.NaN;
      for (int m : new int[] {256, 1024, 4096}) {
        var sk = RidgeFit.on(s.backend()).ridge(1e-2).sketch(PlanSpec.reference(PlanMethod.SKETCH, arch,
            SketchOptions.of(m, 1, true), x[0].length), x, RidgeFit.column(values));
        double[][] got = sk.scores(xt, s.backend(), Precision.F64, Progress.NONE);
        double num = 0;
        double den = 0;
        for (int i = 0; i < ref.length; i++) {
          num += Math.pow(got[i][0] - ref[i][0], 2);
          den += ref[i][0] * ref[i][0];
        }
        double rel = Math.sqrt(num / den);
        assertTrue(rel < previous, "m = " + m + ": relative prediction difference " + rel);
        previous = rel;
        first = Double.isNaN(first) ? rel : first;
      }
      // 16x the features: the difference should shrink by about 4 (1/√m), at least by 2
      assertTrue(previous < first / 2, "differences " + first + " -> " + previous);
    }
  }

  @Test
  void primalAndDualFormsAgree() {
    double[] labels = new double[200];
    double[] values = new double[200];
    double[][] x = data(200, 6, 5, labels, values);
    double[][] f = SketchAccuracy.points(200, 24, 0, 6);
    Targets t = Targets.of(labels);
    FeatureRidge primal = new FeatureRidge(24, t.columns());
    primal.add(java.util.Arrays.copyOf(f, 90), java.util.Arrays.copyOf(t.y(), 90), null);
    primal.add(java.util.Arrays.copyOfRange(f, 90, 200), java.util.Arrays.copyOfRange(t.y(), 90,
        200),
        new java.util.concurrent.ForkJoinPool(2));
    double[][] w = primal.solve(1e-3);
    double[][] k = new double[200][200];
    Syrk.accumulateUpper(f, k, null);
    Syrk.symmetrize(k);
    double[][] alpha = ExactRidge.fit(k, t.y(), 1e-3);
    double[][] viaDual = ExactRidge.scores(k, alpha);
    double[][] viaPrimal = FeatureRidge.scores(f, w);
    for (int i = 0; i < 200; i++) {
      assertArrayEquals(viaDual[i], viaPrimal[i], 1e-8);
    }
    assertEquals(200, x.length);
  }

  @Test
  void classificationLearnsSeparableClassesAndModelFilesRoundTrip() throws IOException {
    double[] labels = new double[240];
    double[][] x = data(240, 6, 7, labels, new double[240]);
    double[] tl = new double[90];
    double[][] xt = data(90, 6, 8, tl, new double[90]);
    Architecture arch = Architecture.parse(ARCH);
    try (Backends.Selection s = Backends.open("cpu", BackendOptions.defaults())) {
      for (boolean sketch : new boolean[] {false, true}) {
        PointsModel model = sketch
            ? RidgeFit.on(s.backend()).sketch(PlanSpec.reference(PlanMethod.SKETCH, arch, SketchOptions.of(512, 3, true), x[0].length), x, RidgeFit.column(labels))
            : RidgeFit.on(s.backend()).exact(arch, Kind.NTK, x, RidgeFit.column(labels));
        assertTrue(model.targets().classification());
        double acc = model.targets().metric(model.targets().decode(
            model.scores(xt, s.backend(), Precision.F64, Progress.NONE)), tl);
        assertTrue(acc > 0.8, (sketch ? "sketch" : "exact") + " accuracy " + acc);
        Path file = dir.resolve(sketch ? "s.nkem" : "e.nkem");
        try (OutputStream out = Files.newOutputStream(file)) {
          ModelFile.write(model, out);
        }
        PointsModel back = (PointsModel) ModelFile.read(file);
        assertEquals(model.architecture(), back.architecture());
        assertEquals(model.ridge(), back.ridge());
        assertEquals(model.info(), back.info());
        double[][] a = model.scores(xt, s.backend(), Precision.F64, Progress.NONE);
        double[][] b = back.scores(xt, s.backend(), Precision.F64, Progress.NONE);
        for (int i = 0; i < a.length; i++) {
          assertArrayEquals(a[i], b[i], 0.0);
        }
      }
    }
  }

  @Test
  void integerLabelsAreClassesAndOthersRegressionTargets() {
    Targets c = Targets.of(new double[] {2, 0, 2, 1});
    assertTrue(c.classification());
    assertArrayEquals(new double[] {0, 1, 2}, c.classes());
    assertEquals(2.0 / 3, c.y()[0][2], 1e-15);
    assertArrayEquals(new double[] {2, 0}, c.decode(new double[][] {{0, 0.1, 0.5}, {1, 0, 0}}));
    Targets r = Targets.of(new double[] {0.5, 1.5});
    assertTrue(!r.classification());
    assertEquals(1.0, r.mean());
    assertEquals(0.25, r.metric(new double[] {1, 1}, new double[] {0.5, 1.5}), 1e-15);
  }
}
