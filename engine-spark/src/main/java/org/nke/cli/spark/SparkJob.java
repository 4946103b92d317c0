package org.nke.cli.spark;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.nke.error.InvalidInputException;
import org.nke.error.NkeException;
import org.nke.krr.ModelFile;
import org.nke.krr.RidgeModel;
import org.nke.spark.ExecutionParams;
import org.nke.spark.NeuralKernelFeatures;
import org.nke.spark.NeuralKernelRidge;
import org.nke.spark.NeuralKernelRidgeModel;
import org.nke.spark.SketchParams;

/**
 * The {@code spark-submit} job: sketch features, kernel ridge fit and prediction on a cluster.
 *
 * <pre>{@code
 * spark-submit --class org.nke.cli.spark.SparkJob engine-spark/target/nke-spark.jar \
 *   fit --arch "Dense(W_std=1.5, b_std=0.1), Gelu(), Dense()" --x hdfs:///data/train.parquet \
 *   --kind ntk --dim 1024 --seed 0 --model hdfs:///models/m1 --test hdfs:///data/test.parquet \
 *   --out hdfs:///out/pred.parquet
 * }</pre>
 *
 * Commands: {@code features} (writes the features as Parquet), {@code fit} (saves a Spark ML model,
 * and with {@code --nke-model FILE.zip} also the {@code nke fit} model file; with {@code --test}
 * predicts and reports the test metric), {@code predict} (a saved model, or an {@code nke fit}
 * {@code .zip}, on new data). With {@code fit --uncertainty} the model keeps the ensemble posterior,
 * and {@code --time T} / {@code --variance} then predict the mean at training time {@code T} and add
 * a {@code variance} column, as {@code nke predict --time/--variance} does. Accuracy (integer labels) or MSE is printed whenever labels are known.
 * Exit codes as {@code nke}: 2 usage, 3 backend unavailable, 4 bad input, 1 anything else.
 */
public final class SparkJob {
  private static final Set<String> COMMON = Set.of("x", "labels", "format", "input-col", "label-col",
      "partitions", "backend", "threads", "block-size", "overwrite");
  private static final Set<String> SKETCH = Set.of("arch", "kind", "dim", "seed", "degree");
  /** Options of the ensemble posterior ({@code nke predict --time/--variance}). */
  private static final Set<String> INFERENCE = Set.of("time", "variance");
  private static final Map<String, Set<String>> OPTIONS = Map.of(
      "features", union(COMMON, SKETCH, Set.of("dtype", "out")),
      "fit", union(COMMON, SKETCH, INFERENCE, Set.of("ridge", "model", "nke-model", "test",
          "test-labels", "out", "aggregation-depth", "uncertainty")),
      "predict", union(COMMON, INFERENCE, Set.of("model", "out")));
  private static final Set<String> FLAGS = Set.of("overwrite", "uncertainty", "variance");

  private SparkJob() {
  }

  @SafeVarargs
  private static Set<String> union(Set<String>... sets) {
    java.util.Set<String> u = new java.util.HashSet<>();
    for (Set<String> s : sets) {
      u.addAll(s);
    }
    return Set.copyOf(u);
  }

  /**
   * Entry point for {@code spark-submit}; exits with the job's exit code.
   *
   * @param args the command and its options
   */
  public static void main(String[] args) {
    SparkSession spark = SparkSession.builder()
        .appName("nke " + (args.length > 0 ? args[0] : "")).getOrCreate();
    int code;
    try {
      code = run(spark, args, System.out, System.err);
    } finally {
      spark.stop();
    }
    if (code != 0) {
      System.exit(code);
    }
  }

  /**
   * Runs one command on an existing session (not stopped here).
   *
   * @param spark the session
   * @param args the command and its options
   * @param out results
   * @param err errors
   * @return the exit code
   */
  public static int run(SparkSession spark, String[] args, PrintStream out, PrintStream err) {
    if (args.length == 1 && (args[0].equals("--help") || args[0].equals("help"))) {
      out.println(usage());
      return 0;
    }
    try {
      JobArgs a = JobArgs.parse(args, OPTIONS, FLAGS);
      switch (a.command()) {
        case "features" -> features(spark, a, out);
        case "fit" -> fit(spark, a, out);
        default -> predict(spark, a, out);
      }
      return 0;
    } catch (Exception e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof NkeException nke) {
          err.println("nke-spark: " + nke.getMessage());
          if (nke.exitCode() == 2) {
            err.println(usage());
          }
          return nke.exitCode();
        }
      }
      err.println("nke-spark: " + e);
      return 1;
    }
  }

  static String usage() {
    return String.join("\n",
        "usage: spark-submit --class org.nke.cli.spark.SparkJob nke-spark.jar COMMAND [options]",
        "  features --arch ARCH --x X [--kind ntk|nngp] [--dim M] [--seed S] [--degree Q]",
        "           [--dtype float64|float32] --out OUT.parquet",
        "  fit      --arch ARCH --x X [--labels L] [--kind] [--dim] [--seed] [--degree] [--ridge λ]",
        "           [--model DIR] [--nke-model FILE.zip] [--test T [--test-labels L]] [--out OUT.parquet]",
        "           [--uncertainty: keep the ensemble posterior for --time/--variance]",
        "  predict  --model DIR|FILE.zip --x X [--labels L] --out OUT.parquet",
        "  fit --test and predict: [--time T] (mean of the ensemble trained for time T; default inf)",
        "           [--variance] (a 'variance' column; both need a model fitted with --uncertainty)",
        "  inputs:  .csv (header detected; --label-col NAME|POSITION), libsvm, Parquet (--input-col,",
        "           --label-col), .npy (read on the driver), synthetic:N,D,C[,SEED[,START]]; --format",
        "  common:  --backend auto|cpu|cuda --threads N --block-size B --partitions P --overwrite");
  }

  private static <S extends ExecutionParams<S>> S execution(S stage, JobArgs a) {
    return stage.setInputCol("features").setBackend(a.lower("backend", "auto"))
        .setThreads(a.integer("threads", 1)).setBlockSize(a.integer("block-size", 512));
  }

  private static <S extends SketchParams<S>> S sketch(S stage, JobArgs a) {
    return execution(stage, a).setArch(a.required("arch")).setKind(a.lower("kind", "ntk"))
        .setDim(a.integer("dim", 1024)).setSeed(a.number("seed", 0)).setDegree(a.integer("degree", 0));
  }

  private static void features(SparkSession spark, JobArgs a, PrintStream out) {
    String target = a.required("out");
    JobInputs.Input in = JobInputs.read(spark, a.required("x"), a.get("labels", null), a);
    long t0 = System.nanoTime();
    NeuralKernelFeatures stage = sketch(new NeuralKernelFeatures(), a)
        .setDtype(a.lower("dtype", "float64")).setOutputCol("nkeFeatures");
    stage = stage.withPlanSampleFrom(in.frame());
    int p = stage.spec(in.frame()).build().outputDim();
    write(stage.transform(in.frame()).drop("features"), target, a);
    double s = (System.nanoTime() - t0) * 1e-9;
    long n = spark.read().parquet(target).count();
    out.printf(Locale.ROOT, "nke-spark features: %d rows, %d %s features (m = %d) -> %s%n", n, p,
        stage.getKind(), stage.getDim(), target);
    out.printf(Locale.ROOT, "time %.1f s (%.0f rows/s)%n", s, n / s);
  }

  private static void fit(SparkSession spark, JobArgs a, PrintStream out) throws IOException {
    JobInputs.Input in = JobInputs.read(spark, a.required("x"), a.get("labels", null), a);
    if (!in.hasLabels()) {
      throw new InvalidInputException(a.required("x") + " must have labels for fit (a label column, "
          + "or --labels), got none");
    }
    NeuralKernelRidge est = sketch(new NeuralKernelRidge(), a)
        .setAggregationDepth(a.integer("aggregation-depth", 2)).setUncertainty(a.has("uncertainty"));
    if (a.has("ridge")) {
      est.setRidge(a.real("ridge"));
    }
    long t0 = System.nanoTime();
    NeuralKernelRidgeModel model = est.fit(in.frame());
    double s = (System.nanoTime() - t0) * 1e-9;
    RidgeModel m = model.ridgeModel();
    Map<String, String> info = m.info();
    long n = Long.parseLong(info.get("train_points"));
    out.printf(Locale.ROOT, "nke-spark fit: %s%n", info.get("form"));
    String metric = m.targets().classification() ? "accuracy" : "MSE";
    out.printf(Locale.ROOT, "ridge %s (%s)%n", m.ridge(), info.containsKey("ridge_selection")
        ? "chosen by " + info.get("ridge_selection") + ", loo " + metric + " "
        + info.get("loo_" + metric) : "given");
    out.printf(Locale.ROOT, "time %.1f s (%.0f rows/s); executors: features %s s, Gram %s s, merges "
        + "%s s; driver solve %s s%n", s, n / s, info.get("spark_task_seconds_features"),
        info.get("spark_task_seconds_gram"), info.get("spark_task_seconds_merge"),
        info.get("spark_seconds_driver_solve"));
    if (a.has("model")) {
      var w = model.write();
      (a.has("overwrite") ? w.overwrite() : w).save(a.get("model", null));
      out.println("model: " + a.get("model", null));
    }
    if (a.has("nke-model")) {
      Path p = new Path(a.get("nke-model", null));
      try (OutputStream os = p.getFileSystem(spark.sparkContext().hadoopConfiguration())
          .create(p, a.has("overwrite"))) {
        ModelFile.write(m, os);
      }
      out.println("nke model file: " + p);
    }
    if (a.has("test")) {
      JobInputs.Input test = JobInputs.read(spark, a.get("test", null), a.get("test-labels", null),
          a);
      score(spark, model, test, a.get("out", null), a, out, "test");
    }
  }

  private static void predict(SparkSession spark, JobArgs a, PrintStream out) throws IOException {
    String path = a.required("model");
    NeuralKernelRidgeModel model = path.toLowerCase(Locale.ROOT).endsWith(".zip")
        ? NeuralKernelRidgeModel.of(readModelFile(spark, path)) : NeuralKernelRidgeModel.load(path);
    JobInputs.Input in = JobInputs.read(spark, a.required("x"), a.get("labels", null), a);
    score(spark, model, in, a.required("out"), a, out, "");
  }

  private static RidgeModel readModelFile(SparkSession spark, String path) throws IOException {
    java.nio.file.Path local = Files.createTempFile("nke-model", ".zip");
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      fs.copyToLocalFile(false, p, new Path(local.toUri()), true);
      return ModelFile.read(local);
    } finally {
      Files.deleteIfExists(local);
    }
  }

  private static void score(SparkSession spark, NeuralKernelRidgeModel model, JobInputs.Input in,
      String target, JobArgs a, PrintStream out, String what) {
    execution(model, a);
    Double time = a.has("time") ? time(a) : null;
    if (time != null) {
      model.setTime(time);
    }
    if (a.has("variance")) {
      model.setVarianceCol("variance");
    }
    long t0 = System.nanoTime();
    Dataset<Row> pred = model.transform(in.frame()).drop("features");
    if (target != null) {
      write(pred, target, a);
      pred = spark.read().parquet(target);
    }
    Row r = in.hasLabels() ? pred.agg(functions.count("*"), functions.avg(
        model.ridgeModel().targets().classification()
            ? functions.when(functions.col("prediction").equalTo(functions.col("label")), 1.0)
                .otherwise(0.0)
            : functions.pow(functions.col("prediction").minus(functions.col("label")), 2)))
        .first() : pred.agg(functions.count("*")).first();
    double s = (System.nanoTime() - t0) * 1e-9;
    long n = r.getLong(0);
    String prefix = what.isEmpty() ? "" : what + " ";
    if (in.hasLabels()) {
      out.printf(Locale.ROOT, "%s%s %.6g on %d rows%n", prefix,
          model.ridgeModel().targets().metricName(), r.getDouble(1), n);
    }
    out.printf(Locale.ROOT, "%sprediction: %d rows in %.1f s (%.0f rows/s)%s%n", prefix, n, s,
        n / s, target == null ? "" : " -> " + target);
  }

  /** {@code --time}: a number {@code ≥ 0} or {@code inf}. */
  private static double time(JobArgs a) {
    String v = a.get("time", "").trim();
    double t = v.equalsIgnoreCase("inf") || v.equalsIgnoreCase("infinity") ? Double.POSITIVE_INFINITY
        : a.real("time");
    if (!(t >= 0)) {
      throw JobArgs.usage("--time must be a number >= 0 or inf, got '" + v + "'");
    }
    return t;
  }

  private static void write(Dataset<Row> df, String target, JobArgs a) {
    df.write().mode(a.has("overwrite") ? "overwrite" : "errorifexists").parquet(target);
  }
}
