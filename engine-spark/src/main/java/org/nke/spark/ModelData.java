package org.nke.spark;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.nke.krr.FeatureEnsemblePosterior;
import org.nke.krr.ModelFile;
import org.nke.krr.SketchModel;
import org.nke.sketch.PlanMethod;
import org.nke.sketch.PlanSpec;
import org.nke.sketch.SketchOptions;
import org.nke.krr.Targets;

/**
 * The data of a saved {@link NeuralKernelRidgeModel}: one Parquet row under {@code path/data} with
 * the fields of {@link SketchModel} (architecture, kernel, input dimension, ridge, task, classes,
 * target mean, plan sample, weights {@code W}, sketch budget, seed, degree, info), beside Spark's
 * usual {@code path/metadata} (uid, parameters). Parquet stores doubles exactly, so a loaded model
 * predicts bit for bit as the saved one; any path Spark can write (HDFS, S3, local) works. A model
 * fitted with its ensemble posterior also writes {@code path/posterior.nkem}, the nke model file
 * ({@code ModelFile}) that holds it, from which the loaded model takes it back.
 */
final class ModelData {
  /** The file beside the Parquet data that keeps a model's posterior. */
  private static final String POSTERIOR = "posterior.nkem";
  private static final StructType SCHEMA = new StructType()
      .add("architecture", DataTypes.StringType, false)
      .add("kernel", DataTypes.StringType, false)
      .add("inputDim", DataTypes.IntegerType, false)
      .add("ridge", DataTypes.DoubleType, false)
      .add("classification", DataTypes.BooleanType, false)
      .add("classes", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
      .add("targetMean", DataTypes.DoubleType, false)
      .add("sample", matrix(), false)
      .add("weights", matrix(), false)
      .add("sketchDim", DataTypes.IntegerType, false)
      .add("seed", DataTypes.LongType, false)
      .add("degree", DataTypes.IntegerType, false)
      .add("info", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType, false), false);

  private ModelData() {
  }

  private static org.apache.spark.sql.types.DataType matrix() {
    return DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.DoubleType, false), false);
  }

  static void write(SparkSession spark, SketchModel m, String path) {
    SketchOptions o = m.plan().options();
    Row row = RowFactory.create(m.architecture(), m.kernel(), m.inputDim(), m.ridge(),
        m.targets().classification(), m.targets().classes(), m.targets().mean(),
        m.plan().sample(), m.weights(), o.dim(), o.seed(), o.degree(),
        scala.collection.JavaConverters.mapAsScalaMap(m.info()));
    spark.createDataFrame(List.of(row), SCHEMA).repartition(1).write().parquet(path + "/data");
    if (m.posterior() != null) {
      Path p = new Path(path, POSTERIOR);
      try (OutputStream os = p.getFileSystem(spark.sparkContext().hadoopConfiguration())
          .create(p, true)) {
        ModelFile.write(m, os);
      } catch (IOException e) {
        throw new UncheckedIOException("writing " + p, e);
      }
    }
  }

  /** The posterior kept beside a saved model, or {@code null} when there is none. */
  private static FeatureEnsemblePosterior posterior(SparkSession spark, String path) {
    Path p = new Path(path, POSTERIOR);
    try {
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(p)) {
        return null;
      }
      java.nio.file.Path local = Files.createTempFile("nke-posterior", ".nkem");
      try {
        fs.copyToLocalFile(false, p, new Path(local.toUri()), true);
        return ((SketchModel) ModelFile.read(local)).posterior();
      } finally {
        Files.deleteIfExists(local);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + p, e);
    }
  }

  static SketchModel read(SparkSession spark, String path) {
    Row r = spark.read().parquet(path + "/data").first();
    double[] classes = doubles(r.getList(r.fieldIndex("classes")));
    boolean classification = r.getBoolean(r.fieldIndex("classification"));
    Targets targets = new Targets(classification, classes, r.getDouble(r.fieldIndex("targetMean")),
        new double[1][classification ? classes.length : 1]);
    Map<String, String> info = new LinkedHashMap<>(r.getJavaMap(r.fieldIndex("info")));
    String arch = r.getString(r.fieldIndex("architecture"));
    String kernel = r.getString(r.fieldIndex("kernel"));
    int d = r.getInt(r.fieldIndex("inputDim"));
    SketchOptions o = new SketchOptions(r.getInt(r.fieldIndex("sketchDim")),
        r.getLong(r.fieldIndex("seed")), kernel.equals("ntk"), r.getInt(r.fieldIndex("degree")),
        SketchOptions.DEFAULT_TAIL);
    // an empty sample: the data-free plan; rows: widths adapted to them (models saved before)
    PlanSpec plan = new PlanSpec(PlanMethod.SKETCH, arch, o, new int[] {d}, matrix(r, "sample"), null,
        false);
    return new SketchModel(plan, r.getDouble(r.fieldIndex("ridge")), targets, matrix(r, "weights"),
        info, posterior(spark, path));
  }

  private static double[][] matrix(Row r, String field) {
    List<Object> rows = r.getList(r.fieldIndex(field));
    double[][] out = new double[rows.size()][];
    for (int i = 0; i < out.length; i++) {
      Object row = rows.get(i);
      out[i] = doubles(row instanceof List<?> l ? l
          : scala.collection.JavaConverters.seqAsJavaList((scala.collection.Seq<?>) row));
    }
    return out;
  }

  private static double[] doubles(List<?> values) {
    double[] out = new double[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ((Number) values.get(i)).doubleValue();
    }
    return out;
  }
}
