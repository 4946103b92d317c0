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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nke.Sketches;
import org.nke.arch.Architecture;
import org.nke.error.InvalidInputException;
import org.nke.ir.ImageBatch;
import org.nke.krr.Inference.Prediction;
import org.nke.krr.Inference.Uncertainty;
import org.nke.sketch.CntkSketch;
import org.nke.sketch.CntkSketchAccuracy;
import org.nke.sketch.PlanMethod;
import org.nke.sketch.PlanSpec;
import org.nke.sketch.SketchAccuracy;
import org.nke.sketch.SketchOptions;
import org.nke.sketch.SketchPlan;
import org.nke.spi.Backend;
import org.nke.spi.BackendOptions;
import org.nke.spi.Backends;
import org.nke.spi.Precision;
import org.nke.spi.Progress;

/**
 * Sketch models fitted with their ensemble posterior ({@link SketchInference}): the wiring — the
 * fit's single pass and the prediction's test features give what {@link FeatureEnsemblePosterior}
 * gives fed directly with the features; {@code t = ∞} is the model's ridge, {@code t = 0} the prior
 * (the squared norm of the NNGP features); model files keep the posterior exactly.
 */
class SketchInferenceTest {
  private static final double[] TIMES = {Double.POSITIVE_INFINITY, 0, 3, 500};
  private static final Architecture ARCH = Architecture.parse("Dense(W_std=1.5, b_std=0.1), Gelu(), "
      + "Dense(W_std=1.5), Erf(), Dense()");

  @TempDir
  Path dir;

  private static double[] sqNorms(double[][] f) {
    double[] out = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      out[i] = GradientFlow.dot(f[i], f[i]);
    }
    return out;
  }

  @Test
  void pointModelsPredictWhatTheirPosteriorFedWithFeaturesPredicts() throws IOException {
    double[][] x = SketchAccuracy.points(300, 5, 1, 1);
    double[][] test = SketchAccuracy.points(9, 5, 1, 2);
    double[] classes = new double[x.length];
    double[] values = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      classes[i] = i % 3;
      values[i] = Math.sin(x[i][0]) + 0.3 * x[i][1];
    }
    try (Backends.Selection cpu = Backends.open("cpu", BackendOptions.defaults())) {
      Backend b = cpu.backend();
      for (boolean ntk : new boolean[] {false, true}) {
        double[] labels = ntk ? classes : values;
        PlanSpec spec = PlanSpec.reference(PlanMethod.SKETCH, ARCH, SketchOptions.of(64, 7, ntk), 5);
        var m = RidgeFit.on(b).ridge(1e-2).uncertainty(true).sketch(spec, x, RidgeFit.column(labels));
        SketchPlan plan = spec.densePlan();
        SketchPlan twin = SketchInference.nngpTwin(spec).densePlan();
        assertTrue(x.length > plan.outputDim(), "the primal form: n > q = " + plan.outputDim());
        // the fit's ridge is unchanged by --uncertainty
        var plain = RidgeFit.on(b).ridge(1e-2).sketch(spec, x, RidgeFit.column(labels));
        assertArrayEquals(plain.weights(), m.weights());
        double[][] ridge = m.scores(test, b, Precision.F64, Progress.NONE);
        List<Prediction> cov = m.predict(test, TIMES, Uncertainty.COVARIANCE, b, Precision.F64,
            Progress.NONE);
        List<Prediction> var = m.predict(test, TIMES, Uncertainty.VARIANCE, b, Precision.F64,
            Progress.NONE);
        assertTrue(EnsemblePosteriorTest.scaledError(ridge, cov.get(0).scores()) <= 1e-9, ntk
            + " t = inf: " + EnsemblePosteriorTest.scaledError(ridge, cov.get(0).scores()));
        // the posterior fed directly
        double[][] g = Sketches.features(b, plan, x, Progress.NONE);
        double[][] f = ntk ? Sketches.features(b, twin, x, Progress.NONE) : g;
        FeatureEnsemblePosterior direct = FeatureEnsemblePosterior.accumulator(
            ntk ? EnsembleKind.NTK : EnsembleKind.NNGP, f[0].length, g[0].length, m.targets()
                .columns()).add(f, ntk ? g : null, m.targets().y()).build(m.ridge());
        double[][] gt = Sketches.features(b, plan, test, Progress.NONE);
        double[][] ft = ntk ? Sketches.features(b, twin, test, Progress.NONE) : gt;
        double[] prior = sqNorms(ft);
        for (int k = 0; k < TIMES.length; k++) {
          double t = TIMES[k];
          Prediction c = cov.get(k);
          assertEquals(t, c.time());
          assertTrue(EnsemblePosteriorTest.scaledError(direct.mean(t, gt), c.scores()) <= 1e-12);
          assertTrue(EnsemblePosteriorTest.scaledError(direct.covariance(t, gt, ft), c.covariance())
              <= 1e-12);
          assertTrue(EnsemblePosteriorTest.scaledError(new double[][] {direct.variance(t, gt, ft)},
              new double[][] {var.get(k).variance()}) <= 1e-12);
          assertNull(var.get(k).covariance());
          assertArrayEquals(c.scores(), var.get(k).scores());
          for (int i = 0; i < test.length; i++) {
            assertEquals(c.covariance()[i][i], var.get(k).variance()[i], 1e-12 * prior[i]);
            assertTrue(var.get(k).variance()[i] <= prior[i] * (1 + 1e-12));
          }
        }
        // t = 0: the prior
        for (int i = 0; i < test.length; i++) {
          assertEquals(prior[i], var.get(1).variance()[i], 1e-12 * prior[i]);
          assertArrayEquals(new double[m.targets().columns()], cov.get(1).scores()[i]);
        }
        // the model file keeps the posterior: identical predictions
        Path file = dir.resolve(ntk + ".nkem");
        try (OutputStream os = Files.newOutputStream(file)) {
          ModelFile.write(m, os);
        }
        PointsModel back = (PointsModel) ModelFile.read(file);
        List<Prediction> again = back.predict(test, TIMES, Uncertainty.COVARIANCE, b,
            Precision.F64, Progress.NONE);
        for (int k = 0; k < TIMES.length; k++) {
          assertArrayEquals(cov.get(k).scores(), again.get(k).scores());
          assertArrayEquals(cov.get(k).covariance(), again.get(k).covariance());
        }
        assertTrue(m.info().get("posterior").contains(plan.outputDim() + " x " + plan.outputDim()
            + " eigenbasis"), m.info().get("posterior"));
        // without it: a model file as before, and a clear refusal
        try (OutputStream os = Files.newOutputStream(file)) {
          ModelFile.write(plain, os);
        }
        SketchModel none = (SketchModel) ModelFile.read(file);
        assertNull(none.posterior());
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> none.predict(test, new double[] {1}, Uncertainty.NONE, b, Precision.F64, Progress.NONE));
        assertTrue(e.getMessage().contains("--uncertainty"), e.getMessage());
      }
    }
  }

  @Test
  void imageModelsPredictTheirRidgeAtInfinityAndTheirPriorAtZero() {
    ImageBatch train = CntkSketchAccuracy.images(40, 6, 6, 2, 1);
    ImageBatch test = CntkSketchAccuracy.images(4, 6, 6, 2, 2);
    double[] labels = new double[train.count()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = 0.1 * i - 1.3 * (i % 4);
    }
    Architecture arch = Architecture.parse("Conv(4, (3, 3), padding='SAME', W_std=1.4, b_std=0.1), "
        + "Relu(), GlobalAvgPool(), Dense()");
    try (Backends.Selection cpu = Backends.open("cpu", BackendOptions.defaults())) {
      Backend b = cpu.backend();
      PlanSpec spec = PlanSpec.reference(PlanMethod.SKETCH, arch, SketchOptions.of(64, 3, true), 6, 6, 2);
      var m = RidgeFit.on(b).ridge(1e-2).uncertainty(true).sketch(spec, train, RidgeFit.column(labels));
      assertEquals(ImageRidge.SHAPE, m.info().keySet().iterator().next());
      double[][] ridge = m.scores(test, b, Precision.F64, Progress.NONE);
      List<Prediction> ps = m.predict(test, new double[] {Double.POSITIVE_INFINITY, 0,
          2}, Uncertainty.VARIANCE, b, Precision.F64, Progress.NONE);
      assertTrue(EnsemblePosteriorTest.scaledError(ridge, ps.get(0).scores()) <= 1e-9);
      CntkSketch twin = SketchInference.nngpTwin(spec).cntkPlan();
      double[] prior = sqNorms(Sketches.features(b, twin, test, Progress.NONE));
      for (int i = 0; i < test.count(); i++) {
        assertEquals(prior[i], ps.get(1).variance()[i], 1e-12 * prior[i]);
        assertTrue(ps.get(2).variance()[i] > 0 && ps.get(2).variance()[i] < prior[i]);
      }
    }
  }
}
