package org.nke.dual;

import java.util.Optional;

/**
 * Dual of {@code φ(x) = a·e^{b x}} (stax {@code Exp}), from the log-normal moment
 * {@code E[e^{b(u+v)}] = e^{b²(k_xx + k_yy + 2k_xy)/2}}:
 *
 * <pre>{@code
 * K' = a² exp(b² ((k_xx + k_yy)/2 + k_xy))
 * K̇  = b² K'
 * }</pre>
 */
public final class ExpDual extends ClosedFormDual {
  private final double a;
  private final double b;

  /**
   * @param a output scale
   * @param b input scale
   */
  public ExpDual(double a, double b) {
    this.a = a;
    this.b = b;
  }

  @Override
  protected void evaluate(double kxx, double kyy, double kxy, double[] out) {
    double b2 = b * b;
    double v = a * a * Math.exp(b2 * (0.5 * (kxx + kyy) + kxy));
    out[VALUE] = v;
    out[DERIVATIVE] = b2 * v;
  }

  /** @return the output scale {@code a} */
  public double a() {
    return a;
  }

  /** @return the input scale {@code b} */
  public double b() {
    return b;
  }

  @Override
  public String describe() {
    return "Exp(a=" + num(a) + ", b=" + num(b) + ")";
  }

  @Override
  public Optional<ActivationFunction> function() {
    return Optional.of(new ActivationFunction() {
      @Override
      public double value(double x) {
        return a * Math.exp(b * x);
      }

      @Override
      public double derivative(double x) {
        return a * b * Math.exp(b * x);
      }
    });
  }
}
