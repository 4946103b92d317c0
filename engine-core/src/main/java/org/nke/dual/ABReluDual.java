package org.nke.dual;

import java.util.Optional;

/**
 * Dual of {@code φ(x) = a·min(x, 0) + b·max(x, 0)} (ReLU = (0, 1), LeakyReLU(α) = (α, 1),
 * Abs = (−1, 1)): the arc-cosine kernel of order one (Cho &amp; Saul 2009, eq. 6; stax {@code ABRelu}).
 * With {@code θ = arccos(k_xy / √(k_xx k_yy))}:
 *
 * <pre>{@code
 * K' = (a − b)²/(2π) · √(k_xx k_yy − k_xy²) + [(a² + b²)/2 − (a − b)² θ/(2π)] · k_xy
 * K̇  = (a² + b²)/2 − (a − b)² θ/(2π)
 * }</pre>
 *
 * For ReLU this is {@code K' = √(k_xx k_yy)(sin θ + (π − θ) cos θ)/(2π)}, {@code K̇ = (π − θ)/(2π)}.
 * Exact for all variances, including 0.
 */
public final class ABReluDual extends ClosedFormDual {
  private final double a;
  private final double b;
  private final String name;

  /**
   * @param a slope for {@code x < 0}
   * @param b slope for {@code x > 0}
   * @param name how the layer was written ({@code Relu}, {@code LeakyRelu(alpha=0.1)}, …)
   */
  public ABReluDual(double a, double b, String name) {
    this.a = a;
    this.b = b;
    this.name = name;
  }

  /** @return the ReLU dual, {@code ABRelu(0, 1)} */
  public static ABReluDual relu() {
    return new ABReluDual(0, 1, "Relu()");
  }

  /**
   * @param alpha the slope for negative inputs
   * @return the leaky-ReLU dual, {@code ABRelu(alpha, 1)}
   */
  public static ABReluDual leakyRelu(double alpha) {
    return new ABReluDual(alpha, 1, "LeakyRelu(alpha=" + num(alpha) + ")");
  }

  /** @return the absolute-value dual, {@code ABRelu(−1, 1)} */
  public static ABReluDual abs() {
    return new ABReluDual(-1, 1, "Abs()");
  }

  @Override
  protected void evaluate(double kxx, double kyy, double kxy, double[] out) {
    double sinPart = safeSqrt(kxx * kyy - kxy * kxy);
    double theta = angle(sinPart, kxy);
    double factor = (a - b) * (a - b) / (2 * Math.PI);
    double dot = (a * a + b * b) / 2 - factor * theta;
    out[VALUE] = factor * sinPart + dot * kxy;
    out[DERIVATIVE] = dot;
  }

  /** @return the slope {@code a} for {@code x < 0} */
  public double a() {
    return a;
  }

  /** @return the slope {@code b} for {@code x > 0} */
  public double b() {
    return b;
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
        return x < 0 ? a * x : b * x;
      }

      @Override
      public double derivative(double x) {
        return x < 0 ? a : b;
      }

      @Override
      public boolean smooth() {
        return a == b;
      }
    });
  }
}
