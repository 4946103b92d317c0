package org.nke.spark;

import java.util.SplittableRandom;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Labelled synthetic points for smoke runs and benchmarks, generated where they are used: row
 * {@code i} depends only on {@code (seed, i)}, so executors generate their partitions and a single
 * process generates the same rows for comparison. Points are standard Gaussian in {@code ℝ^d}; with
 * {@code C ≥ 2} classes the label is {@code argmax_c x·w_c} for fixed Gaussian directions
 * {@code w_c} (a linear teacher), with {@code C = 0} it is the regression target
 * {@code sin(x·w₀/√d) + 0.5 (x·w₁/√d)²}.
 */
public final class SyntheticData {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private SyntheticData() {
  }

  /**
   * @param seed the data seed
   * @param i the row
   * @param d the dimension
   * @return point {@code i}
   */
  public static double[] point(long seed, long i, int d) {
    SplittableRandom r = new SplittableRandom(seed * GOLDEN + i);
    double[] x = new double[d];
    for (int j = 0; j < d; j++) {
      x[j] = gaussian(r);
    }
    return x;
  }

  /**
   * @param seed the data seed
   * @param x a point
   * @param classes number of classes, or 0 for regression
   * @return its label
   */
  public static double label(long seed, double[] x, int classes) {
    int d = x.length;
    SplittableRandom r = new SplittableRandom(~seed);
    int k = Math.max(classes, 2);
    double best = Double.NEGATIVE_INFINITY;
    double[] proj = new double[k];
    int arg = 0;
    for (int c = 0; c < k; c++) {
      double s = 0;
      for (int j = 0; j < d; j++) {
        s += x[j] * gaussian(r);
      }
      proj[c] = s / Math.sqrt(d);
      if (proj[c] > best) {
        best = proj[c];
        arg = c;
      }
    }
    return classes >= 2 ? arg : Math.sin(proj[0]) + 0.5 * proj[1] * proj[1];
  }

  private static double gaussian(SplittableRandom r) {
    // Box–Muller: u1 in (0, 1], u2 in [0, 1)
    double u1 = 1 - r.nextDouble();
    double u2 = r.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /**
   * @param start the first row
   * @param n rows
   * @param d dimension
   * @param seed data seed
   * @return rows {@code start … start+n−1} in one process
   */
  public static double[][] points(long start, int n, int d, long seed) {
    double[][] x = new double[n][];
    for (int i = 0; i < n; i++) {
      x[i] = point(seed, start + i, d);
    }
    return x;
  }

  /**
   * @param spark the session
   * @param start the first row (e.g. a test set: the rows after the training rows, same teacher)
   * @param n rows
   * @param d dimension
   * @param classes classes, or 0 for regression
   * @param seed data seed (points and teacher)
   * @param partitions partitions (contiguous row ranges)
   * @return columns {@code row} (long), {@code label} (double), {@code features} (vector), in row order
   */
  public static Dataset<Row> frame(SparkSession spark, long start, long n, int d, int classes,
      long seed, int partitions) {
    StructType schema = new StructType().add("row", DataTypes.LongType, false)
        .add("label", DataTypes.DoubleType, false)
        .add("features", SQLDataTypes.VectorType(), false);
    MapFunction<Long, Row> gen = i -> {
      double[] x = point(seed, i, d);
      return RowFactory.create(i, label(seed, x, classes), Vectors.dense(x));
    };
    return spark.range(start, start + n, 1, partitions).map(gen, Encoders.row(schema));
  }
}
