package org.nke.spark;

import java.util.Arrays;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.DoubleArrayArrayParam;
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
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.nke.error.InvalidInputException;

/**
 * Sketch features as a Spark ML {@link Transformer}: a column of points → a column of NNGP or NTK
 * features {@code Φ(x)} with {@code Φ(x)·Φ(y) ≈ K(x, y)} (Han et al. 2022; see {@code org.nke.Sketches}).
 *
 * <pre>{@code
 * Dataset<Row> out = new NeuralKernelFeatures()
 *     .setArch("Dense(W_std=1.5, b_std=0.1), Gelu(), Dense()").setKind("ntk").setDim(1024)
 *     .setInputCol("features").setOutputCol("ntk").transform(df);
 * }</pre>
 *
 * The plan (every random draw, block widths, degrees) is built from the seed alone — the data-free
 * plan of {@code Sketches.ntk(x)} and {@code nke features}, so the features of any two datasets
 * compose — or, when the {@code planSample} parameter is set ({@code withPlanSampleFrom(train)}),
 * with block widths adapted to those rows. Features are a function of the point alone, so they equal
 * the local API's bit for bit, whatever the partitioning, on any executor.
 *
 * <p>Each executor JVM builds the plan and opens its backend once ({@link ExecutorResources}); rows
 * are processed in blocks of {@code blockSize}. A null, non-finite or wrongly sized point fails the
 * job with the column and row named; rows are never dropped. Cost per point {@code O(L·q·m log m)}.
 */
public final class NeuralKernelFeatures extends Transformer
    implements SketchParams<NeuralKernelFeatures>, DefaultParamsWritable {
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
  private final Param<String> outputCol;
  private final Param<String> dtype;
  private final DoubleArrayArrayParam planSample;

  /** A stage with a random uid. */
  public NeuralKernelFeatures() {
    this(Identifiable.randomUID("nkeFeatures"));
  }

  /** @param uid the stage's uid (used by persistence) */
  public NeuralKernelFeatures(String uid) {
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
    this.outputCol = new Param<>(this, "outputCol", "column of features to add");
    this.dtype = new Param<>(this, "dtype", "float64: a vector column (for Spark ML); float32: an "
        + "array<float> column (half the size on disk)",
        ParamValidators.inArray(new String[] {"float64", "float32"}));
    this.planSample = new DoubleArrayArrayParam(this, "planSample", "rows the sketch plan's widths "
        + "are adapted to; unset: the data-free plan");
    setDefault(inputCol, "features");
    setDefault(backend, "auto");
    setDefault(threads, 1);
    setDefault(blockSize, 512);
    setDefault(kind, "ntk");
    setDefault(dim, 1024);
    setDefault(seed, 0L);
    setDefault(degree, 0);
    setDefault(outputCol, "nkeFeatures");
    setDefault(dtype, "float64");
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

  /** @return the output column (default {@code nkeFeatures}) */
  public Param<String> outputCol() {
    return outputCol;
  }

  /** @return {@code float64} (default) or {@code float32} */
  public Param<String> dtype() {
    return dtype;
  }

  /** @return the rows the plan is built from (unset: the first rows of the data) */
  public DoubleArrayArrayParam planSample() {
    return planSample;
  }

  /** @param v the output column @return this stage */
  public NeuralKernelFeatures setOutputCol(String v) {
    set(outputCol, v);
    return this;
  }

  /** @param v {@code float64} or {@code float32} @return this stage */
  public NeuralKernelFeatures setDtype(String v) {
    set(dtype, v);
    return this;
  }

  /** @param rows the plan's sample rows (copied by Spark's parameter map) @return this stage */
  public NeuralKernelFeatures setPlanSample(double[][] rows) {
    set(planSample, rows);
    return this;
  }

  /**
   * @param data data whose first 256 rows become the plan sample (e.g. the training set)
   * @return a copy of this stage with that plan sample, so that any data it transforms gets the
   *     features of the same plan
   */
  public NeuralKernelFeatures withPlanSampleFrom(Dataset<?> data) {
    PointColumn.checkPoints(data.schema(), getInputCol());
    return copy(ParamMap.empty()).setPlanSample(SampleRows.take(data, getInputCol()));
  }

  /**
   * The plan description for a dataset: these parameters and the plan sample.
   *
   * @param data the data to be transformed (its first row gives the dimension when no sample is
   *     set: the plan is then the data-free one, the same for any data of that dimension)
   * @return the description executors rebuild the plan from
   */
  public SketchSpec spec(Dataset<?> data) {
    if (isDefined(planSample)) {
      double[][] sample = getOrDefault(planSample);
      return new SketchSpec(requireArch(), sketchOptions(), sample);
    }
    int d = SampleRows.take(data.limit(1), getInputCol())[0].length;
    return new SketchSpec(requireArch(), sketchOptions(), d, new double[0][]);
  }

  private String requireArch() {
    if (!isDefined(arch)) {
      throw new InvalidInputException("parameter 'arch' must be set, got none (e.g. "
          + "setArch(\"Dense(W_std=1.5), Relu(), Dense()\"))");
    }
    return getArch();
  }

  @Override
  public StructType transformSchema(StructType schema) {
    requireArch();
    PointColumn.checkPoints(schema, getInputCol());
    PointColumn.checkAbsent(schema, getOrDefault(outputCol));
    return schema.add(getOrDefault(outputCol), getOrDefault(dtype).equals("float32")
        ? DataTypes.createArrayType(DataTypes.FloatType, false) : SQLDataTypes.VectorType(), false);
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType out = transformSchema(dataset.schema());
    SketchSpec spec = spec(dataset);
    int field = Arrays.asList(dataset.schema().fieldNames()).indexOf(getInputCol());
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
    Broadcast<SketchSpec> b = jsc.broadcast(spec);
    JavaRDD<Row> rows = dataset.toDF().javaRDD().mapPartitionsWithIndex(new FeatureRows(b, field,
        getInputCol(), getBackend(), getThreads(), getBlockSize(),
        getOrDefault(dtype).equals("float32")), true);
    return dataset.sparkSession().createDataFrame(rows, out);
  }

  @Override
  public NeuralKernelFeatures copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  /** @return a reader for saved stages ({@code NeuralKernelFeatures.read().load(path)}) */
  public static MLReader<NeuralKernelFeatures> read() {
    return new DefaultParamsReader<>();
  }

  /**
   * @param path where a stage was saved with {@code write().save(path)}
   * @return the stage
   */
  public static NeuralKernelFeatures load(String path) {
    return read().load(path);
  }
}
