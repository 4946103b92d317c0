package org.nke.hermite;

/**
 * Normalised Hermite coefficients of an activation at any scale, as the sketches need them:
 * {@code c_k(a)} of {@code φ} and {@code c'_k(a)} of {@code φ'}, truncated at degree {@code q} either
 * plainly or <em>folded</em>: the tail beyond {@code q} is moved onto the two top degrees with their
 * parity,
 *
 * <pre>{@code c̃_j = sign(c_j) √(c_j² + Σ_{k>q, k≡j (mod 2)} c_k²),   j ∈ {q−1, q}}</pre>
 *
 * so that the truncated dual {@code Σ_{k≤q} c̃_k(a)² ρ^k} is exact at {@code ρ = ±1} for equal scales
 * (the kernel diagonal), which is where a plain truncation of slowly converging series (ReLU-like
 * derivatives, large-scale Erf) errs most. The tails come from the exact moments
 * {@code E[φ(az)²]} and {@code E[φ(az) φ(−az)]}.
 */
public interface HermiteSource {
  /** Relative size below which a folded tail is rounding noise. */
  double NEGLIGIBLE_TAIL = 1e-13;

  /**
   * @param scale the pre-activation standard deviation {@code a ≥ 0}
   * @param q the degree
   * @param derivative coefficients of {@code φ'} instead of {@code φ}
   * @param fold whether to fold the tail onto degrees {@code q−1, q}
   * @return {@code c_0 … c_q}
   */
  double[] coefficients(double scale, int q, boolean derivative, boolean fold);

  /**
   * The coefficients of {@code φ} and of {@code φ'} at one scale, as the NTK sketch needs them for
   * every point: equal to {@code {coefficients(scale, q, false, fold), coefficients(scale, q, true,
   * fold)}} bit for bit; a source may share work between the two (the quadrature nodes, the Hermite
   * values, the activation's special functions).
   *
   * @param scale the pre-activation standard deviation {@code a ≥ 0}
   * @param q the degree
   * @param fold whether to fold the tails onto degrees {@code q−1, q}
   * @return {@code {c_0 … c_q of φ, c_0 … c_q of φ'}}
   */
  default double[][] coefficientsWithDerivative(double scale, int q, boolean fold) {
    return new double[][] {coefficients(scale, q, false, fold), coefficients(scale, q, true, fold)};
  }

  /**
   * Folds a tail onto the top two degrees. A tail within rounding of its parity's total
   * ({@code ≤ 1e−13} of it) is taken as zero: it is the difference of two nearly equal sums, pure
   * rounding noise there, and its square root ({@code ~1e−8} relative) would move the coefficient —
   * and the features — by far more than the kernel it corrects ({@code ≤ 1e−13} relative).
   *
   * @param c plain coefficients {@code c_0 … c_q}; modified
   * @param even {@code Σ_{all even k} c_k²} of the full series
   * @param odd {@code Σ_{all odd k} c_k²} of the full series
   */
  static void fold(double[] c, double even, double odd) {
    int q = c.length - 1;
    double partialEven = 0;
    double partialOdd = 0;
    for (int k = 0; k <= q; k++) {
      if (k % 2 == 0) {
        partialEven += c[k] * c[k];
      } else {
        partialOdd += c[k] * c[k];
      }
    }
    for (int j = Math.max(0, q - 1); j <= q; j++) {
      double total = j % 2 == 0 ? even : odd;
      double tail = total - (j % 2 == 0 ? partialEven : partialOdd);
      if (!(tail > NEGLIGIBLE_TAIL * total)) {
        tail = 0;
      }
      c[j] = (c[j] < 0 ? -1 : 1) * Math.sqrt(c[j] * c[j] + tail);
    }
  }
}
