package org.nke.krr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nke.arch.Architecture;
import org.nke.exact.ExactKernel.Kind;
import org.nke.ir.ImageBatch;
import org.nke.sketch.CntkSketchAccuracy;
import org.nke.sketch.PlanMethod;
import org.nke.sketch.PlanSpec;
import org.nke.sketch.SketchAccuracy;
import org.nke.sketch.SketchOptions;
import org.nke.spi.Backend;
import org.nke.spi.BackendOptions;
import org.nke.spi.Backends;
import org.nke.spi.Precision;
import org.nke.spi.Progress;

/**
 * Labels of two columns ({@code n × 2}) fit every featurizer like two one-column fits with the same
 * ridge: the targets are centred column by column and the solve is linear in them, so column
 * {@code j} of the two-column model's values equals the {@code j}-th one-column model's values.
 */
class MultiOutputTest {
  private static final double TOL = 1e-10;
  private static final Architecture CONV = Architecture.parse("Conv(3, (3, 3), padding='SAME', "
      + "W_std=1.4, b_std=0.1), Relu(), GlobalAvgPool(), Dense()");
  private static final Architecture DENSE = Architecture.parse("Dense(W_std=1.5, b_std=0.1), Gelu(), "
      + "Dense()");
  private static final Architecture HOMOGENEOUS = Architecture.parse("Dense(W_std=1.4), Relu(), "
      + "Dense(W_std=1.4), Relu(), Dense()");

  @TempDir
  Path dir;

  /** Two regression columns (not integers) per row. */
  private static double[][] labels(int n, long seed) {
    Random r = new Random(seed);
    double[][] y = new double[n][2];
    for (double[] row : y) {
      row[0] = r.nextGaussian() + 0.3;
      row[1] = 2 * r.nextGaussian() - 1.1;
    }
    return y;
  }

  private static double[][] column(double[][] y, int j) {
    double[][] out = new double[y.length][1];
    for (int i = 0; i < y.length; i++) {
      out[i][0] = y[i][j];
    }
    return out;
  }

  /** A model's values of its test data, one column per output. */
  @FunctionalInterface
  private interface Values {
    double[][] of(RidgeModel m);
  }

  private RidgeModel roundTrip(RidgeModel m) throws IOException {
    Path f = dir.resolve("m.nkem");
    try (OutputStream os = Files.newOutputStream(f)) {
      ModelFile.write(m, os);
    }
    return ModelFile.read(f);
  }

  /** Fits {@code y}, then each of its columns, and compares the values on the test data. */
  private void check(String what, java.util.function.Function<double[][], RidgeModel> fit,
      double[][] y, Values values) throws IOException {
    RidgeModel both = roundTrip(fit.apply(y));
    assertTrue(both.targets().multiOutput(), what);
    double[][] v = values.of(both);
    for (int j = 0; j < 2; j++) {
      RidgeModel one = fit.apply(column(y, j));
      assertEquals(both.ridge(), one.ridge(), what);
      double[][] w = values.of(one);
      double err = 0;
      double scale = 0;
      for (int i = 0; i < w.length; i++) {
        err = Math.max(err, Math.abs(v[i][j] - w[i][0]));
        scale = Math.max(scale, Math.abs(w[i][0]));
      }
      assertTrue(err <= TOL * scale, what + " column " + j + ": " + err / scale);
    }
  }

  @Test
  void twoColumnsFitLikeTwoSingleColumnFitsForEveryFeaturizer() throws IOException {
    ImageBatch images = CntkSketchAccuracy.images(24, 6, 6, 2, 1);
    ImageBatch testImages = CntkSketchAccuracy.images(5, 6, 6, 2, 2);
    double[][] x = SketchAccuracy.points(40, 5, 1, 3);
    double[][] test = SketchAccuracy.points(9, 5, 1, 4);
    try (Backends.Selection cpu = Backends.open("cpu", BackendOptions.defaults())) {
      Backend b = cpu.backend();
      RidgeFit fit = RidgeFit.on(b).ridge(1e-2);
      Values ofImages = m -> m.targets().values(((ImageModel) m).scores(testImages, b,
          Precision.F64, Progress.NONE));
      Values ofPoints = m -> m.targets().values(((PointsModel) m).scores(test, b, Precision.F64,
          Progress.NONE));
      double[][] yi = labels(images.count(), 5);
      double[][] yp = labels(x.length, 6);
      check("exact CNTK", y -> fit.exact(CONV, Kind.NTK, images, y), yi, ofImages);
      check("CNTK sketch", y -> fit.sketch(PlanSpec.reference(PlanMethod.SKETCH, CONV,
          SketchOptions.of(64, 3, true), 6, 6, 2), images, y), yi, ofImages);
      check("subspace", y -> fit.subspace(PlanSpec.reference(PlanMethod.SUBSPACE, HOMOGENEOUS,
          new SketchOptions(256, 2, true, 3, 0.2), 5), x, null, y), yp, ofPoints);
      check("exact dense", y -> fit.exact(DENSE, Kind.NNGP, x, y), yp, ofPoints);
      check("dense sketch", y -> fit.sketch(PlanSpec.reference(PlanMethod.SKETCH, DENSE,
          SketchOptions.of(64, 3, true), 5), x, y), yp, ofPoints);
      // more points than features: the primal form
      double[][] many = SketchAccuracy.points(300, 5, 1, 7);
      double[][] ym = labels(many.length, 8);
      check("dense sketch, primal", y -> fit.sketch(PlanSpec.reference(PlanMethod.SKETCH, DENSE,
          SketchOptions.of(64, 3, false), 5), many, y), ym, ofPoints);
      check("subspace, primal", y -> fit.subspace(PlanSpec.reference(PlanMethod.SUBSPACE, HOMOGENEOUS,
          new SketchOptions(128, 2, true, 3, 0.2), 5), many, null, y), ym, ofPoints);
      // without a ridge, one is chosen for both columns by the LOO MSE over all entries
      RidgeModel chosen = RidgeFit.on(b).subspace(PlanSpec.reference(PlanMethod.SUBSPACE, HOMOGENEOUS,
          new SketchOptions(256, 2, true, 3, 0.2), 5), x, null, yp);
      assertTrue(chosen.info().containsKey("loo_MSE"), chosen.info().toString());
    }
  }
}
