package org.nke.dual;

import java.util.Optional;

/**
 * Dual of {@code GELU(x) = x Φ(x)} (Tsuchida, Pearce, van der Heide, Roosta, Gallagher 2021,
 * "Avoiding kernel fixed points: computing with ELU and GELU infinite networks", Table 1; stax
 * {@code Gelu}). With {@code P = k_xx k_yy}, {@code P₁ = (k_xx + 1)(k_yy + 1)},
 * {@code δ = √(P₁ − k_xy²)} and {@code α = atan2(k_xy, δ)}:
 *
 * <pre>{@code
 * K' = k_xy/4 + [ (k_xy² + P δ²)/(P₁ δ) + k_xy α ] / (2π)
 * K̇  = 1/4 + α/(2π) + k_xy/(2π δ) · (1/δ² + (1 − P)/P₁ + 1)
 * }</pre>
 *
 * {@code δ² ≥ 1 + k_xx + k_yy > 0}, so the forms are regular everywhere. As in stax, the
 * {@code approximate} flag only changes the finite-width network ({@code tanh} approximation); the
 * kernel is that of the exact GELU.
 */
public final class GeluDual extends ClosedFormDual {
  private final boolean approximate;

  /** @param approximate the stax flag, kept for {@link #describe()} */
  public GeluDual(boolean approximate) {
    this.approximate = approximate;
  }

  @Override
  protected void evaluate(double kxx, double kyy, double kxy, double[] out) {
    double prod = kxx * kyy;
    double prodPlus1 = (kxx + 1) * (kyy + 1);
    double deltaSq = prodPlus1 - kxy * kxy;
    double delta = safeSqrt(deltaSq);
    double alpha = Math.atan2(kxy, delta);
    out[VALUE] = ((kxy * kxy + prod * deltaSq) / (prodPlus1 * delta) + kxy * alpha) / (2 * Math.PI)
        + 0.25 * kxy;
    double first = (1 / deltaSq + (1 - prod) / prodPlus1 + 1) * kxy / delta / (2 * Math.PI);
    out[DERIVATIVE] = first + 0.25 + alpha / (2 * Math.PI);
  }

  @Override
  public String describe() {
    return approximate ? "Gelu(approximate=True)" : "Gelu()";
  }

  @Override
  public Optional<ActivationFunction> function() {
    return Optional.of(new ActivationFunction() {
      @Override
      public double value(double x) {
        return x * SpecialFunctions.normalCdf(x);
      }

      @Override
      public double derivative(double x) {
        return SpecialFunctions.normalCdf(x) + x * SpecialFunctions.normalPdf(x);
      }

      @Override
      public void valueAndDerivative(double x, double[] out) {
        double cdf = SpecialFunctions.normalCdf(x);
        out[0] = x * cdf;
        out[1] = cdf + x * SpecialFunctions.normalPdf(x);
      }
    });
  }
}
