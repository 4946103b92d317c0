package org.nke.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nke.arch.Architecture;
import org.nke.error.InvalidInputException;
import org.nke.krr.KernelRidge;
import org.nke.krr.RidgeFit;
import org.nke.krr.SketchModel;
import org.nke.sketch.PlanMethod;
import org.nke.sketch.PlanSpec;
import org.nke.sketch.SketchOptions;
import org.nke.spi.BackendOptions;
import org.nke.spi.Backends;
import org.nke.spi.Precision;
import org.nke.spi.Progress;

class NeuralKernelRidgeTest {
  static final String ARCH = "Dense(W_std=1.5, b_std=0.1), Gelu(), Dense(W_std=1.3), Erf(), Dense()";
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkTests.local();
  }

  /** Scores of the local API: {@code RidgeFit.sketch} then {@code SketchModel.scores}. */
  static double[][] localScores(SketchModel[] out, boolean ntk, int m, long seed, double[][] x,
      double[] y, Double ridge, double[][] test) {
    try (Backends.Selection cpu = Backends.open("cpu", BackendOptions.defaults().withThreads(2))) {
      SketchModel model = RidgeFit.on(cpu.backend()).ridge(ridge).sketch(PlanSpec.reference(PlanMethod.SKETCH, Architecture.parse(ARCH), SketchOptions.of(m, seed, ntk),
          x[0].length), x, RidgeFit.column(y));
      out[0] = model;
      return model.scores(test, cpu.backend(), Precision.F64, Progress.NONE);
    }
  }

  /** Raw predictions by id, and predictions. */
  static double[][] sparkScores(Dataset<Row> out, int n, double[] predicted) {
    double[][] s = new double[n][];
    for (Row r : out.select("id", "rawPrediction", "prediction").collectAsList()) {
      int i = (int) r.getLong(0);
      s[i] = ((Vector) r.get(1)).toArray();
      predicted[i] = r.getDouble(2);
    }
    return s;
  }

  static double maxDiff(double[][] a, double[][] b) {
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[i].length; j++) {
        max = Math.max(max, Math.abs(a[i][j] - b[i][j]));
      }
    }
    return max;
  }

  @Test
  void classificationPredictionsEqualTheLocalApiToTenDigits() {
    double[][] x = SparkTests.points(1500, 8, 11);
    double[] y = SparkTests.classes(x);
    double[][] test = SparkTests.points(300, 8, 12);
    SketchModel[] local = new SketchModel[1];
    double[][] want = localScores(local, true, 128, 7, x, y, 1e-3, test);
    NeuralKernelRidgeModel model = new NeuralKernelRidge().setArch(ARCH).setKind("ntk").setDim(128)
        .setSeed(7).setRidge(1e-3).setBlockSize(100).fit(SparkTests.frame(spark, x, y, 3));
    double[] predicted = new double[test.length];
    double[][] got = sparkScores(model.transform(SparkTests.frame(spark, test, null, 2)),
        test.length,
        predicted);
    assertTrue(maxDiff(want, got) <= 1e-9, "max difference " + maxDiff(want, got));
    assertArrayEquals(local[0].targets().decode(want), predicted, 0.0);
    assertEquals(local[0].targets().classes().length, model.ridgeModel().targets()
        .classes().length);
  }

  @Test
  void ridgeChosenOnTheSameRowsAndRegressionMatches() {
    double[][] x = SparkTests.points(1200, 6, 21);
    double[] y = SparkTests.values(x);
    double[][] test = SparkTests.points(200, 6, 22);
    SketchModel[] local = new SketchModel[1];
    double[][] want = localScores(local, false, 96, 3, x, y, null, test);
    NeuralKernelRidgeModel model = new NeuralKernelRidge().setArch(ARCH).setKind("nngp").setDim(96)
        .setSeed(3).setBlockSize(64).setAggregationDepth(3).fit(SparkTests.frame(spark, x, y, 4));
    assertEquals(local[0].ridge(), model.ridgeModel().ridge());
    assertEquals(local[0].info().get("loo_MSE"), model.ridgeModel().info().get("loo_MSE"));
    double[] predicted = new double[test.length];
    double[][] got = sparkScores(model.transform(SparkTests.frame(spark, test, null, 3)),
        test.length,
        predicted);
    assertTrue(maxDiff(want, got) <= 1e-9, "max difference " + maxDiff(want, got));
  }

  @Test
  void ridgeIsChosenOnTheSameTwoThousandEvenlySpacedRowsAsInOneProcess() {
    double[][] x = SparkTests.points(21000, 4, 61);
    double[] y = SparkTests.classes(x);
    double[][] test = SparkTests.points(100, 4, 62);
    SketchModel[] local = new SketchModel[1];
    double[][] want = localScores(local, false, 64, 8, x, y, null, test);
    NeuralKernelRidgeModel model = new NeuralKernelRidge().setArch(ARCH).setKind("nngp").setDim(64)
        .setSeed(8).setBlockSize(1000).fit(SparkTests.frame(spark, x, y, 5));
    assertEquals("leave-one-out on 2000 points", model.ridgeModel().info().get("ridge_selection"));
    assertEquals(local[0].info().get("loo_accuracy"), model.ridgeModel().info()
        .get("loo_accuracy"));
    assertEquals(local[0].ridge(), model.ridgeModel().ridge());
    double[][] got = sparkScores(model.transform(SparkTests.frame(spark, test, null, 1)),
        test.length,
        new double[test.length]);
    assertTrue(maxDiff(want, got) <= 1e-9, "max difference " + maxDiff(want, got));
  }

  @Test
  void withNoMorePointsThanFeaturesTheRidgeStillMatchesTheLocalDualForm() {
    // locally n ≤ p solves in dual form; Spark always in primal: same rows, same λ, same model
    double[][] x = SparkTests.points(180, 5, 71);
    double[] y = SparkTests.classes(x);
    double[][] test = SparkTests.points(60, 5, 72);
    SketchModel[] local = new SketchModel[1];
    double[][] want = localScores(local, false, 256, 4, x, y, null, test);
    assertTrue(local[0].info().get("form").startsWith("dual"), local[0].info().toString());
    NeuralKernelRidgeModel model = new NeuralKernelRidge().setArch(ARCH).setKind("nngp").setDim(256)
        .setSeed(4).setBlockSize(50).fit(SparkTests.frame(spark, x, y, 3));
    assertEquals(local[0].ridge(), model.ridgeModel().ridge());
    assertEquals(local[0].info().get("loo_accuracy"), model.ridgeModel().info()
        .get("loo_accuracy"));
    double[][] got = sparkScores(model.transform(SparkTests.frame(spark, test, null, 1)),
        test.length,
        new double[test.length]);
    double scale = 0;
    for (double[] row : want) {
      for (double v : row) {
        scale = Math.max(scale, Math.abs(v));
      }
    }
    assertTrue(maxDiff(want, got) <= 1e-6 * scale, "max difference " + maxDiff(want, got)
        + " at ridge " + local[0].ridge() + ", scores up to " + scale);
  }

  @Test
  void savedModelsPredictBitForBitAndEstimatorsRoundTrip(@TempDir Path dir) throws Exception {
    double[][] x = SparkTests.points(400, 5, 31);
    double[] y = SparkTests.classes(x);
    NeuralKernelRidge est = new NeuralKernelRidge().setArch(ARCH).setDim(64).setSeed(5)
        .setRidge(1e-2)
        .setPredictionCol("p");
    est.write().save(dir.resolve("est").toString());
    NeuralKernelRidge est2 = NeuralKernelRidge.load(dir.resolve("est").toString());
    assertEquals(est.extractParamMap().toString(), est2.extractParamMap().toString());
    Dataset<Row> df = SparkTests.frame(spark, x, y, 2);
    NeuralKernelRidgeModel model = est2.fit(df);
    model.write().save(dir.resolve("model").toString());
    NeuralKernelRidgeModel loaded = NeuralKernelRidgeModel.load(dir.resolve("model").toString());
    assertEquals(model.uid(), loaded.uid());
    assertEquals("p", loaded.getPredictionCol());
    List<Row> a = model.transform(df).sort("id").select("p", "rawPrediction").collectAsList();
    List<Row> b = loaded.transform(df).sort("id").select("p", "rawPrediction").collectAsList();
    assertEquals(a, b);
    double accuracy = model.transform(df).where(functions.col("p").equalTo(functions.col("label")))
        .count() / (double) x.length;
    assertTrue(accuracy > 0.6, "training accuracy " + accuracy);
  }

  @Test
  void badLabelsAndPointsNameTheColumnAndTheGlobalRow() {
    double[][] x = SparkTests.points(1000, 4, 41);
    double[] y = SparkTests.classes(x);
    y[733] = Double.NaN;
    NeuralKernelRidge est = new NeuralKernelRidge().setArch(ARCH).setDim(64).setRidge(1e-2);
    InvalidInputException label = assertThrows(InvalidInputException.class,
        () -> est.fit(SparkTests.frame(spark, x, y, 3)));
    assertEquals("column 'label' labels must be finite numbers, got NaN at row 734",
        label.getMessage());

    double[] good = SparkTests.classes(x);
    x[901][1] = Double.NEGATIVE_INFINITY;
    InvalidInputException point = assertThrows(InvalidInputException.class,
        () -> est.fit(SparkTests.frame(spark, x, good, 3)));
    assertEquals("column 'features' values must be finite, got -Infinity at row 902, element 2",
        point.getMessage());

    Dataset<Row> text = SparkTests.frame(spark, SparkTests.points(5, 4, 1), null, 1)
        .withColumn("name", functions.lit("a"));
    InvalidInputException type = assertThrows(InvalidInputException.class,
        () -> est.setLabelCol("name").fit(text));
    assertEquals("column 'name' must hold numbers (labels), got string", type.getMessage());
  }
}
