package org.nke.hermite;

/**
 * Hermite coefficients of a homogeneous dual given by a power series in the correlation,
 * {@code K(x, y) = √(k_xx k_yy) Σ_k β_k ρ^k} with {@code β_k ≥ 0} and derivative dual
 * {@code K̇ = Σ_k β'_k ρ^k}: then {@code c_k(a) = a √β_k} and {@code c'_k(a) = √β'_k}. Used for
 * {@code ExpNormalized}, whose dual {@code s·e^{γ(ρ + shift)}} has {@code β_k = e^{γ·shift} γ^k / k!} and
 * {@code β'_k = γ β_k}.
 */
public final class SeriesHermiteSource implements HermiteSource {
  private final double gamma;
  private final double shift;

  /**
   * @param gamma {@code γ}
   * @param shift the shift
   */
  public SeriesHermiteSource(double gamma, double shift) {
    this.gamma = gamma;
    this.shift = shift;
  }

  @Override
  public double[] coefficients(double scale, int q, boolean derivative, boolean fold) {
    double[] c = new double[q + 1];
    double beta = Math.exp(gamma * shift);
    double lead = derivative ? Math.sqrt(gamma) : Math.max(scale, 0);
    for (int k = 0; k <= q; k++) {
      c[k] = lead * Math.sqrt(beta);
      beta *= gamma / (k + 1);
    }
    if (fold) {
      // Σ_k β_k = e^{γ(1+shift)}, Σ_k (−1)^k β_k = e^{γ(shift−1)}
      double plus = Math.exp(gamma * (1 + shift));
      double minus = Math.exp(gamma * (shift - 1));
      double l2 = lead * lead;
      HermiteSource.fold(c, l2 * 0.5 * (plus + minus), l2 * 0.5 * (plus - minus));
    }
    return c;
  }
}
