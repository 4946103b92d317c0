package org.nke.dual;

import java.util.Optional;

/**
 * The normalised Gaussian kernel (Shankar et al. 2020, "Neural kernels without tangents", p. 6;
 * stax {@code ExpNormalized}): a homogeneous dual with no pointwise activation. With
 * {@code s = √(k_xx k_yy)} and {@code ρ = k_xy / s}:
 *
 * <pre>{@code
 * K' = s · exp(γ (ρ + shift))
 * K̇  = γ · exp(γ (ρ + shift))
 * }</pre>
 *
 * As in stax, {@code s} is floored at {@code 1e−15} ({@code √1e−30}) and {@code ρ} is clipped to
 * {@code [−1, 1]} when {@code do_clip} is set. Its Taylor series
 * {@code κ(ρ) = e^{γ·shift} Σ_k γ^k ρ^k / k!} has non-negative coefficients, so it sketches well.
 */
public final class ExpNormalizedDual extends ClosedFormDual {
  private static final double FLOOR = 1e-30;
  private final double gamma;
  private final double shift;
  private final boolean clip;

  /**
   * @param gamma exponent scale
   * @param shift shift of the normalised covariance
   * @param clip whether to clip {@code ρ} to {@code [−1, 1]}
   */
  public ExpNormalizedDual(double gamma, double shift, boolean clip) {
    this.gamma = gamma;
    this.shift = shift;
    this.clip = clip;
  }

  @Override
  protected void evaluate(double kxx, double kyy, double kxy, double[] out) {
    double s = Math.sqrt(Math.max(kxx * kyy, FLOOR));
    double rho = kxy / s;
    if (clip) {
      rho = Math.max(-1, Math.min(1, rho));
    }
    double e = Math.exp(gamma * (rho + shift));
    out[VALUE] = s * e;
    out[DERIVATIVE] = gamma * e;
  }

  /** @return {@code γ} */
  public double gamma() {
    return gamma;
  }

  /** @return the shift */
  public double shift() {
    return shift;
  }

  /** @return whether {@code ρ} is clipped to {@code [−1, 1]} */
  public boolean clip() {
    return clip;
  }

  @Override
  public String describe() {
    return "ExpNormalized(gamma=" + num(gamma) + ", shift=" + num(shift)
        + (clip ? ", do_clip=True" : "") + ")";
  }

  @Override
  public Optional<ActivationFunction> function() {
    return Optional.empty();
  }
}
