package org.nke.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.nke.arch.Architecture;
import org.nke.krr.KernelRidge;
import org.nke.krr.RidgeFit;
import org.nke.krr.SketchModel;
import org.nke.sketch.PlanMethod;
import org.nke.sketch.PlanSpec;
import org.nke.krr.Targets;
import org.nke.sketch.SketchOptions;
import org.nke.spi.BackendOptions;
import org.nke.spi.Backends;
import org.nke.spi.Precision;
import org.nke.spi.Progress;

/** Shared pieces of the benchmark runs (tagged {@code bench}, run with {@code -Pbench}). */
final class BenchSupport {
  private BenchSupport() {
  }

  static String prop(String name, String fallback) {
    return System.getProperty("nke.bench." + name, fallback);
  }

  static int intProp(String name, int fallback) {
    return Integer.parseInt(prop(name, Integer.toString(fallback)));
  }

  /** The single-process fit and its scores on the test points. */
  record Local(SketchModel model, double[][] scores, double fitSeconds) {
  }

  static Local local(String arch, SketchOptions o, double[][] x, double[] y, Double ridge,
      double[][] test) {
    try (Backends.Selection cpu = Backends.open("cpu", BackendOptions.defaults().withThreads(2))) {
      ForkJoinPool pool = new ForkJoinPool(2);
      try {
        long t0 = System.nanoTime();
        SketchModel m = RidgeFit.on(cpu.backend()).pool(pool).ridge(ridge).sketch(PlanSpec.reference(PlanMethod.SKETCH, Architecture.parse(arch), o, x[0].length), x, RidgeFit.column(y));
        double s = (System.nanoTime() - t0) * 1e-9;
        return new Local(m, m.scores(test, cpu.backend(), Precision.F64, Progress.NONE),
            s);
      } finally {
        pool.shutdown();
      }
    }
  }

  /**
   * The fit's third pass without its reduce: features and per-task sums in every partition, each
   * task's partial result dropped instead of shipped and merged.
   *
   * @return wall seconds
   */
  static double mapOnly(Dataset<Row> frame, NeuralKernelRidge est, SketchModel fitted) {
    JavaRDD<Row> rows = frame.select("features", "label").toDF().javaRDD();
    long[] offsets = new long[rows.getNumPartitions()];
    SketchSpec spec = NeuralKernelRidgeModel.spec(fitted);
    int p = fitted.weights().length;
    Targets t = fitted.targets();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(frame.sparkSession().sparkContext());
    Broadcast<SketchSpec> b = jsc.broadcast(spec);
    FitStep step = new FitStep(b, null, est.getBackend(), est.getThreads(), t, new long[0]);
    int c = t.classification() ? t.classes().length : 1;
    long t0 = System.nanoTime();
    rows.mapPartitionsWithIndex(PointBlock.blocks(offsets, 0, 1, "features", "label",
        spec.inputDim(), est.getBlockSize()), true).mapPartitions(it -> {
          GramAccumulator acc = new GramAccumulator(p, c);
          while (it.hasNext()) {
            step.call(acc, it.next());
          }
          return List.of(acc.count()).iterator();
        }).count();
    double s = (System.nanoTime() - t0) * 1e-9;
    b.destroy();
    return s;
  }

  static double maxDiff(double[][] a, double[][] b) {
    return NeuralKernelRidgeTest.maxDiff(a, b);
  }

  static void write(String file, String markdown) throws Exception {
    Path out = Path.of("..", "bench", "results", file);
    Files.createDirectories(out.getParent());
    Files.writeString(out, markdown);
  }
}
