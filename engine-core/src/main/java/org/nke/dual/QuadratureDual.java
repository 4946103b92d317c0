package org.nke.dual;

import org.nke.hermite.GaussHermiteRule;

/**
 * Numerical dual by direct 2-D Gauss–Hermite quadrature, as stax's {@code ElementwiseNumerical(fn,
 * deg)}: with {@code u = a z₁}, {@code v = (k_xy/a) z₁ + √(k_yy − k_xy²/k_xx) z₂}, {@code a = √k_xx},
 *
 * <pre>{@code E[f(u) f(v)] ≈ Σ_i Σ_j p_i p_j f(a z_i) f((k_xy/a) z_i + s z_j)}</pre>
 *
 * for {@code f = φ} (NNGP) and {@code f = φ'} (NTK). A pair costs {@code deg²} activation
 * evaluations (the row values {@code f(a z_i)} are cached per point). Accuracy is governed by how far
 * {@code φ}'s singularities lie from the real axis relative to the scale: Tanh at variance 3 needs
 * {@code deg ≈ 200} for 1e−10, which is why named activations use {@link HermiteSeriesDual} by
 * default; kinks limit convergence to algebraic rates (stax recommends {@code deg = 25}: about 1e−3
 * for GeLU-like activations).
 */
public final class QuadratureDual extends NumericalDual {
  private final GaussHermiteRule rule;

  /**
   * @param name how the layer was written
   * @param fn the activation
   * @param deg points per dimension, at least 1
   */
  public QuadratureDual(String name, ActivationFunction fn, int deg) {
    super(name, fn);
    this.rule = GaussHermiteRule.of(deg);
  }

  /**
   * {@inheritDoc}
   *
   * <p>{@code deg²} inner terms of {@link #FUNCTION_FLOPS} + 4 flops (the node {@code mean + s·z},
   * one activation, {@code p·f} added) and {@code deg} outer terms of 2, plus about 8 for the pair's
   * slope and scale; the derivative adds {@code deg²·(FUNCTION_FLOPS + 2) + 2·deg + 1}.
   */
  @Override
  public double flopsPerEntry(boolean withDerivative) {
    double deg = rule.size();
    double value = deg * deg * (FUNCTION_FLOPS + 4) + 2 * deg + 8;
    return value + (withDerivative ? deg * deg * (FUNCTION_FLOPS + 2) + 2 * deg + 1 : 0);
  }

  /** @return {@code 8·deg} (the weighted row values), twice with the derivative */
  @Override
  public long bytesPerPoint(boolean withDerivative) {
    return 8L * rule.size() * (withDerivative ? 2 : 1);
  }

  @Override
  public double diagonal(double kxx) {
    double a = Math.sqrt(Math.max(kxx, 0));
    return rule.expectation(z -> {
      double f = fn.value(a * z);
      return f * f;
    });
  }

  @Override
  public BoundDual bind(double[] varX, double[] varY, boolean withDerivative) {
    int n = rule.size();
    double[] z = rule.nodes();
    double[] p = rule.weights();
    double[] rowValues = new double[varX.length * n];
    double[] rowDerivs = withDerivative ? new double[varX.length * n] : null;
    for (int i = 0; i < varX.length; i++) {
      double a = Math.sqrt(Math.max(varX[i], 0));
      for (int k = 0; k < n; k++) {
        rowValues[i * n + k] = p[k] * fn.value(a * z[k]);
        if (withDerivative) {
          rowDerivs[i * n + k] = p[k] * fn.derivative(a * z[k]);
        }
      }
    }
    return (i, j0, len, nngp, ntk, off) -> {
      double kxx = Math.max(varX[i], 0);
      double a = Math.sqrt(kxx);
      for (int t = 0; t < len; t++) {
        double kyy = Math.max(varY[j0 + t], 0);
        double kxy = nngp[off + t];
        double slope = a > 0 ? kxy / a : 0;
        double s = Math.sqrt(Math.max(kyy - (a > 0 ? kxy * kxy / kxx : 0), 0));
        double value = 0;
        double deriv = 0;
        for (int k = 0; k < n; k++) {
          double fv = rowValues[i * n + k];
          double fd = withDerivative ? rowDerivs[i * n + k] : 0;
          double mean = slope * z[k];
          double inner = 0;
          double innerD = 0;
          for (int m = 0; m < n; m++) {
            double v = mean + s * z[m];
            inner += p[m] * fn.value(v);
            if (ntk != null) {
              innerD += p[m] * fn.derivative(v);
            }
          }
          value += fv * inner;
          deriv += fd * innerD;
        }
        nngp[off + t] = value;
        if (ntk != null) {
          ntk[off + t] *= deriv;
        }
      }
    };
  }
}
