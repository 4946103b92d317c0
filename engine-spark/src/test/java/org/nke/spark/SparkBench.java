package org.nke.spark;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nke.sketch.SketchOptions;

/**
 * The {@code spark} benchmark: the Spark fit (features + tree-aggregated sums + driver solve) with 1
 * and 2 executors in separate JVMs ({@code local-cluster}), against one process with 2 threads, on
 * synthetic labelled points; rows/s and where the time goes. Writes {@code bench/results/spark.md}.
 *
 * <pre>{@code
 * mvn -o test -pl engine-spark -am -Pbench -Dtest=SparkBench -Dsurefire.failIfNoSpecifiedTests=false \
 *     [-Dnke.bench.rows=20000 -Dnke.bench.d=100 -Dnke.bench.m=1024 -Dnke.bench.kind=nngp]
 * }</pre>
 */
@Tag("bench")
class SparkBench {
  static final String ARCH = "Dense(W_std=1.5, b_std=0.1), Gelu(), Dense(W_std=1.5), Relu(), Dense()";

  @Test
  void oneVersusTwoExecutors() throws Exception {
    int n = BenchSupport.intProp("rows", 20000);
    int d = BenchSupport.intProp("d", 100);
    int m = BenchSupport.intProp("m", 1024);
    String kind = BenchSupport.prop("kind", "nngp");
    int partitions = BenchSupport.intProp("partitions", 8);
    List<String> lines = new ArrayList<>();
    int p = 0;
    for (int workers : new int[] {1, 2}) {
      SparkSession spark = SparkTests.cluster("nke-bench-" + workers, workers, 2048);
      try {
        NeuralKernelRidge est = new NeuralKernelRidge().setArch(ARCH).setKind(kind).setDim(m)
            .setSeed(1).setRidge(1e-3).setBackend("cpu");
        est.fit(SyntheticData.frame(spark, 0, 2000, d, 10, 7, workers)); // warm-up: JIT, plans
        Dataset<Row> frame = SyntheticData.frame(spark, 0, n, d, 10, 1, partitions);
        long t0 = System.nanoTime();
        NeuralKernelRidgeModel model = est.fit(frame);
        double fit = (System.nanoTime() - t0) * 1e-9;
        double map = BenchSupport.mapOnly(frame, est, model.ridgeModel());
        Map<String, String> info = model.ridgeModel().info();
        p = model.ridgeModel().weights().length;
        double aggregate = Double.parseDouble(info.get("spark_seconds_aggregate"));
        double solve = Double.parseDouble(info.get("spark_seconds_driver_solve"));
        double reduce = Math.max(0, aggregate - map) + solve;
        lines.add(String.format(Locale.ROOT, "| Spark, %d executor%s × 1 core | %.1f | %.0f | %.1f | "
            + "%.1f | %.2f | %.0f %% |", workers, workers > 1 ? "s" : "", fit, n / fit, map,
            Math.max(0, aggregate - map), solve, 100 * reduce / fit));
      } finally {
        spark.stop();
      }
    }
    double[][] x = SyntheticData.points(0, n, d, 1);
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      y[i] = SyntheticData.label(1, x[i], 10);
    }
    BenchSupport.Local local = BenchSupport.local(ARCH, SketchOptions.of(m, 1, kind.equals("ntk")), x,
        y, 1e-3, x.length > 10 ? java.util.Arrays.copyOf(x, 10) : x);
    lines.add(String.format(Locale.ROOT, "| one process, 2 threads (`RidgeFit.sketch`) | %.1f "
        + "| %.0f | – | – | – | – |", local.fitSeconds(), n / local.fitSeconds()));
    String md = String.join("\n",
        "# Spark benchmark (`SparkBench`)",
        "",
        String.format(Locale.ROOT, "%s; %,d synthetic labelled points in ℝ^%d (10 classes), `%s`, "
            + "%s sketch, m = %d → p = %d features, ridge given, %d partitions, blocks of 512 rows. "
            + "Executors are separate JVMs (`local-cluster[k,1,2048]`) on this 2-core machine; "
            + "timings include generating the points on the executors.", LocalDate.now(), n, d,
            ARCH, kind.toUpperCase(Locale.ROOT), m, p, partitions),
        "",
        "| run | fit s | rows/s | map s (features + per-task FᵀF) | reduce s (ship + merge p×p) "
            + "| driver solve s | reduce share |",
        "|---|---|---|---|---|---|---|",
        String.join("\n", lines),
        "",
        "map s: the fit's third pass alone, each task's partial sum dropped instead of shipped; "
            + "reduce s: that pass inside the fit (tree aggregate) minus the map alone; reduce share "
            + "= (reduce + driver solve) / fit. The fit also makes two cheap passes (row counts and "
            + "labels; the 256-row plan sample).",
        "");
    BenchSupport.write("spark.md", md);
  }
}
