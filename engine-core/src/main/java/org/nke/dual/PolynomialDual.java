package org.nke.dual;

import java.util.Arrays;
import java.util.Optional;
import org.nke.hermite.HermitePolynomials;

/**
 * Dual of a polynomial {@code φ(x) = Σ_j p_j x^j} (stax {@code Polynomial}; {@code Monomial(n)} and
 * {@code Hermite(n)} are special cases). The Hermite coefficients of {@code φ} at scale
 * {@code a = √k} are {@code c_l(a) = a^l r_l(k)} with
 *
 * <pre>{@code r_l(k) = Σ_i p_{2i+l} (2i+l)! / (2^i i! √(l!)) · k^i}</pre>
 *
 * (from {@code x^n = Σ_l n!/(2^i i! l!) He_l(x)}, {@code n = 2i + l}), so by Mehler's formula the
 * dual is the finite sum
 *
 * <pre>{@code
 * K' = Σ_l r_l(k_xx) r_l(k_yy) k_xy^l
 * K̇  = Σ_{l≥1} l r_l(k_xx) r_l(k_yy) k_xy^{l−1}
 * }</pre>
 *
 * exact for all variances and free of divisions. For {@code Monomial(n)} this reproduces stax's
 * closed forms (e.g. {@code n = 2}: {@code K' = k_xx k_yy + 2k_xy²}) for every {@code n}, not only
 * {@code n ≤ 5}. Unlike stax's {@code Hermite} layer, which assumes unit-variance inputs and returns
 * {@code k_xy^n}, {@code Hermite(n)} here is the exact dual of {@code h_n = He_n/√(n!)} at any variance;
 * the two agree when {@code k_xx = k_yy = 1}.
 */
public final class PolynomialDual extends ClosedFormDual {
  private final double[] coef;
  private final String name;
  /** {@code r[l][i]}: coefficient of {@code k^i} in {@code r_l(k)}. */
  private final double[][] r;

  /**
   * @param coef the monomial coefficients {@code p_0 … p_n}, not modified
   * @param name how the layer was written
   */
  public PolynomialDual(double[] coef, String name) {
    this.coef = coef.clone();
    this.name = name;
    int degree = coef.length - 1;
    this.r = new double[Math.max(degree + 1, 0)][];
    for (int l = 0; l <= degree; l++) {
      int terms = (degree - l) / 2 + 1;
      r[l] = new double[terms];
      // f(0, l) = √(l!);  f(i+1, l) = f(i, l) (2i+l+1)(2i+l+2) / (2(i+1))
      double f = 1;
      for (int j = 2; j <= l; j++) {
        f *= Math.sqrt(j);
      }
      for (int i = 0; i < terms; i++) {
        r[l][i] = coef[2 * i + l] * f;
        f *= (2.0 * i + l + 1) * (2.0 * i + l + 2) / (2.0 * (i + 1));
      }
    }
  }

  /**
   * @param coef {@code p_0 … p_n}
   * @return the dual of {@code Σ p_j x^j}
   */
  public static PolynomialDual of(double[] coef) {
    return new PolynomialDual(coef, "Polynomial(coef=" + Arrays.toString(coef) + ")");
  }

  /**
   * @param degree the power, at least 0
   * @return the dual of {@code x^degree}
   */
  public static PolynomialDual monomial(int degree) {
    double[] c = new double[degree + 1];
    c[degree] = 1;
    return new PolynomialDual(c, "Monomial(degree=" + degree + ")");
  }

  /**
   * @param degree the degree, 0 to 60
   * @return the dual of the normalised Hermite polynomial {@code h_degree}
   */
  public static PolynomialDual hermite(int degree) {
    return new PolynomialDual(HermitePolynomials.monomialCoefficients(degree),
        "Hermite(degree=" + degree + ")");
  }

  private double rl(int l, double k) {
    double[] c = r[l];
    double s = 0;
    for (int i = c.length - 1; i >= 0; i--) {
      s = s * k + c[i];
    }
    return s;
  }

  @Override
  protected void evaluate(double kxx, double kyy, double kxy, double[] out) {
    double value = 0;
    double deriv = 0;
    // Horner in k_xy, highest degree first: K' = Σ_l T_l k_xy^l, K̇ = Σ_{l≥1} l T_l k_xy^{l−1}.
    for (int l = r.length - 1; l >= 0; l--) {
      double term = rl(l, kxx) * rl(l, kyy);
      value = value * kxy + term;
      if (l >= 1) {
        deriv = deriv * kxy + l * term;
      }
    }
    out[VALUE] = value;
    out[DERIVATIVE] = deriv;
  }

  /** @return the degree {@code n} of the polynomial (the highest {@code l} of {@code r_l}) */
  public int degree() {
    return r.length - 1;
  }

  /**
   * The per-point factors of the Hermite coefficients, {@code r_l(k)} for {@code l = 0 … n}, so that
   * {@code K' = Σ_l r_l(k_xx) r_l(k_yy) k_xy^l} (computed exactly as {@link #evaluate} does).
   *
   * @param k a point's variance
   * @return {@code r_0(k) … r_n(k)}, a new array
   */
  public double[] scaledCoefficients(double k) {
    double[] out = new double[r.length];
    for (int l = 0; l < r.length; l++) {
      out[l] = rl(l, k);
    }
    return out;
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
        double s = 0;
        for (int j = coef.length - 1; j >= 0; j--) {
          s = s * x + coef[j];
        }
        return s;
      }

      @Override
      public double derivative(double x) {
        double s = 0;
        for (int j = coef.length - 1; j >= 1; j--) {
          s = s * x + j * coef[j];
        }
        return s;
      }
    });
  }
}
