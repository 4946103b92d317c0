package org.nke.hermite;

import java.util.function.DoubleUnaryOperator;

/**
 * Robust {@code E[f(z)]}, {@code z ~ N(0, 1)}, for integrands that are sharp or kinked at
 * {@code z = 0} on a scale {@code w} (e.g. {@code tanh(a z)²} with {@code w ≈ 1/a}, or ReLU-like
 * kinks): composite 20-point Gauss–Legendre on {@code [−10, 10]} (neglected mass below 1e−22), with
 * panels that grow geometrically from width {@code w/8} at the origin to at most 0.5. Unlike
 * Gauss–Hermite, whose nodes spread as {@code √n}, it resolves a feature of width {@code w} with
 * {@code O(log(1/w))} extra panels. Used for the exact diagonal of numerical duals.
 */
public final class NormalExpectation {
  private static final double RANGE = 10.0;
  private static final double MAX_PANEL = 0.5;
  private static final int POINTS = 20;
  private static final double[] X = new double[POINTS];
  private static final double[] W = new double[POINTS];

  static {
    // Gauss–Legendre nodes: Newton's method on P_20 from Tricomi's cosine guesses.
    for (int i = 0; i < POINTS; i++) {
      double x = Math.cos(Math.PI * (i + 0.75) / (POINTS + 0.5));
      double dp = 1;
      for (int it = 0; it < 50; it++) {
        double p0 = 1;
        double p1 = x;
        for (int k = 2; k <= POINTS; k++) {
          // (k) P_k = (2k − 1) x P_{k−1} − (k − 1) P_{k−2}
          double p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
          p0 = p1;
          p1 = p2;
        }
        dp = POINTS * (x * p1 - p0) / (x * x - 1);
        double dx = p1 / dp;
        x -= dx;
        if (Math.abs(dx) < 1e-16) {
          break;
        }
      }
      X[i] = x;
      W[i] = 2 / ((1 - x * x) * dp * dp);
    }
  }

  private NormalExpectation() {
  }

  /**
   * The panel rule behind {@link #rule}, for other backends that generate it themselves: the 20-point
   * Gauss–Legendre nodes and weights on {@code [−1, 1]}, the range (10), the largest panel (0.5);
   * the first panel is {@code max(width, 1e−12)/8} wide, each next one twice as wide.
   *
   * @return {@code {nodes, weights}} (copies)
   */
  public static double[][] legendre() {
    return new double[][] {X.clone(), W.clone()};
  }

  /**
   * @param f the integrand, not modified
   * @param width the width of its sharpest feature at the origin (use {@code 1/a} for
   *     {@code g(a z)}), positive
   * @return {@code E[f(z)]}
   */
  public static double of(DoubleUnaryOperator f, double width) {
    double[][] rule = rule(width);
    double sum = 0;
    for (int i = 0; i < rule[0].length; i++) {
      sum += rule[1][i] * f.applyAsDouble(rule[0][i]);
    }
    return sum;
  }

  /**
   * The nodes and probability weights behind {@link #of}, for evaluating many expectations of the
   * same scale in one pass: {@code E[f(z)] ≈ Σ_i w_i f(z_i)}.
   *
   * @param width the width of the sharpest feature at the origin, positive
   * @return {@code {nodes, weights}}
   */
  public static double[][] rule(double width) {
    return rule(width, MAX_PANEL);
  }

  /**
   * The same composite rule with another largest panel (panels start at the origin, so a kink or
   * jump of the integrand at {@code z = 0} is always at a panel boundary).
   *
   * @param width the width of the sharpest feature at the origin, positive
   * @param maxPanel the largest panel width
   * @return {@code {nodes, weights}}
   */
  public static double[][] rule(double width, double maxPanel) {
    java.util.List<double[]> pairs = new java.util.ArrayList<>();
    double lo = 0;
    double step = Math.min(maxPanel, Math.max(width, 1e-12) / 8);
    double norm = 1 / Math.sqrt(2 * Math.PI);
    while (lo < RANGE) {
      double hi = Math.min(RANGE, lo + step);
      double half = 0.5 * (hi - lo);
      double mid = 0.5 * (hi + lo);
      for (int i = 0; i < POINTS; i++) {
        double z = mid + half * X[i];
        double w = half * W[i] * Math.exp(-0.5 * z * z) * norm;
        pairs.add(new double[] {z, w});
        pairs.add(new double[] {-z, w});
      }
      lo = hi;
      step = Math.min(maxPanel, 2 * step);
    }
    double[][] out = new double[2][pairs.size()];
    for (int i = 0; i < pairs.size(); i++) {
      out[0][i] = pairs.get(i)[0];
      out[1][i] = pairs.get(i)[1];
    }
    return out;
  }
}
