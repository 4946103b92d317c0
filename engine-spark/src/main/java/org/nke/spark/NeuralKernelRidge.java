package org.nke.spark;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.nke.error.InvalidInputException;
import org.nke.krr.KernelRidge;
import org.nke.krr.EnsembleKind;
import org.nke.krr.FeatureEnsemblePosterior;
import org.nke.krr.SketchInference;
import org.nke.krr.SketchModel;
import org.nke.krr.Targets;

/**
 * Kernel ridge regression and classification on sketch features as a Spark ML {@link Estimator}:
 * the same model as {@code RidgeFit.sketch} in primal form,
 *
 * <pre>{@code W = (FᵀF + λ s I)^{−1} FᵀY,   f(x) = Φ(x)ᵀ W,   s = mean_i ‖Φ(x_i)‖²}</pre>
 *
 * with {@code FᵀF} and {@code FᵀY} summed by a tree aggregate over partitions (each task adds
 * {@code blockSize} rows at a time, so it holds one block of features and one {@code p × p} partial
 * sum) and the {@code p × p} system solved once on the driver. Integer labels are classes (one-hot,
 * centred; predicted by the arg-max), others regression targets (centred by their mean), as in
 * {@code nke fit}. Without a ridge, λ is chosen by leave-one-out on the feature kernel of the same
 * evenly spaced rows as in one process ({@code KernelRidge.selectionRows}, {@code chooseRidge}). Passes over the input: row counts and labels, the first row
 * (the dimension of the data-free sketch plan), features and sums; cache the input if it is expensive to recompute, and
 * keep its row order deterministic (e.g. files, not a shuffle) so the passes agree.
 *
 * <p>With {@code setUncertainty(true)} the model also keeps the primal ensemble posterior of
 * {@code nke fit --uncertainty} ({@code FeatureEnsemblePosterior}), built on the driver from the
 * same sums ({@code FᵀF}, {@code FᵀY}; for NTK also {@code GᵀF} with the NNGP twin's features,
 * summed in the same pass) by one {@code p × p} eigendecomposition; the model then has a variance
 * column and finite training times ({@link NeuralKernelRidgeModel#setVarianceCol},
 * {@link NeuralKernelRidgeModel#setTime}).
 *
 * <p>Cost: {@code O(n·(L·q·m log m + p²))} on the executors, {@code O(p³)} and {@code 8p²} bytes on
 * the driver ({@code p = m} NNGP, {@code 2m} NTK features).
 */
public final class NeuralKernelRidge extends Estimator<NeuralKernelRidgeModel>
    implements SketchParams<NeuralKernelRidge>, RidgeParams<NeuralKernelRidge>,
    DefaultParamsWritable {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final Param<String> inputCol;
  private final Param<String> backend;
  private final IntParam threads;
  private final IntParam blockSize;
  private final Param<String> arch;
  private final Param<String> kind;
  private final IntParam dim;
  private final LongParam seed;
  private final IntParam degree;
  private final Param<String> labelCol;
  private final DoubleParam ridge;
  private final Param<String> predictionCol;
  private final Param<String> rawPredictionCol;
  private final IntParam aggregationDepth;
  private final BooleanParam uncertainty;

  /** An estimator with a random uid. */
  public NeuralKernelRidge() {
    this(Identifiable.randomUID("nkeRidge"));
  }

  /** @param uid the stage's uid (used by persistence) */
  public NeuralKernelRidge(String uid) {
    this.uid = uid;
    this.inputCol = ParamDefs.inputCol(this);
    this.backend = ParamDefs.backend(this);
    this.threads = ParamDefs.threads(this);
    this.blockSize = ParamDefs.blockSize(this);
    this.arch = ParamDefs.arch(this);
    this.kind = ParamDefs.kind(this);
    this.dim = ParamDefs.dim(this);
    this.seed = ParamDefs.seed(this);
    this.degree = ParamDefs.degree(this);
    this.labelCol = new Param<>(this, "labelCol", "column of labels: integers are classes, other "
        + "numbers regression targets");
    this.ridge = ParamDefs.ridge(this);
    this.predictionCol = new Param<>(this, "predictionCol", "column of predictions to add");
    this.rawPredictionCol = new Param<>(this, "rawPredictionCol", "column of scores to add "
        + "(empty: none)");
    this.aggregationDepth = new IntParam(this, "aggregationDepth", "depth of the tree aggregate "
        + "of the p × p sums", ParamValidators.gtEq(1));
    setDefault(inputCol, "features");
    setDefault(backend, "auto");
    setDefault(threads, 1);
    setDefault(blockSize, 512);
    setDefault(kind, "ntk");
    setDefault(dim, 1024);
    setDefault(seed, 0L);
    setDefault(degree, 0);
    setDefault(labelCol, "label");
    setDefault(predictionCol, "prediction");
    setDefault(rawPredictionCol, "rawPrediction");
    this.uncertainty = new BooleanParam(this, "uncertainty", "also keep the primal ensemble "
        + "posterior (as nke fit --uncertainty), so that the model can give each row's posterior "
        + "variance (varianceCol) and predict at finite training times (time); NTK: also sums GᵀF "
        + "with the NNGP features of the same seed (computed once more)");
    setDefault(aggregationDepth, 2);
    setDefault(uncertainty, false);
  }

  @Override
  public String uid() {
    return uid;
  }

  @Override
  public Param<String> inputCol() {
    return inputCol;
  }

  @Override
  public Param<String> backend() {
    return backend;
  }

  @Override
  public IntParam threads() {
    return threads;
  }

  @Override
  public IntParam blockSize() {
    return blockSize;
  }

  @Override
  public Param<String> arch() {
    return arch;
  }

  @Override
  public Param<String> kind() {
    return kind;
  }

  @Override
  public IntParam dim() {
    return dim;
  }

  @Override
  public LongParam seed() {
    return seed;
  }

  @Override
  public IntParam degree() {
    return degree;
  }

  @Override
  public Param<String> predictionCol() {
    return predictionCol;
  }

  @Override
  public Param<String> rawPredictionCol() {
    return rawPredictionCol;
  }

  /** @return the label column (default {@code label}) */
  public Param<String> labelCol() {
    return labelCol;
  }

  /** @return the relative ridge (unset: chosen by leave-one-out on evenly spaced rows) */
  public DoubleParam ridge() {
    return ridge;
  }

  /** @return the depth of the tree aggregate (default 2) */
  public IntParam aggregationDepth() {
    return aggregationDepth;
  }

  /** @return whether the fit keeps the ensemble posterior (default false) */
  public BooleanParam uncertainty() {
    return uncertainty;
  }

  /**
   * @param v whether to keep the primal ensemble posterior ({@code FeatureEnsemblePosterior}: a
   *     {@code p × p} eigenbasis, and for NTK a {@code p × p'} projected cross matrix, on the driver)
   * @return this estimator
   */
  public NeuralKernelRidge setUncertainty(boolean v) {
    set(uncertainty, v);
    return this;
  }

  /** @param v the label column @return this estimator */
  public NeuralKernelRidge setLabelCol(String v) {
    set(labelCol, v);
    return this;
  }

  /** @param v the relative ridge λ &gt; 0 @return this estimator */
  public NeuralKernelRidge setRidge(double v) {
    set(ridge, v);
    return this;
  }

  /** @param v the depth of the tree aggregate @return this estimator */
  public NeuralKernelRidge setAggregationDepth(int v) {
    set(aggregationDepth, v);
    return this;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    if (!isDefined(arch)) {
      throw new InvalidInputException("parameter 'arch' must be set, got none (e.g. "
          + "setArch(\"Dense(W_std=1.5), Relu(), Dense()\"))");
    }
    PointColumn.checkPoints(schema, getInputCol());
    if (Arrays.asList(schema.fieldNames()).contains(getOrDefault(labelCol))) {
      PointColumn.checkLabels(schema, getOrDefault(labelCol));
    }
    return NeuralKernelRidgeModel.outputSchema(schema, getPredictionCol(), getRawPredictionCol());
  }

  @Override
  public NeuralKernelRidgeModel fit(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    String x = getInputCol();
    String label = getOrDefault(labelCol);
    PointColumn.checkLabels(dataset.schema(), label);
    long start = System.nanoTime();
    Dataset<Row> df = dataset.select(x, label).toDF();
    JavaRDD<Row> rows = df.javaRDD();
    List<LabelSummary> parts = SparkErrors.run(
        () -> rows.mapPartitionsWithIndex(LabelSummary.pass(1), true).collect());
    long labelsDone = System.nanoTime();
    Targets targets = LabelSummary.targets(parts, label);
    long[] offsets = LabelSummary.offsets(parts);
    long n = offsets[offsets.length - 1] + parts.get(parts.size() - 1).count();
    // the data-free plan: the model's features of a point are NeuralKernelFeatures' and nke's
    int d = SampleRows.take(df.limit(1), x)[0].length;
    SketchSpec spec = new SketchSpec(getArch(), sketchOptions(), d, new double[0][]);
    int p = ExecutorResources.plan(spec).outputDim();
    boolean keep = (Boolean) getOrDefault(uncertainty);
    // an NTK posterior needs GᵀF with the NNGP features of the plan's twin (same seed and budget)
    SketchSpec twin = keep && spec.options().ntk() ? new SketchSpec(spec.architecture(),
        SketchInference.nngpTwin(spec.planSpec()).options(), d, new double[0][]) : null;
    int twinDim = twin == null ? 0 : ExecutorResources.plan(twin).outputDim();
    boolean selecting = !isDefined(ridge);
    long[] selection = selecting ? KernelRidge.selectionRows(n) : new long[0];
    long planDone = System.nanoTime();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
    Broadcast<SketchSpec> b = jsc.broadcast(spec);
    Broadcast<SketchSpec> tb = twin == null ? null : jsc.broadcast(twin);
    GramAccumulator acc;
    try {
      FitStep step = new FitStep(b, tb, getBackend(), getThreads(), targets, selection);
      acc = SparkErrors.run(() -> rows.mapPartitionsWithIndex(PointBlock.blocks(offsets, 0, 1, x,
          label, spec.inputDim(), getBlockSize()), true).treeAggregate(
              new GramAccumulator(p, targets.columns(), twinDim), step, GramAccumulator::merge,
              (Integer) getOrDefault(aggregationDepth)));
    } finally {
      b.destroy();
      if (tb != null) {
        tb.destroy();
      }
    }
    if (acc.count() != n || acc.selected().size() != selection.length) {
      throw new IllegalStateException("the input changed between passes: " + n + " rows counted, "
          + acc.count() + " aggregated; cache it or read it from files");
    }
    long aggregated = System.nanoTime();
    Map<String, String> info = new LinkedHashMap<>();
    info.put("features", Integer.toString(p));
    long t0 = System.nanoTime();
    Double lambda = selecting ? null : (Double) getOrDefault(ridge);
    DriverSolve.Solution s = DriverSolve.solve(acc, targets, lambda, info);
    double[] sec = acc.seconds();
    info.put("form", "primal (" + n + " points, " + p + " features; Spark, "
        + rows.getNumPartitions() + " partitions)");
    info.put("train_points", Long.toString(n));
    info.put("spark_seconds_labels_pass", fmt((labelsDone - start) * 1e-9));
    info.put("spark_seconds_sample_and_plan", fmt((planDone - labelsDone) * 1e-9));
    info.put("spark_seconds_aggregate", fmt((aggregated - planDone) * 1e-9));
    info.put("spark_task_seconds_features", fmt(sec[0]));
    info.put("spark_task_seconds_gram", fmt(sec[1]));
    info.put("spark_task_seconds_merge", fmt(sec[2]));
    info.put("spark_seconds_driver_solve", fmt((System.nanoTime() - t0) * 1e-9));
    FeatureEnsemblePosterior posterior = keep
        ? acc.posterior(twin != null ? EnsembleKind.NTK : EnsembleKind.NNGP, s.lambda()) : null;
    if (posterior != null) {
      info.put("posterior", posterior.describe());
    }
    SketchModel model = new SketchModel(spec.planSpec(), s.lambda(), targets, s.weights(), info,
        posterior);
    NeuralKernelRidgeModel m = new NeuralKernelRidgeModel(uid, model);
    copyValues(m, ParamMap.empty());
    return m.setParent(this);
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }

  @Override
  public NeuralKernelRidge copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  /** @return a reader for saved estimators */
  public static MLReader<NeuralKernelRidge> read() {
    return new DefaultParamsReader<>();
  }

  /**
   * @param path where an estimator was saved with {@code write().save(path)}
   * @return the estimator
   */
  public static NeuralKernelRidge load(String path) {
    return read().load(path);
  }
}
