package org.nke.cli.spark;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.nke.error.InvalidInputException;
import org.nke.io.NpyArray;
import org.nke.io.NpyReader;
import org.nke.spark.SyntheticData;

/**
 * The job's inputs, from any path Spark can read: CSV (numbers, an optional header detected from the
 * first line), libsvm, Parquet (a vector or array column), NPY (read on the driver through Hadoop's
 * file system, so its size is bounded by the driver's memory), or
 * {@code synthetic:N,D,C[,SEED[,START]]} (rows START… of {@link SyntheticData}; a test set continues
 * the training rows with the same seed).
 * Every input becomes a frame with {@code row} (global row number, 0-based), {@code features} and,
 * when there are labels, {@code label}, in the file's row order.
 */
final class JobInputs {
  private JobInputs() {
  }

  /**
   * The loaded data.
   *
   * @param frame the rows
   * @param hasLabels whether {@code label} is there
   */
  record Input(Dataset<Row> frame, boolean hasLabels) {
  }

  static Input read(SparkSession spark, String x, String labels, JobArgs a) {
    String format = a.lower("format", guess(x));
    Input in = switch (format) {
      case "synthetic" -> synthetic(spark, x, a);
      case "npy" -> npy(spark, x, a.integer("partitions", spark.sparkContext().defaultParallelism()));
      case "libsvm" -> new Input(withRow(spark.read().format("libsvm").load(x)), true);
      case "parquet" -> parquet(spark, spark.read().parquet(x), a);
      case "csv" -> csv(spark, x, a);
      default -> throw JobArgs.usage("--format must be csv, libsvm, parquet or npy, got " + format);
    };
    if (labels == null) {
      return in;
    }
    double[] y = labels(spark, labels);
    long n = in.frame().count();
    if (n != y.length) {
      throw new InvalidInputException(labels + " must have one label per point: " + n + " points, "
          + "got " + y.length + " labels");
    }
    Broadcast<double[]> by = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(y);
    StructType schema = in.frame().schema().add("label", DataTypes.DoubleType, false);
    JavaRDD<Row> rows = in.frame().drop("label").javaRDD().map(r -> {
      long i = r.getLong(0);
      return org.nke.spark.PointColumn.appended(r, by.value()[(int) i]);
    });
    return new Input(spark.createDataFrame(rows, in.frame().drop("label").schema()
        .add(schema.apply("label"))), true);
  }

  private static String guess(String x) {
    String s = x.toLowerCase(Locale.ROOT);
    if (s.startsWith("synthetic:")) {
      return "synthetic";
    }
    for (String f : List.of("npy", "libsvm", "parquet", "csv")) {
      if (s.endsWith("." + f) || s.endsWith("." + f + ".gz") || s.endsWith("." + f + "/")) {
        return f;
      }
    }
    return s.endsWith(".svm") || s.endsWith(".txt") ? "libsvm" : "parquet";
  }

  private static Input synthetic(SparkSession spark, String x, JobArgs a) {
    String[] p = x.substring("synthetic:".length()).split(",");
    if (p.length < 3 || p.length > 5) {
      throw JobArgs.usage("--x synthetic must be synthetic:N,D,C[,SEED[,START]] (C = 0: regression),"
          + " got " + x);
    }
    try {
      long n = Long.parseLong(p[0].trim());
      int d = Integer.parseInt(p[1].trim());
      int c = Integer.parseInt(p[2].trim());
      long seed = p.length >= 4 ? Long.parseLong(p[3].trim()) : 0;
      long start = p.length == 5 ? Long.parseLong(p[4].trim()) : 0;
      int parts = a.integer("partitions", spark.sparkContext().defaultParallelism());
      return new Input(SyntheticData.frame(spark, start, n, d, c, seed, parts), true);
    } catch (NumberFormatException e) {
      throw JobArgs.usage("--x synthetic must be synthetic:N,D,C[,SEED[,START]] with integers, got "
          + x);
    }
  }

  private static Input parquet(SparkSession spark, Dataset<Row> df, JobArgs a) {
    String in = a.get("input-col", "features");
    String label = a.get("label-col", "label");
    boolean hasLabels = Arrays.asList(df.columns()).contains(label);
    List<Column> cols = new ArrayList<>(List.of(functions.col(in).as("features")));
    if (hasLabels) {
      cols.add(functions.col(label).cast("double").as("label"));
    }
    return new Input(withRow(df.select(cols.toArray(new Column[0]))), hasLabels);
  }

  private static Input csv(SparkSession spark, String x, JobArgs a) {
    List<String> head = spark.read().textFile(x).takeAsList(1);
    if (head.isEmpty()) {
      throw new InvalidInputException(x + " must contain at least one point, got an empty file");
    }
    String first = head.get(0);
    boolean header = Arrays.stream(first.split(",")).anyMatch(t -> !isNumber(t));
    Dataset<Row> df = spark.read().option("header", header).csv(x);
    String[] names = df.columns();
    String label = null;
    if (a.has("label-col")) {
      String l = a.get("label-col", null);
      int pos = l.matches("\\d{1,9}") ? Integer.parseInt(l) : -1;
      label = pos >= 1 && pos <= names.length ? names[pos - 1] : l;
      if (!Arrays.asList(names).contains(label)) {
        throw new InvalidInputException(x + " must have the label column " + l + ", got columns "
            + Arrays.toString(names));
      }
    }
    List<Column> point = new ArrayList<>();
    for (String n : names) {
      if (!n.equals(label)) {
        point.add(functions.col("`" + n + "`").cast("double"));
      }
    }
    List<Column> cols = new ArrayList<>(List.of(functions.array(point.toArray(new Column[0]))
        .as("features")));
    if (label != null) {
      cols.add(functions.col("`" + label + "`").cast("double").as("label"));
    }
    return new Input(withRow(df.select(cols.toArray(new Column[0]))), label != null);
  }

  private static boolean isNumber(String t) {
    try {
      Double.parseDouble(t.trim().replace("\"", ""));
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static Input npy(SparkSession spark, String x, int partitions) {
    NpyArray a = readNpy(spark, x);
    if (a.rank() < 2) {
      throw new InvalidInputException(x + " must be a 2-D (n, d) or 4-D (n, H, W, C) array, got shape "
          + Arrays.toString(a.shape()));
    }
    int n = a.shape()[0];
    int d = a.data().length / Math.max(n, 1);
    List<Row> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      rows.add(RowFactory.create((long) i, Vectors.dense(Arrays.copyOfRange(a.data(), i * d,
          (i + 1) * d))));
    }
    StructType schema = new StructType().add("row", DataTypes.LongType, false)
        .add("features", SQLDataTypes.VectorType(), false);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    return new Input(spark.createDataFrame(jsc.parallelize(rows, partitions), schema), false);
  }

  private static NpyArray readNpy(SparkSession spark, String x) {
    Path p = new Path(x);
    try (InputStream in = p.getFileSystem(spark.sparkContext().hadoopConfiguration()).open(p)) {
      return NpyReader.read(new java.io.BufferedInputStream(in, 1 << 16), x);
    } catch (IOException e) {
      throw new InvalidInputException("cannot read " + x + ": " + e.getMessage(), e);
    }
  }

  private static double[] labels(SparkSession spark, String path) {
    if (path.toLowerCase(Locale.ROOT).endsWith(".npy")) {
      NpyArray a = readNpy(spark, path);
      if (a.rank() == 1 || a.rank() == 2 && a.shape()[1] == 1) {
        return a.data();
      }
      throw new InvalidInputException(path + " must hold one label per row, got shape "
          + Arrays.toString(a.shape()));
    }
    List<Row> rows = spark.read().csv(path).collectAsList();
    int start = !rows.isEmpty() && !isNumber(String.valueOf(rows.get(0).get(0))) ? 1 : 0;
    double[] y = new double[rows.size() - start];
    for (int i = 0; i < y.length; i++) {
      String v = String.valueOf(rows.get(i + start).get(0));
      if (!isNumber(v)) {
        throw new InvalidInputException(path + " labels must be numbers, got '" + v + "' at row "
            + (i + start + 1));
      }
      y[i] = Double.parseDouble(v.trim());
    }
    return y;
  }

  /** Prepends the global row number ({@code zipWithIndex}: partition order, then position). */
  static Dataset<Row> withRow(Dataset<Row> df) {
    StructType schema = new StructType().add("row", DataTypes.LongType, false);
    for (var f : df.schema().fields()) {
      schema = schema.add(f);
    }
    JavaRDD<Row> rows = df.javaRDD().zipWithIndex().map(t -> {
      Object[] v = new Object[t._1().size() + 1];
      v[0] = t._2();
      for (int j = 0; j < t._1().size(); j++) {
        v[j + 1] = t._1().get(j);
      }
      return RowFactory.create(v);
    });
    return df.sparkSession().createDataFrame(rows, schema);
  }
}
