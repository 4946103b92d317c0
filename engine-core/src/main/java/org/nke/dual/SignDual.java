package org.nke.dual;

import java.util.Optional;

/**
 * Dual of {@code φ(x) = sign(x)} (stax {@code Sign}): {@code E[sign u · sign v] = 1 − 2θ/π} with
 * {@code θ = arccos ρ} (Sheppard's formula). The derivative vanishes almost everywhere, so, as in
 * stax, {@code K̇ = 0} and the NTK is reset to zero.
 */
public final class SignDual extends ClosedFormDual {
  @Override
  protected void evaluate(double kxx, double kyy, double kxy, double[] out) {
    double theta = angle(safeSqrt(kxx * kyy - kxy * kxy), kxy);
    out[VALUE] = 1 - 2 * theta / Math.PI;
    out[DERIVATIVE] = 0;
  }

  @Override
  public String describe() {
    return "Sign()";
  }

  @Override
  public Optional<ActivationFunction> function() {
    return Optional.of(new ActivationFunction() {
      @Override
      public double value(double x) {
        return Math.signum(x);
      }

      @Override
      public double derivative(double x) {
        return 0;
      }

      @Override
      public boolean smooth() {
        return false;
      }
    });
  }
}
