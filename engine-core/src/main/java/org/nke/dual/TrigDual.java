package org.nke.dual;

import java.util.Optional;

/**
 * Dual of {@code φ(x) = a·sin(b x + c)} (stax {@code Sin}; {@code Cos(a, b, c) = Sin(a, b, c + π/2)}).
 * With {@code s₁ = exp(b²(k_xy − (k_xx + k_yy)/2))}, {@code s₂ = exp(−b²(k_xy + (k_xx + k_yy)/2))
 * cos 2c}:
 *
 * <pre>{@code
 * K' = (a²/2)(s₁ − s₂)
 * K̇  = (a²/2) b² (s₁ + s₂)
 * }</pre>
 *
 * from {@code E[e^{i(βu)}] = e^{−β²k/2}} and the product-to-sum identities.
 */
public final class TrigDual extends ClosedFormDual {
  private final double a;
  private final double b;
  private final double c;
  private final String name;

  private TrigDual(double a, double b, double c, String name) {
    this.a = a;
    this.b = b;
    this.c = c;
    this.name = name;
  }

  /**
   * @param a output scale
   * @param b input scale
   * @param c phase
   * @return the dual of {@code a·sin(b x + c)}
   */
  public static TrigDual sin(double a, double b, double c) {
    return new TrigDual(a, b, c, "Sin(a=" + num(a) + ", b=" + num(b) + ", c=" + num(c) + ")");
  }

  /**
   * @param a output scale
   * @param b input scale
   * @param c phase
   * @return the dual of {@code a·cos(b x + c) = a·sin(b x + c + π/2)}
   */
  public static TrigDual cos(double a, double b, double c) {
    return new TrigDual(a, b, c + Math.PI / 2,
        "Cos(a=" + num(a) + ", b=" + num(b) + ", c=" + num(c) + ")");
  }

  @Override
  protected void evaluate(double kxx, double kyy, double kxy, double[] out) {
    double b2 = b * b;
    double half = -0.5 * (kxx + kyy);
    double s1 = Math.exp(b2 * (half + kxy));
    double s2 = Math.exp(b2 * (half - kxy)) * Math.cos(2 * c);
    double halfA2 = a * a / 2;
    out[VALUE] = halfA2 * (s1 - s2);
    out[DERIVATIVE] = halfA2 * b2 * (s1 + s2);
  }

  /** @return the output scale {@code a} */
  public double a() {
    return a;
  }

  /** @return the input scale {@code b} */
  public double b() {
    return b;
  }

  /** @return the phase of the sine form {@code a·sin(b x + phase)} (Cos adds {@code π/2}) */
  public double phase() {
    return c;
  }

  @Override
  public String describe() {
    return name;
  }

  @Override
  public Optional<ActivationFunction> function() {
    return Optional.of(new ActivationFunction() {
      @Override
      public double value(double x) {
        return a * Math.sin(b * x + c);
      }

      @Override
      public double derivative(double x) {
        return a * b * Math.cos(b * x + c);
      }
    });
  }
}
