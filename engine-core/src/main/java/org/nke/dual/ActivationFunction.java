package org.nke.dual;

/**
 * A pointwise activation {@code φ: ℝ → ℝ} with its derivative {@code φ'} (used by the NTK; where
 * {@code φ} has kinks, {@code φ'} is any a.e. derivative, which is all the kernel integrals see).
 */
public interface ActivationFunction {
  /**
   * @param x the pre-activation
   * @return {@code φ(x)}
   */
  double value(double x);

  /**
   * @param x the pre-activation
   * @return {@code φ'(x)}
   */
  double derivative(double x);

  /**
   * Both at once, for callers that need both at the same points (the NTK sketch's quadrature);
   * implementations may share work, but must return exactly {@link #value} and {@link #derivative}.
   *
   * @param x the pre-activation
   * @param out receives {@code φ(x)} at 0 and {@code φ'(x)} at 1; modified
   */
  default void valueAndDerivative(double x, double[] out) {
    out[0] = value(x);
    out[1] = derivative(x);
  }

  /**
   * Whether {@code φ} is smooth (analytic in a strip around the real line). Quadrature and Hermite
   * series converge geometrically for smooth activations and only algebraically at kinks.
   *
   * @return {@code true} for smooth activations
   */
  default boolean smooth() {
    return true;
  }
}
