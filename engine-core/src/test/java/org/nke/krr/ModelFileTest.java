package org.nke.krr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nke.exact.ExactKernel.Kind;
import org.nke.io.DataFiles;
import org.nke.ir.ImageBatch;
import org.nke.krr.Inference.Prediction;
import org.nke.krr.Inference.Uncertainty;
import org.nke.spi.Backend;
import org.nke.spi.BackendOptions;
import org.nke.spi.Backends;
import org.nke.spi.Precision;
import org.nke.spi.Progress;

/**
 * Model files written by the build before the typed models ({@code resources/org/nke/krr/v2}, format
 * version 2; how they were made is in the README there) load as the type of their featurizer and
 * predict what that build predicted (its {@code --scores} output, kept beside them), and what a fit
 * of the same data with the same settings gives today.
 */
class ModelFileTest {
  @TempDir
  Path dir;

  private static Path resource(String name) {
    try {
      return Path.of(ModelFileTest.class.getResource("/org/nke/krr/v2/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Largest entry difference relative to the largest entry of {@code expected}. */
  private static double error(double[][] expected, double[][] actual) {
    return EnsemblePosteriorTest.scaledError(expected, actual);
  }

  private static double[][] stored(String name) {
    return DataFiles.readPoints(resource(name));
  }

  private RidgeModel roundTrip(RidgeModel m) throws IOException {
    Path f = dir.resolve("again.nkem");
    try (OutputStream os = Files.newOutputStream(f)) {
      ModelFile.write(m, os);
    }
    return ModelFile.read(f);
  }

  @Test
  void pointModelsOfTheLastFormatLoadAsTheirTypeAndPredictAsBefore() throws IOException {
    double[][] x = DataFiles.readPoints(resource("sine-train.csv"));
    double[][] y = DataFiles.readLabelColumns(resource("sine-train-y.csv"));
    double[][] test = DataFiles.readPoints(resource("sine-test.csv"));
    try (Backends.Selection cpu = Backends.open("cpu", BackendOptions.defaults())) {
      Backend b = cpu.backend();
      RidgeFit fit = RidgeFit.on(b).ridge(1e-3);
      ExactPointsModel exact = assertInstanceOf(ExactPointsModel.class,
          ModelFile.read(resource("exact-points.nkem")));
      SketchModel sketch = assertInstanceOf(SketchModel.class,
          ModelFile.read(resource("sketch-ntk-posterior.nkem")));
      SubspaceModel subspace = assertInstanceOf(SubspaceModel.class,
          ModelFile.read(resource("subspace.nkem")));
      assertNotNull(sketch.posterior());
      List<PointsModel> refits = List.of(
          fit.exact(org.nke.arch.Architecture.parse(exact.architecture()), Kind.NTK, x, y),
          fit.uncertainty(true).sketch(sketch.plan(), x, y),
          fit.subspace(subspace.plan(), x, null, y));
      List<PointsModel> loaded = List.of(exact, sketch, subspace);
      String[] names = {"exact-points", "sketch-ntk-posterior", "subspace"};
      for (int i = 0; i < 3; i++) {
        PointsModel m = loaded.get(i);
        double[][] s = m.scores(test, b, Precision.F64, Progress.NONE);
        double before = error(stored(names[i] + ".scores.npy"), s);
        assertTrue(before <= 1e-12, names[i] + " vs the earlier build: " + before);
        double refit = error(s, refits.get(i).scores(test, b, Precision.F64, Progress.NONE));
        assertTrue(refit <= 1e-10, names[i] + " vs a fit today: " + refit);
        PointsModel back = (PointsModel) roundTrip(m);
        assertEquals(m.getClass(), back.getClass());
        assertEquals(0, error(s, back.scores(test, b, Precision.F64, Progress.NONE)));
      }
      Prediction p = sketch.predict(test, new double[] {10}, Uncertainty.VARIANCE, b, Precision.F64,
          Progress.NONE).get(0);
      // written without --scores: the values, scores plus the training mean
      assertTrue(error(stored("sketch-ntk-posterior.mean-t10.npy"),
          sketch.targets().values(p.scores())) <= 1e-12);
      assertTrue(error(stored("sketch-ntk-posterior.var-t10.npy"), RidgeFit.column(p.variance()))
          <= 1e-12);
    }
  }

  @Test
  void imageModelsOfTheLastFormatLoadAsTheirTypeAndPredictAsBefore() throws IOException {
    ImageBatch raw = DataFiles.readImages(resource("images.npy"));
    double[][] labels = DataFiles.readLabelColumns(resource("images-labels.csv"));
    try (Backends.Selection cpu = Backends.open("cpu", BackendOptions.defaults())) {
      Backend b = cpu.backend();
      RidgeFit fit = RidgeFit.on(b).ridge(1e-2);
      ExactImagesModel exact = assertInstanceOf(ExactImagesModel.class,
          ModelFile.read(resource("exact-images.nkem")));
      CntkSketchModel sketch = assertInstanceOf(CntkSketchModel.class,
          ModelFile.read(resource("cntk-sketch.nkem")));
      assertNotNull(exact.standardization());
      ImageBatch standardized = raw.standardized(exact.standardization());
      List<ImageModel> refits = List.of(
          fit.exact(org.nke.arch.Architecture.parse(exact.architecture()), Kind.NNGP, standardized,
              labels),
          fit.sketch(sketch.plan(), raw, labels));
      List<ImageModel> loaded = List.of(exact, sketch);
      List<ImageBatch> inputs = List.of(standardized, raw);
      String[] names = {"exact-images", "cntk-sketch"};
      for (int i = 0; i < 2; i++) {
        ImageModel m = loaded.get(i);
        double[][] s = m.scores(inputs.get(i), b, Precision.F64, Progress.NONE);
        double before = error(stored(names[i] + ".scores.npy"), s);
        assertTrue(before <= 1e-12, names[i] + " vs the earlier build: " + before);
        double refit = error(s, refits.get(i).scores(inputs.get(i), b, Precision.F64,
            Progress.NONE));
        assertTrue(refit <= 1e-10, names[i] + " vs a fit today: " + refit);
        assertEquals(m.targets().classification(), refits.get(i).targets().classification());
        ImageModel back = (ImageModel) roundTrip(m);
        assertEquals(m.getClass(), back.getClass());
        assertEquals(0, error(s, back.scores(inputs.get(i), b, Precision.F64, Progress.NONE)));
      }
    }
  }
}
