package org.nke.dual;

import java.util.Optional;

/**
 * Dual of {@code φ(x) = a·erf(b x) + c} (Williams 1997; stax {@code Erf}). With
 * {@code d_x = 1 + 2b²k_xx}, {@code d_y = 1 + 2b²k_yy}:
 *
 * <pre>{@code
 * K' = a² (2/π) arcsin(2b²k_xy / √(d_x d_y)) + c²
 * K̇  = a² b² (4/π) / √(d_x d_y − 4b⁴k_xy²)
 * }</pre>
 *
 * The arcsine is evaluated as {@code atan2(2b²k_xy, √(d_x d_y − 4b⁴k_xy²))}, accurate near
 * {@code ρ = ±1}; {@code d_x d_y − 4b⁴k_xy² ≥ 1} so nothing is singular. {@code Sigmoid_like} is
 * {@code Erf(0.5, 1/2.4020563531719796, 0.5)}.
 */
public final class ErfDual extends ClosedFormDual {
  private final double a;
  private final double b;
  private final double c;
  private final String name;

  /**
   * @param a output scale
   * @param b input scale
   * @param c output shift
   * @param name how the layer was written
   */
  public ErfDual(double a, double b, double c, String name) {
    this.a = a;
    this.b = b;
    this.c = c;
    this.name = name;
  }

  /**
   * @param a output scale
   * @param b input scale
   * @param c output shift
   * @return the dual of {@code a·erf(b x) + c}
   */
  public static ErfDual of(double a, double b, double c) {
    return new ErfDual(a, b, c, "Erf(a=" + num(a) + ", b=" + num(b) + ", c=" + num(c) + ")");
  }

  /** @return the dual of stax's {@code Sigmoid_like}, {@code 0.5 erf(x / 2.4020563531719796) + 0.5} */
  public static ErfDual sigmoidLike() {
    return new ErfDual(0.5, 1 / 2.4020563531719796, 0.5, "Sigmoid_like()");
  }

  @Override
  protected void evaluate(double kxx, double kyy, double kxy, double[] out) {
    double b2 = b * b;
    double dx = 1 + 2 * b2 * kxx;
    double dy = 1 + 2 * b2 * kyy;
    double t = 2 * b2 * kxy;
    double root = safeSqrt(dx * dy - t * t);
    out[VALUE] = a * a * (2 / Math.PI) * Math.atan2(t, root) + c * c;
    out[DERIVATIVE] = a * a * b2 * (4 / Math.PI) / root;
  }

  /** @return the output scale {@code a} */
  public double a() {
    return a;
  }

  /** @return the input scale {@code b} */
  public double b() {
    return b;
  }

  /** @return the output shift {@code c} */
  public double c() {
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
        return a * SpecialFunctions.erf(b * x) + c;
      }

      @Override
      public double derivative(double x) {
        return a * b * 2 / Math.sqrt(Math.PI) * Math.exp(-b * b * x * x);
      }
    });
  }
}
