package org.nke.spark;

import java.util.Arrays;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.nke.error.InvalidInputException;
import org.nke.krr.FeatureModel;
import org.nke.krr.RidgeModel;
import org.nke.krr.SketchModel;
import org.nke.sketch.SketchOptions;
import scala.Option;

/**
 * A fitted {@link NeuralKernelRidge}: predicts {@code f(x) = Φ(x)ᵀW} in {@code transform}, block by
 * block on the executors, exactly as {@code SketchModel.scores} does in one process (same plan, same
 * features, same products). It wraps an engine-core {@link SketchModel}, so a model fitted here can be
 * written with {@code ModelFile} and used by {@code nke predict}, and a model from {@code nke fit
 * --method sketch} can be scored on Spark ({@link #of(RidgeModel)}).
 *
 * <p>Output columns: {@code predictionCol} (double: the class label, or the value), unless empty
 * {@code rawPredictionCol} (vector: the scores, one per class; regression: the value less the
 * training mean) and, when set, {@code varianceCol} (double: the posterior variance of the row under
 * the infinite ensemble trained for {@code time}, {@code FeatureEnsemblePosterior.variance}; a model
 * fitted with {@code setUncertainty(true)}). With a finite {@code time} the predictions are the
 * ensemble's mean at that time ({@code SketchModel.predict}); at the default {@code time = ∞} they
 * are the ridge scores, as without a posterior. Saved by {@code write().save(path)}: Spark's metadata plus one Parquet row of model
 * data ({@link ModelData}).
 */
public final class NeuralKernelRidgeModel extends Model<NeuralKernelRidgeModel>
    implements RidgeParams<NeuralKernelRidgeModel>, MLWritable {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final transient SketchModel model;
  private final Param<String> inputCol;
  private final Param<String> backend;
  private final IntParam threads;
  private final IntParam blockSize;
  private final Param<String> predictionCol;
  private final Param<String> rawPredictionCol;
  private final Param<String> varianceCol;
  private final DoubleParam time;

  /**
   * @param uid the model's uid
   * @param model an engine-core sketch model of points
   */
  public NeuralKernelRidgeModel(String uid, SketchModel model) {
    this.uid = uid;
    this.model = model;
    this.inputCol = ParamDefs.inputCol(this);
    this.backend = ParamDefs.backend(this);
    this.threads = ParamDefs.threads(this);
    this.blockSize = ParamDefs.blockSize(this);
    this.predictionCol = new Param<>(this, "predictionCol", "column of predictions to add");
    this.rawPredictionCol = new Param<>(this, "rawPredictionCol", "column of scores to add "
        + "(empty: none)");
    this.varianceCol = new Param<>(this, "varianceCol", "column of posterior variances to add "
        + "(empty: none; needs a model fitted with uncertainty)");
    this.time = new DoubleParam(this, "time", "training time t of the ensemble (inf: the ridge "
        + "predictor; finite: needs a model fitted with uncertainty)", ParamValidators.gtEq(0));
    setDefault(varianceCol, "");
    setDefault(time, Double.POSITIVE_INFINITY);
    setDefault(inputCol, "features");
    setDefault(backend, "auto");
    setDefault(threads, 1);
    setDefault(blockSize, 512);
    setDefault(predictionCol, "prediction");
    setDefault(rawPredictionCol, "rawPrediction");
  }

  /**
   * @param model a model, e.g. read by {@code ModelFile.read} from {@code nke fit}'s output
   * @return a Spark model that predicts with it
   * @throws IllegalArgumentException unless it is a sketch model of points ({@link SketchModel})
   */
  public static NeuralKernelRidgeModel of(RidgeModel model) {
    if (!(model instanceof SketchModel s)) {
      throw new IllegalArgumentException("a Spark model predicts with a dense sketch plan, got a "
          + model.method() + " model" + (model instanceof FeatureModel f ? " (" + f.plan().describe()
          + ")" : ""));
    }
    return new NeuralKernelRidgeModel(org.apache.spark.ml.util.Identifiable.randomUID("nkeRidge"),
        s);
  }

  /** @return the engine-core model (weights, plan, task, ridge, info, posterior if any) */
  public SketchModel ridgeModel() {
    return model;
  }

  /**
   * @param m a sketch model of points
   * @return the description of its plan (as {@code SketchModel.scores} builds it)
   */
  static SketchSpec spec(SketchModel m) {
    return new SketchSpec(m.architecture(), m.plan().options(), m.inputDim(), m.plan().sample());
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
  public Param<String> predictionCol() {
    return predictionCol;
  }

  @Override
  public Param<String> rawPredictionCol() {
    return rawPredictionCol;
  }

  /** @return the posterior variance column (default empty: none) */
  public Param<String> varianceCol() {
    return varianceCol;
  }

  /** @return the training time of the ensemble (default {@code +∞}: the ridge predictor) */
  public DoubleParam time() {
    return time;
  }

  /** @return the variance column, or empty */
  public String getVarianceCol() {
    return getOrDefault(varianceCol);
  }

  /** @return the training time */
  public double getTime() {
    return (Double) getOrDefault(time);
  }

  /**
   * @param v the column of each row's posterior variance (empty: none); the model must have been
   *     fitted with {@code NeuralKernelRidge.setUncertainty(true)} (or {@code nke fit --uncertainty})
   * @return this model
   */
  public NeuralKernelRidgeModel setVarianceCol(String v) {
    set(varianceCol, v);
    return this;
  }

  /**
   * @param t training time {@code ≥ 0} of the ensemble ({@code nke predict --time}), or
   *     {@code +∞}; finite times need a model fitted with uncertainty
   * @return this model
   */
  public NeuralKernelRidgeModel setTime(double t) {
    set(time, t);
    return this;
  }

  static StructType outputSchema(StructType schema, String prediction, String raw) {
    return outputSchema(schema, prediction, raw, "");
  }

  static StructType outputSchema(StructType schema, String prediction, String raw,
      String variance) {
    PointColumn.checkAbsent(schema, prediction);
    StructType out = schema.add(prediction, DataTypes.DoubleType, false);
    if (!raw.isEmpty()) {
      PointColumn.checkAbsent(schema, raw);
      out = out.add(raw, SQLDataTypes.VectorType(), false);
    }
    if (!variance.isEmpty()) {
      PointColumn.checkAbsent(schema, variance);
      out = out.add(variance, DataTypes.DoubleType, false);
    }
    return out;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    PointColumn.checkPoints(schema, getInputCol());
    if ((!getVarianceCol().isEmpty() || getTime() != Double.POSITIVE_INFINITY)
        && model.posterior() == null) {
      throw new InvalidInputException("varianceCol and a finite time need a model fitted with its "
          + "posterior (NeuralKernelRidge.setUncertainty(true), or nke fit --method sketch "
          + "--uncertainty), got one without (varianceCol '" + getVarianceCol() + "', time "
          + getTime() + ")");
    }
    return outputSchema(schema, getPredictionCol(), getRawPredictionCol(), getVarianceCol());
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType out = transformSchema(dataset.schema());
    int field = Arrays.asList(dataset.schema().fieldNames()).indexOf(getInputCol());
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
    Broadcast<ScoreRows.Scorer> b = jsc.broadcast(ScoreRows.Scorer.of(model, getTime(),
        !getVarianceCol().isEmpty()));
    JavaRDD<Row> rows = dataset.toDF().javaRDD().mapPartitionsWithIndex(new ScoreRows(b, field,
        getInputCol(), getBackend(), getThreads(), getBlockSize(),
        !getRawPredictionCol().isEmpty()), true);
    return dataset.sparkSession().createDataFrame(rows, out);
  }

  @Override
  public NeuralKernelRidgeModel copy(ParamMap extra) {
    NeuralKernelRidgeModel m = copyValues(new NeuralKernelRidgeModel(uid, model), extra);
    return hasParent() ? m.setParent(parent()) : m;
  }

  @Override
  public MLWriter write() {
    return new MLWriter() {
      @Override
      public void saveImpl(String path) {
        DefaultParamsWriter.saveMetadata(NeuralKernelRidgeModel.this, path, sc(), Option.empty(),
            Option.empty());
        ModelData.write(sparkSession(), model, path);
      }
    };
  }

  /** @return a reader for saved models */
  public static MLReader<NeuralKernelRidgeModel> read() {
    return new MLReader<>() {
      @Override
      public NeuralKernelRidgeModel load(String path) {
        DefaultParamsReader.Metadata meta = DefaultParamsReader.loadMetadata(path, sc(),
            NeuralKernelRidgeModel.class.getName());
        NeuralKernelRidgeModel m = new NeuralKernelRidgeModel(meta.uid(),
            ModelData.read(sparkSession(), path));
        meta.getAndSetParams(m, Option.empty());
        return m;
      }
    };
  }

  /**
   * @param path where a model was saved with {@code write().save(path)}
   * @return the model
   */
  public static NeuralKernelRidgeModel load(String path) {
    return read().load(path);
  }
}
