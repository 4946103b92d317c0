package org.nke.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.nke.sketch.GramError;

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
    return GramError.relative(k, f, java.util.concurrent.ForkJoinPool.commonPool());
  }

  /**
   * @param k exact kernel
   * @param m features
   * @return the oblivious floor
   */
  public static double obliviousFloor(double[][] k, int m) {
    return GramError.obliviousFloor(k, m);
  }
}
