package org.nke.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nke.arch.Architecture;
import org.nke.error.InvalidInputException;
import org.nke.krr.Inference.Prediction;
import org.nke.krr.Inference.Uncertainty;
import org.nke.krr.RidgeFit;
import org.nke.krr.SketchModel;
import org.nke.sketch.PlanMethod;
import org.nke.sketch.PlanSpec;
import org.nke.sketch.SketchOptions;
import org.nke.spi.BackendOptions;
import org.nke.spi.Backends;
import org.nke.spi.Precision;
import org.nke.spi.Progress;

/**
 * The variance column and finite training times of {@link NeuralKernelRidgeModel}, in a local Spark
 * session, against the posterior of the same sketch model fitted in one process
 * ({@code RidgeFit.uncertainty}, {@code SketchModel.predict}): the primal posterior of the
 * aggregated sums equals the one-process posterior to rounding.
 */
class NeuralKernelRidgeVarianceTest {
  private static final double[] TIMES = {Double.POSITIVE_INFINITY, 5};
  private static SparkSession spark;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    spark = SparkTests.local();
  }

  /** Largest entry difference relative to the largest entry of {@code want}. */
  private static double relative(double[][] want, double[][] got) {
    double max = 0;
    double diff = 0;
    for (int i = 0; i < want.length; i++) {
      for (int j = 0; j < want[i].length; j++) {
        max = Math.max(max, Math.abs(want[i][j]));
        diff = Math.max(diff, Math.abs(want[i][j] - got[i][j]));
      }
    }
    return diff / max;
  }

  /** {@code {raw scores, variances as one-column rows}} by id. */
  private static double[][][] collect(Dataset<Row> out, int n) {
    double[][] scores = new double[n][];
    double[][] variances = new double[n][];
    for (Row r : out.select("id", "rawPrediction", "variance").collectAsList()) {
      int i = (int) r.getLong(0);
      scores[i] = ((Vector) r.get(1)).toArray();
      variances[i] = new double[] {r.getDouble(2)};
    }
    return new double[][][] {scores, variances};
  }

  @Test
  void varianceColumnAndFiniteTimesEqualTheOneProcessPosterior() {
    double[][] x = SparkTests.points(500, 6, 31);
    double[] y = SparkTests.values(x);
    double[][] test = SparkTests.points(80, 6, 32);
    for (boolean ntk : new boolean[] {true, false}) {
      SketchModel local;
      List<Prediction> want;
      try (Backends.Selection cpu = Backends.open("cpu", BackendOptions.defaults())) {
        local = RidgeFit.on(cpu.backend()).ridge(1e-3).uncertainty(true).sketch(
            PlanSpec.reference(PlanMethod.SKETCH, Architecture.parse(NeuralKernelRidgeTest.ARCH),
                SketchOptions.of(64, 5, ntk), 6), x, RidgeFit.column(y));
        want = local.predict(test, TIMES, Uncertainty.VARIANCE, cpu.backend(), Precision.F64,
            Progress.NONE);
      }
      NeuralKernelRidgeModel model = new NeuralKernelRidge().setArch(NeuralKernelRidgeTest.ARCH)
          .setKind(ntk ? "ntk" : "nngp").setDim(64).setSeed(5).setRidge(1e-3).setBlockSize(70)
          .setUncertainty(true).fit(SparkTests.frame(spark, x, y, 3));
      assertTrue(model.ridgeModel().info().get("posterior").startsWith(ntk ? "ntk" : "nngp"));
      Dataset<Row> frame = SparkTests.frame(spark, test, null, 2);
      for (int k = 0; k < TIMES.length; k++) {
        double[][][] got = collect(model.setVarianceCol("variance").setTime(TIMES[k])
            .transform(frame), test.length);
        double mean = relative(want.get(k).scores(), got[0]);
        double var = relative(RidgeFit.column(want.get(k).variance()), got[1]);
        String what = (ntk ? "ntk" : "nngp") + " t=" + TIMES[k];
        assertTrue(mean <= 1e-9, what + " mean " + mean);
        assertTrue(var <= 1e-9, what + " variance " + var);
      }
    }
  }

  @Test
  void withoutTheColumnTheOutputIsAsBeforeAndWithoutAPosteriorItIsRefused() throws IOException {
    double[][] x = SparkTests.points(300, 5, 41);
    double[] y = SparkTests.classes(x);
    Dataset<Row> train = SparkTests.frame(spark, x, y, 2);
    Dataset<Row> test = SparkTests.frame(spark, SparkTests.points(50, 5, 42), null, 2);
    NeuralKernelRidge est = new NeuralKernelRidge().setArch(NeuralKernelRidgeTest.ARCH)
        .setKind("ntk").setDim(64).setSeed(2).setRidge(1e-2);
    NeuralKernelRidgeModel plain = est.fit(train);
    NeuralKernelRidgeModel kept = est.copy(org.apache.spark.ml.param.ParamMap.empty())
        .setUncertainty(true).fit(train);
    Dataset<Row> a = plain.transform(test);
    Dataset<Row> b = kept.transform(test);
    assertArrayEquals(a.schema().fieldNames(), b.schema().fieldNames());
    assertEquals(a.sort("id").collectAsList(), b.sort("id").collectAsList());
    assertTrue(b.schema().getFieldIndex("variance").isEmpty());
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> plain.setVarianceCol("variance").transform(test));
    assertTrue(e.getMessage().contains("setUncertainty(true)"), e.getMessage());
    assertThrows(InvalidInputException.class, () -> plain.setVarianceCol("").setTime(3)
        .transform(test));
    // the posterior survives write().save / load
    String saved = dir.resolve("kept").toString();
    kept.write().save(saved);
    NeuralKernelRidgeModel loaded = NeuralKernelRidgeModel.load(saved);
    assertEquals(kept.setVarianceCol("variance").setTime(2).transform(test).sort("id")
        .collectAsList(), loaded.setVarianceCol("variance").setTime(2).transform(test).sort("id")
        .collectAsList());
  }
}
