package org.nke.dual;

import java.util.Optional;

/**
 * Dual of {@code φ(x) = a·e^{b x²}} (stax {@code Gaussian}; {@code b < 0} for a bump). With
 * {@code D = (1 − 2b k_xx)(1 − 2b k_yy) − 4b² k_xy²}, from the Gaussian integral
 * {@code E[e^{b(u² + v²)}] = det(I − 2bΣ)^{−1/2}}:
 *
 * <pre>{@code
 * K' = a² / √D
 * K̇  = a² · 4b² k_xy / D^{3/2}
 * }</pre>
 *
 * Defined while {@code 1 − 2b·k > 0} for both variances (always for {@code b ≤ 0}).
 */
public final class GaussianDual extends ClosedFormDual {
  private final double a;
  private final double b;

  /**
   * @param a output scale
   * @param b exponent coefficient
   */
  public GaussianDual(double a, double b) {
    this.a = a;
    this.b = b;
  }

  @Override
  protected void evaluate(double kxx, double kyy, double kxy, double[] out) {
    double det = Math.sqrt((1 - 2 * b * kxx) * (1 - 2 * b * kyy) - 4 * b * b * kxy * kxy);
    out[VALUE] = a * a / det;
    out[DERIVATIVE] = a * a * 4 * b * b * kxy / (det * det * det);
  }

  /** @return the output scale {@code a} */
  public double a() {
    return a;
  }

  /** @return the exponent coefficient {@code b} */
  public double b() {
    return b;
  }

  @Override
  public String describe() {
    return "Gaussian(a=" + num(a) + ", b=" + num(b) + ")";
  }

  @Override
  public Optional<ActivationFunction> function() {
    return Optional.of(new ActivationFunction() {
      @Override
      public double value(double x) {
        return a * Math.exp(b * x * x);
      }

      @Override
      public double derivative(double x) {
        return 2 * a * b * x * Math.exp(b * x * x);
      }
    });
  }
}
