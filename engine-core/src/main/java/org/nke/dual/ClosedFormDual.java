package org.nke.dual;

/**
 * Base of the closed-form duals: a subclass computes value and derivative together in
 * {@link #evaluate}, sharing intermediate terms, and inherits the block loop.
 */
public abstract class ClosedFormDual implements DualActivation {
  /**
   * Flops of one {@link #evaluate}: a closed form costs a few special functions (a square root and
   * an {@code atan2}, {@code erf}, {@code exp} or trigonometric function, each counted as about 15
   * flops, the length of its polynomial or rational approximation) and ten to twenty arithmetic
   * operations, value and derivative sharing them; 40 is the order of magnitude for every family.
   */
  public static final int FLOPS = 40;

  /** Index of the value in the array passed to {@link #evaluate}. */
  protected static final int VALUE = 0;
  /** Index of the derivative in the array passed to {@link #evaluate}. */
  protected static final int DERIVATIVE = 1;

  /**
   * Computes {@code E[φ(u)φ(v)]} into {@code out[VALUE]} and {@code E[φ'(u)φ'(v)]} into
   * {@code out[DERIVATIVE]}.
   *
   * @param kxx variance of {@code u}
   * @param kyy variance of {@code v}
   * @param kxy covariance
   * @param out length at least 2; modified
   */
  protected abstract void evaluate(double kxx, double kyy, double kxy, double[] out);

  @Override
  public double value(double kxx, double kyy, double kxy) {
    double[] out = new double[2];
    evaluate(kxx, kyy, kxy, out);
    return out[VALUE];
  }

  @Override
  public double derivative(double kxx, double kyy, double kxy) {
    double[] out = new double[2];
    evaluate(kxx, kyy, kxy, out);
    return out[DERIVATIVE];
  }

  @Override
  public BoundDual bind(double[] varX, double[] varY, boolean withDerivative) {
    return (i, j0, len, nngp, ntk, off) -> {
      double[] out = new double[2];
      double kxx = varX[i];
      for (int t = 0; t < len; t++) {
        evaluate(kxx, varY[j0 + t], nngp[off + t], out);
        nngp[off + t] = out[VALUE];
        if (ntk != null) {
          ntk[off + t] *= out[DERIVATIVE];
        }
      }
    };
  }

  /**
   * {@inheritDoc}
   *
   * <p>{@value #FLOPS}, plus one multiplication {@code Θ·K̇} with the derivative.
   */
  @Override
  public double flopsPerEntry(boolean withDerivative) {
    return FLOPS + (withDerivative ? 1 : 0);
  }

  /** @return 0: a closed form needs no per-point tables */
  @Override
  public long bytesPerPoint(boolean withDerivative) {
    return 0;
  }

  @Override
  public String toString() {
    return describe();
  }

  /**
   * The angle between two Gaussian variables, {@code θ = arccos(k_xy / √(k_xx k_yy))}, computed as
   * {@code atan2(√(k_xx k_yy − k_xy²), k_xy)} (accurate near {@code ρ = ±1}); {@code π/2} when both
   * arguments vanish, as in stax.
   *
   * @param sinPart {@code √max(k_xx k_yy − k_xy², 0)}
   * @param kxy the covariance
   * @return {@code θ ∈ [0, π]}
   */
  protected static double angle(double sinPart, double kxy) {
    return sinPart == 0 && kxy == 0 ? Math.PI / 2 : Math.atan2(sinPart, kxy);
  }

  /**
   * @param x any number
   * @return {@code √max(x, 0)}
   */
  protected static double safeSqrt(double x) {
    return x > 0 ? Math.sqrt(x) : 0.0;
  }

  /**
   * Formats a number as in an architecture string.
   *
   * @param x the number
   * @return its shortest round-tripping decimal form
   */
  protected static String num(double x) {
    return Double.toString(x);
  }
}
