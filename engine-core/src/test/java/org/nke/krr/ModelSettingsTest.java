package org.nke.krr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nke.Sketches;
import org.nke.arch.Architecture;
import org.nke.error.InvalidInputException;
import org.nke.io.FlatJson;
import org.nke.sketch.PlanMethod;
import org.nke.sketch.PlanSpec;
import org.nke.sketch.SketchAccuracy;
import org.nke.sketch.SketchOptions;
import org.nke.sketch.SketchPlan;
import org.nke.spi.BackendOptions;
import org.nke.spi.Backends;
import org.nke.spi.Precision;
import org.nke.spi.Progress;

/**
 * A model keeps every setting its features depend on (issue: a non-default tail tolerance was lost),
 * predicts through its own method (a subspace model through {@link KernelRidge#scores}), and model
 * files of version 1 still load and predict as before.
 */
class ModelSettingsTest {
  private static final String GELU = "Dense(W_std=1.5, b_std=0.1), Gelu(), Dense(W_std=1.5, "
      + "b_std=0.1), Gelu(), Dense()";

  @TempDir
  Path dir;

  private static double[] labels(double[][] x) {
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = Math.sin(x[i][0]) + 0.3 * x[i][1];
    }
    return y;
  }

  private RidgeModel roundTrip(RidgeModel m) throws IOException {
    Path f = dir.resolve("m" + System.nanoTime() + ".nkem");
    try (OutputStream os = Files.newOutputStream(f)) {
      ModelFile.write(m, os);
    }
    return ModelFile.read(f);
  }

  @Test
  void everyNonDefaultSketchSettingSurvivesTheModelFile() throws IOException {
    double[][] x = SketchAccuracy.points(120, 6, 1, 1);
    double[][] test = SketchAccuracy.points(15, 6, 1, 2);
    double[] y = labels(x);
    SketchOptions custom = new SketchOptions(128, 17, true, 0, 0.05);
    SketchOptions defaults = new SketchOptions(128, 17, true, 0, SketchOptions.DEFAULT_TAIL);
    try (Backends.Selection cpu = Backends.open("cpu", BackendOptions.defaults())) {
      var m = RidgeFit.on(cpu.backend()).ridge(1e-3).sketch(PlanSpec.reference(PlanMethod.SKETCH,
          Architecture.parse(GELU), custom, x[0].length), x, RidgeFit.column(y));
      SketchModel back = (SketchModel) roundTrip(m);
      assertEquals(custom, back.plan().options());
      assertEquals(m.plan(), back.plan());
      double[][] before = m.scores(test, cpu.backend(), Precision.F64, Progress.NONE);
      double[][] after = back.scores(test, cpu.backend(), Precision.F64, Progress.NONE);
      assertArrayEquals(before, after);
      // the setting matters: the default tail gives other features (so a lost setting would show)
      SketchPlan a = SketchPlan.build(Architecture.parse(GELU), 6, custom);
      SketchPlan b = SketchPlan.build(Architecture.parse(GELU), 6, defaults);
      assertNotEquals(a.layers().get(0).degree(), b.layers().get(0).degree());
      // and an adapted plan with a fixed degree round-trips as well
      PlanSpec adapted = PlanSpec.reference(PlanMethod.SKETCH, Architecture.parse(GELU),
          new SketchOptions(128, 3, false, 4, 0.01), 6).adaptedTo(x, 64);
      var ma = RidgeFit.on(cpu.backend()).sketch(adapted, x, RidgeFit.column(y));
      SketchModel mb = (SketchModel) roundTrip(ma);
      assertEquals(adapted, mb.plan());
      assertArrayEquals(ma.scores(test, cpu.backend(), Precision.F64, Progress.NONE),
          mb.scores(test, cpu.backend(), Precision.F64, Progress.NONE));
    }
  }

  @Test
  void aSketchModelPredictsWithTheFeaturesSketchesGive() {
    double[][] x = SketchAccuracy.points(60, 6, 1, 3);
    try (Backends.Selection cpu = Backends.open("cpu", BackendOptions.defaults())) {
      var m = RidgeFit.on(cpu.backend()).ridge(1e-2).sketch(PlanSpec.reference(PlanMethod.SKETCH,
          Architecture.parse(GELU), SketchOptions.of(128, 5, false), x[0].length), x, RidgeFit.column(labels(x)));
      double[][] f = Sketches.of(GELU).withDim(128).withSeed(5).withBackend("cpu").nngp(x);
      assertArrayEquals(FeatureRidge.scores(f, m.weights()),
          m.scores(x, cpu.backend(), Precision.F64, Progress.NONE));
    }
  }

  @Test
  void subspaceModelsPredictThroughKernelRidgeScores() throws IOException {
    double[][] x = SketchAccuracy.points(80, 10, 1, 4);
    double[] y = labels(x);
    Architecture relu = Architecture.parse("Dense(W_std=1.4), Relu(), Dense(W_std=1.4), Relu(), Dense()");
    try (Backends.Selection cpu = Backends.open("cpu", BackendOptions.defaults())) {
      var m = RidgeFit.on(null).ridge(1e-3).subspace(PlanSpec.reference(PlanMethod.SUBSPACE, relu,
          new SketchOptions(256, 2, true, 3, 0.2), x[0].length), x, null, RidgeFit.column(y));
      double[][] direct = m.scores(x, null, (ForkJoinPool) null, Progress.NONE);
      assertArrayEquals(direct, m.scores(x, cpu.backend(), Precision.F64, Progress.NONE));
      SubspaceModel back = (SubspaceModel) roundTrip(m);
      assertEquals(m.plan(), back.plan());
      assertArrayEquals(direct, back.scores(x, cpu.backend(), Precision.F64, Progress.NONE));
    }
  }

  @Test
  void versionOneSketchModelsLoadAndPredictWithTheirSampleRows() throws IOException {
    double[][] x = SketchAccuracy.points(50, 4, 1, 5);
    double[][] sample = Arrays.copyOf(x, 20);
    Random r = new Random(1);
    Path f = dir.resolve("v1.nkem");
    // a version 1 sketch model as nke wrote it: points.npy = the plan sample, no tail tolerance
    String json = "{\n  \"format\": \"nke-model\",\n  \"version\": 1,\n  \"method\": \"sketch\",\n"
        + "  \"architecture\": \"" + Architecture.parse(GELU).describe().replace("\"",
            "\\\"") + "\",\n"
        + "  \"kernel\": \"nngp\",\n  \"input_dim\": 4,\n  \"ridge\": 0.01,\n"
        + "  \"task\": \"regression\",\n  \"classes\": [],\n  \"target_mean\": 0.5,\n"
        + "  \"sketch_dim\": 64,\n  \"seed\": 3,\n  \"degree\": 0,\n  \"info\": {\"a\": \"b\"}\n}\n";
    SketchPlan v1 = SketchPlan.build(Architecture.parse(GELU), 4, SketchOptions.of(64, 3, false),
        sample);
    double[][] weights = new double[v1.outputDim()][1];
    for (double[] row : weights) {
      row[0] = r.nextGaussian();
    }
    try (ZipOutputStream zip = FlatJson.zip(Files.newOutputStream(f))) {
      FlatJson.putText(zip, "model.json", json);
      FlatJson.putArray(zip, "points.npy", sample);
      FlatJson.putArray(zip, "weights.npy", weights);
    }
    SketchModel m = (SketchModel) ModelFile.read(f);
    assertTrue(m.plan().adapted());
    assertEquals(Map.of("a", "b"), m.info());
    double[][] expected = new double[x.length][];
    for (int i = 0; i < x.length; i++) {
      expected[i] = FeatureRidge.scores(new double[][] {v1.features(x[i])}, weights)[0];
    }
    try (Backends.Selection cpu = Backends.open("cpu", BackendOptions.defaults())) {
      double[][] s = m.scores(x, cpu.backend(), Precision.F64, Progress.NONE);
      for (int i = 0; i < x.length; i++) {
        assertEquals(expected[i][0], s[i][0], 1e-12 * (1 + Math.abs(expected[i][0])));
      }
    }
    Files.writeString(f, "{}", StandardCharsets.UTF_8);
    assertThrows(InvalidInputException.class, () -> ModelFile.read(f));
  }
}
