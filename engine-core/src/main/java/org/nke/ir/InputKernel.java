package org.nke.ir;

/**
 * The input kernel of neural-tangents' {@code stax}: {@code K⁰(x, y) = x·y / d}, {@code Θ⁰ = 0}.
 *
 * <p>The dot product accumulates in index order with one accumulator; backends that compute the Gram
 * matrix on the CPU keep that order, so that a point's kernel with itself is bitwise equal to its
 * variance from {@link #variances}, and {@code ρ = 1} exactly on the diagonal.
 */
public final class InputKernel {
  private InputKernel() {
  }

  /**
   * @param a a point, not modified
   * @param b a point of the same dimension, not modified
   * @return {@code a·b / d}
   */
  public static double of(double[] a, double[] b) {
    double s = 0;
    for (int k = 0; k < a.length; k++) {
      s += a[k] * b[k];
    }
    return s / a.length;
  }

  /**
   * @param x points, not modified
   * @return {@code K⁰(x_i, x_i)} for every point
   */
  public static double[] variances(double[][] x) {
    double[] v = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      v[i] = of(x[i], x[i]);
    }
    return v;
  }
}
