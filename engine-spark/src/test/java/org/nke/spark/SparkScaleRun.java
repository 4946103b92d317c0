package org.nke.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nke.sketch.SketchOptions;

/**
 * The acceptance run: 200,000 labelled synthetic points in ℝ^100 through the Spark pipeline
 * (features + ridge, ridge chosen by leave-one-out on evenly spaced rows) on two executors in separate JVMs, and through
 * {@code RidgeFit.sketch} + {@code SketchModel.scores} in one process with the same seed;
 * the scores of 10,000 test points must agree to 1e-9. Writes {@code bench/results/spark-200k.md}.
 *
 * <pre>{@code
 * mvn -o test -pl engine-spark -am -Pbench -Dtest=SparkScaleRun -Dsurefire.failIfNoSpecifiedTests=false
 * }</pre>
 */
@Tag("bench")
class SparkScaleRun {
  @Test
  void twoHundredThousandPointsMatchTheLocalApi() throws Exception {
    int n = BenchSupport.intProp("rows", 200_000);
    int d = BenchSupport.intProp("d", 100);
    int m = BenchSupport.intProp("m", 1024);
    String kind = BenchSupport.prop("kind", "ntk");
    int nt = 10_000;
    int partitions = BenchSupport.intProp("partitions", 16);
    String arch = SparkBench.ARCH;
    double[][] scores = new double[nt][];
    double[] predicted = new double[nt];
    NeuralKernelRidgeModel model;
    double fit;
    double predict;
    SparkSession spark = SparkTests.cluster("nke-200k", 2, 2048);
    try {
      NeuralKernelRidge est = new NeuralKernelRidge().setArch(arch).setKind(kind).setDim(m)
          .setSeed(2026).setBackend("auto");
      long t0 = System.nanoTime();
      model = est.fit(SyntheticData.frame(spark, 0, n, d, 10, 1, partitions));
      fit = (System.nanoTime() - t0) * 1e-9;
      t0 = System.nanoTime();
      for (Row r : model.transform(SyntheticData.frame(spark, n, nt, d, 10, 1, 4))
          .select("row", "rawPrediction", "prediction").collectAsList()) {
        int i = (int) (r.getLong(0) - n);
        scores[i] = ((Vector) r.get(1)).toArray();
        predicted[i] = r.getDouble(2);
      }
      predict = (System.nanoTime() - t0) * 1e-9;
    } finally {
      spark.stop();
    }
    double[][] x = SyntheticData.points(0, n, d, 1);
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      y[i] = SyntheticData.label(1, x[i], 10);
    }
    double[][] test = SyntheticData.points(n, nt, d, 1);
    double[] truth = new double[nt];
    for (int i = 0; i < nt; i++) {
      truth[i] = SyntheticData.label(1, test[i], 10);
    }
    BenchSupport.Local local = BenchSupport.local(arch, SketchOptions.of(m, 2026, kind.equals("ntk")),
        x, y, null, test);
    x = null;
    double diff = BenchSupport.maxDiff(local.scores(), scores);
    double[] localPred = local.model().targets().decode(local.scores());
    int agree = 0;
    int correct = 0;
    for (int i = 0; i < nt; i++) {
      agree += localPred[i] == predicted[i] ? 1 : 0;
      correct += predicted[i] == truth[i] ? 1 : 0;
    }
    Map<String, String> info = model.ridgeModel().info();
    String md = String.join("\n",
        "# 200,000 points through Spark vs one process (`SparkScaleRun`)",
        "",
        String.format(Locale.ROOT, "%s; this machine (2 cores); %,d synthetic labelled points in ℝ^%d "
            + "(10 classes, linear teacher, `SyntheticData` seed 1; test points: the next 10,000 rows), `%s`, %s sketch m = %d → p = %d "
            + "features, seed 2026, ridge chosen by leave-one-out on evenly spaced rows; Spark: `local-cluster[2,1,2048]` "
            + "(2 executor JVMs × 1 core), %d partitions, blocks of 512 rows, CPU backend.",
            LocalDate.now(), n, d, arch, kind.toUpperCase(Locale.ROOT), m,
            model.ridgeModel().weights().length, partitions),
        "",
        "| | Spark (2 executors) | one process (2 threads) |",
        "|---|---|---|",
        String.format(Locale.ROOT, "| fit | %.1f s (%.0f rows/s) | %.1f s (%.0f rows/s) |", fit,
            n / fit, local.fitSeconds(), n / local.fitSeconds()),
        String.format(Locale.ROOT, "| ridge λ | %s | %s |", model.ridgeModel().ridge(),
            local.model().ridge()),
        String.format(Locale.ROOT, "| leave-one-out accuracy (selection rows) | %s | %s |",
            info.get("loo_accuracy"), local.model().info().get("loo_accuracy")),
        String.format(Locale.ROOT, "| predict %,d test points | %.1f s (%.0f rows/s) | – |", nt,
            predict, nt / predict),
        "",
        String.format(Locale.ROOT, "Max |score difference| over the %,d × 10 test scores: **%.3g** "
            + "(tolerance 1e-9); predicted classes agree on %d of %d; test accuracy %.4f.", nt, diff,
            agree, nt, correct / (double) nt),
        "",
        String.format(Locale.ROOT, "Spark fit phases: labels pass %s s, plan sample %s s, tree "
            + "aggregate %s s (task time: features %s s, FᵀF %s s, merges %s s), driver solve "
            + "(leave-one-out on the selection rows + solve) %s s.", info.get("spark_seconds_labels_pass"),
            info.get("spark_seconds_sample_and_plan"), info.get("spark_seconds_aggregate"),
            info.get("spark_task_seconds_features"), info.get("spark_task_seconds_gram"),
            info.get("spark_task_seconds_merge"), info.get("spark_seconds_driver_solve")),
        "");
    BenchSupport.write("spark-200k.md", md);
    assertEquals(local.model().ridge(), model.ridgeModel().ridge());
    assertEquals(local.model().info().get("loo_accuracy"), info.get("loo_accuracy"));
    assertTrue(diff <= 1e-9, "max difference " + diff);
  }
}
