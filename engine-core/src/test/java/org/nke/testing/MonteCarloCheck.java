package org.nke.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.nke.spi.KernelMatrix;

/**
 * The Monte Carlo criterion of the finite-width tests: the mean of the empirical kernels over seeds
 * lies within 4 standard errors of the exact kernel, plus an allowance of {@code 5/width} of
 * {@code √(K(x,x) K(y,y))} for the O(1/width) bias of finite networks.
 */
public final class MonteCarloCheck {
  private MonteCarloCheck() {
  }

  /**
   * @param what label for messages, e.g. {@code "Relu() NTK"}
   * @param exact the exact kernel
   * @param samples one empirical kernel per seed, {@code [seed][i][j]}
   * @param width the networks' width
   */
  public static void assertWithinStandardErrors(String what, KernelMatrix exact,
      double[][][] samples, int width) {
    int seeds = samples.length;
    int n = exact.rows();
    for (int i = 0; i < n; i++) {
      for (int j = i; j < n; j++) {
        double mean = 0;
        for (double[][] s : samples) {
          mean += s[i][j] / seeds;
        }
        double var = 0;
        for (double[][] s : samples) {
          var += (s[i][j] - mean) * (s[i][j] - mean) / (seeds - 1);
        }
        double se = Math.sqrt(var / seeds);
        double scale = Math.sqrt(Math.abs(exact.get(i, i) * exact.get(j, j)));
        double err = Math.abs(mean - exact.get(i, j));
        assertTrue(err <= 4 * se + 5.0 / width * scale, String.format(Locale.ROOT,
            "%s (%d, %d): Monte-Carlo %.5f ± %.5f, exact %.5f", what, i, j, mean, se,
            exact.get(i, j)));
      }
    }
  }

  /**
   * @param n points
   * @param d dimension
   * @param seed the seed
   * @return Gaussian points whose scale grows with the index ({@code 0.6 + 0.3 i})
   */
  public static double[][] points(int n, int d, long seed) {
    java.util.Random rnd = new java.util.Random(seed);
    double[][] x = new double[n][d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        x[i][j] = (0.6 + 0.3 * i) * rnd.nextGaussian();
      }
    }
    return x;
  }
}
