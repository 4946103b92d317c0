package org.nke.krr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nke.arch.Architecture;
import org.nke.error.InvalidInputException;
import org.nke.exact.ExactKernel.Kind;
import org.nke.ir.ImageBatch;
import org.nke.krr.Inference.Prediction;
import org.nke.krr.Inference.Uncertainty;
import org.nke.sketch.CntkSketchAccuracy;
import org.nke.sketch.PlanMethod;
import org.nke.sketch.PlanSpec;
import org.nke.sketch.SketchAccuracy;
import org.nke.sketch.SketchOptions;
import org.nke.spi.BackendOptions;
import org.nke.spi.Backends;
import org.nke.spi.Precision;
import org.nke.spi.Progress;
import org.nke.testing.ReferenceJson;

/**
 * Finite-time predictions of exact models, end to end: nke's own kernels of neural-tangents'
 * reference network and data, through a model, against neural-tangents' outputs; the limits
 * {@code t = ∞} (today's ridge) and {@code t = 0} (the prior); variance = diagonal of the
 * covariance; model files keep the targets.
 */
class InferenceTest {
  /** neural-tangents' reference network, as nke writes it (widths are ignored). */
  private static final String NT_NET = "Dense(W_std=1.5, b_std=0.1), Relu(), Dense(W_std=1.5, "
      + "b_std=0.1), Relu(), Dense(W_std=1.5, b_std=0.1)";

  @TempDir
  Path dir;

  /** {@code max |a − e| / max |e|}, 0 when both vanish. */
  private static double maxRelative(double[][] want, double[][] got) {
    return EnsemblePosteriorTest.scaledError(want, got);
  }

  @Test
  @SuppressWarnings("unchecked")
  void modelsPredictWhatNeuralTangentsPredictsAtEveryTime() {
    Map<String, Object> ref = (Map<String, Object>) ReferenceJson.load(
        "/org/nke/krr/predict_reference.json");
    double[][] xTrain = ReferenceJson.matrix(ref.get("x_train"));
    double[][] xTest = ReferenceJson.matrix(ref.get("x_test"));
    double[][] y = ReferenceJson.matrix(ref.get("y_train"));
    double ridge = (Double) ref.get("ridge");
    try (Backends.Selection cpu = Backends.open("cpu", BackendOptions.defaults())) {
      int checked = 0;
      for (Object o : (List<Object>) ref.get("cases")) {
        Map<String, Object> c = (Map<String, Object>) o;
        String kind = (String) c.get("get");
        double t = EnsemblePosteriorTest.time(c.get("time"));
        ExactPointsModel model = new ExactPointsModel(Architecture.parse(NT_NET).describe(),
            Kind.parse(kind), ridge, new Targets(false, new double[0], 0, y), xTrain,
            new double[xTrain.length][y[0].length], Map.of());
        Prediction p = model.predict(xTest, new double[] {t}, Uncertainty.COVARIANCE, cpu.backend(), Precision.F64, Progress.NONE).get(0);
        double[][] mean = ReferenceJson.matrix(c.get("mean"));
        double[][] cov = ReferenceJson.matrix(c.get("covariance"));
        assertTrue(maxRelative(mean, p.scores()) < 1e-10, kind + " t=" + t + " mean "
            + maxRelative(mean, p.scores()));
        assertTrue(maxRelative(cov, p.covariance()) < 1e-10, kind + " t=" + t + " covariance "
            + maxRelative(cov, p.covariance()));
        checked++;
      }
      assertEquals(12, checked);
    }
  }

  @Test
  void infiniteTimeIsTheRidgeAndZeroTimeIsThePrior() throws IOException {
    double[][] x = SketchAccuracy.points(30, 5, 1, 1);
    double[][] test = SketchAccuracy.points(7, 5, 1, 2);
    double[] labels = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      labels[i] = i % 3;
    }
    Architecture arch = Architecture.parse("Dense(W_std=1.5, b_std=0.1), Gelu(), Dense(W_std=1.5), "
        + "Erf(), Dense()");
    try (Backends.Selection cpu = Backends.open("cpu", BackendOptions.defaults())) {
      for (Kind kind : new Kind[] {Kind.NNGP, Kind.NTK}) {
        var m = RidgeFit.on(cpu.backend()).ridge(1e-2).exact(arch, kind, x, RidgeFit.column(labels));
        double[][] ridge = m.scores(test, cpu.backend(), Precision.F64, Progress.NONE);
        List<Prediction> ps = m.predict(test, new double[] {Double.POSITIVE_INFINITY, 0,
            3}, Uncertainty.COVARIANCE, cpu.backend(), Precision.F64, Progress.NONE);
        assertTrue(maxRelative(ridge, ps.get(0).scores()) < 1e-10, kind + " t=inf");
        double[][] prior = org.nke.Kernels.of(arch).withBackend("cpu").compute(test, null,
            Kind.NNGP)
            .nngp().toArray();
        assertArrayEquals(prior, ps.get(1).covariance());
        for (double[] row : ps.get(1).scores()) {
          assertArrayEquals(new double[row.length], row);
        }
        List<Prediction> vs = m.predict(test, new double[] {Double.POSITIVE_INFINITY, 0,
            3}, Uncertainty.VARIANCE, cpu.backend(), Precision.F64, Progress.NONE);
        for (int k = 0; k < 3; k++) {
          assertNull(vs.get(k).covariance());
          for (int i = 0; i < test.length; i++) {
            double c = ps.get(k).covariance()[i][i];
            assertEquals(c, vs.get(k).variance()[i], 1e-12 * prior[i][i], kind + " variance " + i);
          }
          assertTrue(maxRelative(ps.get(k).scores(), vs.get(k).scores()) == 0);
        }
        // the model file keeps the targets; a file without them (version 1) recovers y = K_r α
        Path f = dir.resolve(kind + ".nkem");
        try (OutputStream os = Files.newOutputStream(f)) {
          ModelFile.write(m, os);
        }
        ExactPointsModel back = (ExactPointsModel) ModelFile.read(f);
        assertArrayEquals(m.targets().y(), back.targets().y());
        ExactPointsModel old = new ExactPointsModel(back.architecture(), back.kind(), back.ridge(),
            new Targets(true, back.targets().classes(), 0, new double[0][0]), back.points(),
            back.weights(), back.info());
        double[][] recovered = old.predict(test, new double[] {3}, Uncertainty.NONE, cpu.backend(),
            Precision.F64, Progress.NONE).get(0).scores();
        assertTrue(maxRelative(ps.get(2).scores(), recovered) < 1e-8, kind + " recovered targets "
            + maxRelative(ps.get(2).scores(), recovered));
      }
      SketchModel sketch = RidgeFit.on(cpu.backend()).ridge(1e-2).sketch(PlanSpec.reference(PlanMethod.SKETCH, arch, SketchOptions.of(64, 1, true), x[0].length), x, RidgeFit.column(labels));
      assertThrows(InvalidInputException.class, () -> sketch.predict(test, new double[] {1},
          Uncertainty.NONE, cpu.backend(), Precision.F64, Progress.NONE));
    }
  }

  @Test
  void imageModelsPredictTheRidgeAtInfiniteTime() {
    ImageBatch train = CntkSketchAccuracy.images(8, 6, 6, 2, 1);
    ImageBatch test = CntkSketchAccuracy.images(3, 6, 6, 2, 2);
    double[] labels = {0.5, 1, -1, 2, 0, 0.3, 1.5, -0.2};
    Architecture arch = Architecture.parse("Conv(4, (3, 3), padding='SAME', W_std=1.4, b_std=0.1), "
        + "Relu(), GlobalAvgPool(), Dense()");
    try (Backends.Selection cpu = Backends.open("cpu", BackendOptions.defaults())) {
      var m = RidgeFit.on(cpu.backend()).ridge(1e-2).exact(arch, Kind.NTK, train, RidgeFit.column(labels));
      double[][] ridge = m.scores(test, cpu.backend(), Precision.F64, Progress.NONE);
      List<Prediction> ps = m.predict(test, new double[] {Double.POSITIVE_INFINITY, 2},
          Uncertainty.VARIANCE, cpu.backend(), Precision.F64, Progress.NONE);
      assertTrue(maxRelative(ridge, ps.get(0).scores()) < 1e-10);
      List<Prediction> full = m.predict(test, new double[] {2}, Uncertainty.COVARIANCE, cpu.backend(), Precision.F64, Progress.NONE);
      for (int i = 0; i < 3; i++) {
        assertEquals(full.get(0).covariance()[i][i], ps.get(1).variance()[i],
            1e-10 * Math.abs(full.get(0).covariance()[i][i]) + 1e-14);
        assertTrue(ps.get(1).variance()[i] > 0);
      }
    }
  }
}
