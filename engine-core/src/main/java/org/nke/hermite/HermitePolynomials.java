package org.nke.hermite;

/**
 * Normalised probabilists' Hermite polynomials {@code h_k = He_k / √(k!)}, orthonormal under the
 * standard normal: {@code E[h_j(z) h_k(z)] = δ_jk}.
 *
 * <p>Evaluated by the recurrence {@code h_{k+1}(z) = (z h_k(z) − √k h_{k−1}(z)) / √(k+1)},
 * {@code h_0 = 1}, {@code h_1 = z} (DLMF 18.9.1 with the normalisation folded in), which neither
 * overflows nor loses accuracy for large {@code k} the way the monic recurrence does.
 */
public final class HermitePolynomials {
  private HermitePolynomials() {
  }

  /**
   * Evaluates {@code h_0(z) … h_q(z)}.
   *
   * @param z the argument
   * @param q the highest degree, at least 0
   * @param out receives {@code h_k(z)} at {@code out[k]}, length at least {@code q + 1}; modified
   */
  public static void evaluate(double z, int q, double[] out) {
    out[0] = 1.0;
    if (q == 0) {
      return;
    }
    out[1] = z;
    for (int k = 1; k < q; k++) {
      // h_{k+1} = (z h_k − √k h_{k−1}) / √(k+1)
      out[k + 1] = (z * out[k] - Math.sqrt(k) * out[k - 1]) / Math.sqrt(k + 1.0);
    }
  }

  /**
   * @param k the degree, at least 0
   * @param z the argument
   * @return {@code h_k(z)}
   */
  public static double value(int k, double z) {
    double[] h = new double[k + 1];
    evaluate(z, k, h);
    return h[k];
  }

  /**
   * Monomial coefficients of {@code h_k}: {@code h_k(x) = Σ_j a_j x^j} with
   * {@code He_k(x) = Σ_m (−1)^m k! / (m! (k−2m)! 2^m) x^{k−2m}} (DLMF 18.5.13).
   *
   * @param k the degree, 0 to 60 (beyond that the monomial form is numerically useless)
   * @return {@code a_0 … a_k}
   */
  public static double[] monomialCoefficients(int k) {
    if (k < 0 || k > 60) {
      throw new IllegalArgumentException("Hermite degree must be in [0, 60], got " + k);
    }
    double[] a = new double[k + 1];
    // term for m = 0 is 1 / √(k!) · x^k; successive terms: t_{m+1} = −t_m (k−2m)(k−2m−1) / (2 (m+1))
    double t = 1.0;
    for (int j = 2; j <= k; j++) {
      t /= Math.sqrt(j);
    }
    for (int m = 0; 2 * m <= k; m++) {
      a[k - 2 * m] = t;
      t = -t * (k - 2 * m) * (k - 2 * m - 1) / (2.0 * (m + 1));
    }
    return a;
  }
}
