package org.nke.dual;

import java.util.Optional;

/**
 * Dual giving the RBF kernel (stax {@code Rbf}): the activation
 * {@code φ(x) = √2 sin(√(2γ) x + π/4)} has
 *
 * <pre>{@code
 * K' = exp(−γ (k_xx + k_yy − 2 k_xy))
 * K̇  = 2γ K'
 * }</pre>
 *
 * i.e. {@code exp(−γ‖x − y‖²/d)} on the input kernel; {@code γ = 1/(2ℓ²)}.
 */
public final class RbfDual extends ClosedFormDual {
  private final double gamma;

  /** @param gamma the inverse squared length scale over two */
  public RbfDual(double gamma) {
    this.gamma = gamma;
  }

  @Override
  protected void evaluate(double kxx, double kyy, double kxy, double[] out) {
    double v = Math.exp(gamma * (2 * kxy - kxx - kyy));
    out[VALUE] = v;
    out[DERIVATIVE] = 2 * gamma * v;
  }

  /** @return {@code γ} */
  public double gamma() {
    return gamma;
  }

  @Override
  public String describe() {
    return "Rbf(gamma=" + num(gamma) + ")";
  }

  @Override
  public Optional<ActivationFunction> function() {
    double w = Math.sqrt(2 * gamma);
    return Optional.of(new ActivationFunction() {
      @Override
      public double value(double x) {
        return Math.sqrt(2) * Math.sin(w * x + Math.PI / 4);
      }

      @Override
      public double derivative(double x) {
        return Math.sqrt(2) * w * Math.cos(w * x + Math.PI / 4);
      }
    });
  }
}
