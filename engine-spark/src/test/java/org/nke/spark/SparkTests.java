package org.nke.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** A shared {@code local[2]} session (loopback only, no UI) and seeded test data. */
final class SparkTests {
  private SparkTests() {
  }

  /** @return the shared local session, created on first use */
  static SparkSession local() {
    return SparkSession.builder().master("local[2]").appName("nke-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate();
  }

  /**
   * A {@code local-cluster[workers, 1, memory]} session: a standalone master and workers in this
   * JVM, each executor a child JVM on this test's class path (see {@link SeparateJvmTest}); waits
   * until every executor has registered. Stops any active session first.
   */
  static SparkSession cluster(String name, int workers, int memoryMb) throws Exception {
    String home = System.getenv("SPARK_HOME");
    java.nio.file.Files.createDirectories(java.nio.file.Path.of(home, "jars"));
    SparkSession.getActiveSession().foreach(s -> {
      s.stop();
      return null;
    });
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    SparkSession spark = SparkSession.builder()
        .master("local-cluster[" + workers + ",1," + memoryMb + "]").appName(name)
        .config("spark.executor.extraClassPath", cp)
        .config("spark.executor.memory", memoryMb + "m")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate();
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (spark.sparkContext().statusTracker().getExecutorInfos().length < workers + 1) {
      if (System.nanoTime() > deadline) {
        spark.stop();
        throw new IllegalStateException("executors did not register within 120 s; see " + home
            + "/work for their logs");
      }
      Thread.sleep(200);
    }
    return spark;
  }

  /** Gaussian points with a per-coordinate scale, rows = points. */
  static double[][] points(int n, int d, long seed) {
    Random r = new Random(seed);
    double[][] x = new double[n][d];
    for (double[] row : x) {
      for (int j = 0; j < d; j++) {
        row[j] = r.nextGaussian() * (1 + 0.1 * (j % 3));
      }
    }
    return x;
  }

  /** Three classes from the signs of two linear forms. */
  static double[] classes(double[][] x) {
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      double a = x[i][0] + 0.5 * x[i][1];
      double b = x[i][2] - x[i][0];
      y[i] = a > 0 ? (b > 0 ? 2 : 1) : 0;
    }
    return y;
  }

  /** A smooth regression target. */
  static double[] values(double[][] x) {
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = Math.sin(x[i][0]) + 0.3 * x[i][1] * x[i][2] + 2.5;
    }
    return y;
  }

  /**
   * A DataFrame (id long, label double, features vector) in row order, split into contiguous
   * partitions.
   */
  static Dataset<Row> frame(SparkSession spark, double[][] x, double[] y, int partitions) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < x.length; i++) {
      rows.add(RowFactory.create((long) i, y == null ? 0.0 : y[i], Vectors.dense(x[i])));
    }
    StructType schema = new StructType().add("id", DataTypes.LongType, false)
        .add("label", DataTypes.DoubleType, false)
        .add("features", SQLDataTypes.VectorType(), false);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    return spark.createDataFrame(jsc.parallelize(rows, partitions), schema);
  }
}
