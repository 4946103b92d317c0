package org.nke.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.Function;

/** Building blocks for suites: a case from lambdas, synthetic data, and Gram errors. */
public final class Cases {
  private Cases() {
  }

  /**
   * @param name case name
   * @param params grid coordinates (copied, in order)
   * @param run the timed operation
   * @param evaluate untimed metrics of its result
   * @param units work units per run
   * @param unit unit name
   * @param flops stated floating-point operations per run (NaN if not stated)
   * @param bytes stated bytes moved per run (NaN if not stated)
   * @return the case
   */
  public static BenchCase of(String name, Map<String, Object> params, Callable<Object> run,
      Function<Object, Map<String, Object>> evaluate, double units, String unit, double flops,
      double bytes) {
    Map<String, Object> p = new LinkedHashMap<>(params);
    return new BenchCase() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Map<String, Object> params() {
        return p;
      }

      @Override
      public Object run() throws Exception {
        return run.call();
      }

      @Override
      public Map<String, Object> evaluate(Object result) {
        return evaluate.apply(result);
      }

      @Override
      public double units() {
        return units;
      }

      @Override
      public String unit() {
        return unit;
      }

      @Override
      public double flops() {
        return flops;
      }

      @Override
      public double bytes() {
        return bytes;
      }
    };
  }

  /**
   * Points in ℝ^d with norms spread log-uniformly over {@code decades} decades around 1.
   *
   * @param n points
   * @param d dimension
   * @param decades spread of the norms
   * @param seed seed
   * @return the points
   */
  public static double[][] points(int n, int d, double decades, long seed) {
    Random rnd = new Random(seed);
    double[][] x = new double[n][d];
    for (int i = 0; i < n; i++) {
      double s = Math.pow(10, decades * (rnd.nextDouble() - 0.5));
      for (int j = 0; j < d; j++) {
        x[i][j] = s * rnd.nextGaussian();
      }
    }
    return x;
  }

  /**
   * @param k exact kernel
   * @param f features
   * @return {@code ‖F Fᵀ − K‖_F / ‖K‖_F}
   */
  public static double gramError(double[][] k, double[][] f) {
    int n = k.length;
    double[][] parts = new double[n][2];
    java.util.stream.IntStream.range(0, n).parallel().forEach(i -> {
      double[] a = f[i];
      for (int j = 0; j < n; j++) {
        double s = 0;
        double[] b = f[j];
        for (int t = 0; t < a.length; t++) {
          s += a[t] * b[t];
        }
        parts[i][0] += (s - k[i][j]) * (s - k[i][j]);
        parts[i][1] += k[i][j] * k[i][j];
      }
    });
    double num = 0;
    double den = 0;
    for (double[] p : parts) {
      num += p[0];
      den += p[1];
    }
    return Math.sqrt(num / den);
  }

  /**
   * The expected error of the oblivious floor: a Gaussian projection of an exact factor of the
   * kernel to {@code m} features, {@code √(((tr K)² + ‖K‖_F²)/m) / ‖K‖_F}.
   *
   * @param k exact kernel
   * @param m features
   * @return the floor
   */
  public static double obliviousFloor(double[][] k, int m) {
    double trace = 0;
    double fro = 0;
    for (int i = 0; i < k.length; i++) {
      trace += k[i][i];
      for (double v : k[i]) {
        fro += v * v;
      }
    }
    return Math.sqrt((trace * trace + fro) / m / fro);
  }
}
