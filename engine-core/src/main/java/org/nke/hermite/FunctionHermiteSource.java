package org.nke.hermite;

import org.nke.dual.ActivationFunction;

/**
 * Hermite coefficients of a pointwise activation by quadrature,
 * {@code c_k(a) = E_z[φ(a z) h_k(z)]}, on the graded composite rule of {@link NormalExpectation}
 * (robust for kinks and for large scales, where Gauss–Hermite nodes are too coarse near the origin).
 * The moments for folding, {@code E[φ(az)²] ± E[φ(az)φ(−az)]}, come from the same rule.
 */
public final class FunctionHermiteSource implements HermiteSource {
  private final ActivationFunction fn;

  /** @param fn the activation */
  public FunctionHermiteSource(ActivationFunction fn) {
    this.fn = fn;
  }

  @Override
  public double[] coefficients(double scale, int q, boolean derivative, boolean fold) {
    double a = Math.max(scale, 0);
    double[][] rule = NormalExpectation.rule(a > 1 ? 1 / a : 1);
    double[] z = rule[0];
    double[] w = rule[1];
    double[] c = new double[q + 1];
    double[] h = new double[q + 1];
    double even = 0;
    double odd = 0;
    for (int i = 0; i < z.length; i++) {
      double f = derivative ? fn.derivative(a * z[i]) : fn.value(a * z[i]);
      double g = derivative ? fn.derivative(-a * z[i]) : fn.value(-a * z[i]);
      // E[φ(az)²] = Σ c_k², E[φ(az)φ(−az)] = Σ (−1)^k c_k²
      even += w[i] * 0.5 * (f * f + f * g);
      odd += w[i] * 0.5 * (f * f - f * g);
      HermitePolynomials.evaluate(z[i], q, h);
      double wf = w[i] * f;
      for (int k = 0; k <= q; k++) {
        c[k] += wf * h[k];
      }
    }
    if (fold) {
      HermiteSource.fold(c, even, odd);
    }
    return c;
  }
}
