package org.nke.hermite;

import org.nke.dual.ActivationFunction;

/**
 * Normalised Hermite coefficients of an activation at any input scale:
 *
 * <pre>{@code c_k(a) = E_z[φ(a z) h_k(z)],   c'_k(a) = E_z[φ'(a z) h_k(z)],   z ~ N(0, 1)}</pre>
 *
 * so that, by Mehler's formula, for {@code u = a z₁}, {@code v = b (ρ z₁ + √(1−ρ²) z₂)}
 *
 * <pre>{@code E[φ(u) φ(v)] = Σ_k c_k(a) c_k(b) ρ^k,   E[φ'(u) φ'(v)] = Σ_k c'_k(a) c'_k(b) ρ^k.}</pre>
 *
 * <p>Because each point uses the coefficients at its own scale {@code a = √k_xx}, inputs need not lie
 * on the unit sphere (Han et al. 2022, §3; {@code shared/spec/maths.md}). The coefficients come from
 * an {@code N}-point {@link GaussHermiteRule} with {@code N = 4q + 40} (measured on Tanh at variance
 * 14.9, the NTK entry of a pair at 0.4% of its scale: 1.8e−10 relative with {@code N = 2q + 40},
 * 4e−13 with {@code 3q + 40}, 2e−14 with {@code 4q + 40}: the sharper {@code φ(a z)}, the more nodes
 * the high-degree projections need); the table
 * {@code √p_i h_k(z_i)} is evaluated by the normalised recurrence with {@code √p_i} folded into
 * {@code h_0}, so it stays bounded for large {@code k} and {@code z_i}.
 *
 * <p>Immutable and thread-safe once built.
 */
public final class HermiteExpansion {
  /** Highest degree an expansion may be built for. */
  public static final int MAX_DEGREE = 600;
  /** Relative size below which a node's weighted value is skipped in the projection: 2⁻⁷⁰. */
  static final double NEGLIGIBLE = 0x1p-70;

  private final ActivationFunction fn;
  private final int maxDegree;
  private final double[] nodes;
  private final double[] weights;
  private final double[] sqrtWeights;
  /** {@code table[i * (maxDegree + 1) + k] = √p_i h_k(z_i)}. */
  private final double[] table;

  private HermiteExpansion(ActivationFunction fn, int maxDegree) {
    this.fn = fn;
    this.maxDegree = maxDegree;
    GaussHermiteRule rule = GaussHermiteRule.of(4 * maxDegree + 40);
    int n = rule.size();
    this.nodes = rule.nodes();
    this.weights = rule.weights();
    this.sqrtWeights = new double[n];
    this.table = new double[n * (maxDegree + 1)];
    double[] h = new double[maxDegree + 1];
    double[] root = new double[maxDegree + 2];
    for (int k = 0; k < root.length; k++) {
      root[k] = Math.sqrt(k);
    }
    for (int i = 0; i < n; i++) {
      sqrtWeights[i] = Math.sqrt(weights[i]);
      h[0] = sqrtWeights[i];
      if (maxDegree > 0) {
        h[1] = nodes[i] * h[0];
      }
      for (int k = 1; k < maxDegree; k++) {
        // h_{k+1} = (z h_k − √k h_{k−1}) / √(k+1), all scaled by √p_i
        h[k + 1] = (nodes[i] * h[k] - root[k] * h[k - 1]) / root[k + 1];
      }
      System.arraycopy(h, 0, table, i * (maxDegree + 1), maxDegree + 1);
    }
  }

  /**
   * Builds the expansion machinery of {@code fn} up to degree {@code maxDegree}.
   *
   * @param fn the activation, not modified
   * @param maxDegree highest degree, 0 to {@link #MAX_DEGREE}
   * @return the expansion
   */
  public static HermiteExpansion of(ActivationFunction fn, int maxDegree) {
    if (maxDegree < 0 || maxDegree > MAX_DEGREE) {
      throw new IllegalArgumentException("Hermite degree must be in [0, " + MAX_DEGREE + "], got "
          + maxDegree);
    }
    return new HermiteExpansion(fn, maxDegree);
  }

  /** @return the highest degree available */
  public int maxDegree() {
    return maxDegree;
  }

  /** @return the activation */
  public ActivationFunction function() {
    return fn;
  }

  /**
   * @param scale the standard deviation {@code a ≥ 0} of the pre-activation
   * @return {@code c_0(a) … c_q(a)} with {@code q = maxDegree()}
   */
  public double[] coefficients(double scale) {
    return project(scale, false);
  }

  /**
   * @param scale the standard deviation {@code a ≥ 0} of the pre-activation
   * @return {@code c'_0(a) … c'_q(a)}, the coefficients of {@code φ'}
   */
  public double[] derivativeCoefficients(double scale) {
    return project(scale, true);
  }

  /**
   * @param scale the standard deviation {@code a ≥ 0}
   * @return {@code E[φ(a z)²] = Σ_k c_k(a)²} (all degrees, by {@link #moment})
   */
  public double secondMoment(double scale) {
    return moment(scale, false);
  }

  /**
   * @param scale the standard deviation {@code a ≥ 0}
   * @return {@code E[φ'(a z)²]}
   */
  public double derivativeSecondMoment(double scale) {
    return moment(scale, true);
  }

  private double moment(double scale, boolean derivative) {
    return moment(fn, scale, derivative);
  }

  /**
   * The exact second moments of the diagonal recursion, {@code E[φ(a z)²]} or {@code E[φ'(a z)²]},
   * by {@link AdaptiveNormalExpectation} to its default relative tolerance (1e−13). Every caller
   * (the diagonal recursion, the diagonal entries of a kernel block, the series tail test) uses this
   * one function, so they agree bit for bit.
   *
   * @param fn the activation
   * @param scale the standard deviation {@code a ≥ 0}
   * @param derivative {@code φ'} instead of {@code φ}
   * @return the moment
   */
  public static double moment(ActivationFunction fn, double scale, boolean derivative) {
    return AdaptiveNormalExpectation.of(z -> {
      double f = derivative ? fn.derivative(scale * z) : fn.value(scale * z);
      return f * f;
    }, scale > 0 ? 1 / scale : 1);
  }

  /**
   * {@code c_k = Σ_i √p_i φ(a z_i) · √p_i h_k(z_i)}. A node whose weighted value {@code √p_i φ(a z_i)}
   * is below {@link #NEGLIGIBLE} times the largest one is skipped: the normalised Hermite functions
   * {@code √p_i h_k(z_i)} are bounded by 1, so the skipped nodes change no coefficient by more than
   * {@code N · 2⁻⁷⁰ ≈ 2e−18} of the largest weighted value, below the rounding of the sum; with the
   * rule's {@code 4q + 40} nodes most lie far in the tails, where {@code √p_i} is tiny, so this skips
   * the bulk of the {@code O(N q)} work for bounded activations.
   */
  private double[] project(double scale, boolean derivative) {
    int stride = maxDegree + 1;
    int n = nodes.length;
    double[] g = new double[n];
    double largest = 0;
    for (int i = 0; i < n; i++) {
      if (sqrtWeights[i] == 0) {
        continue;
      }
      double f = derivative ? fn.derivative(scale * nodes[i]) : fn.value(scale * nodes[i]);
      g[i] = sqrtWeights[i] * f;
      largest = Math.max(largest, Math.abs(g[i]));
    }
    double floor = largest * NEGLIGIBLE;
    double[] c = new double[stride];
    for (int i = 0; i < n; i++) {
      // a NaN value keeps every node (and its NaN reaches the coefficients, as before)
      if (!(Math.abs(g[i]) > floor) && !Double.isNaN(g[i]) && !Double.isNaN(largest)) {
        continue;
      }
      double gi = g[i];
      int base = i * stride;
      for (int k = 0; k < stride; k++) {
        c[k] += gi * table[base + k];
      }
    }
    return c;
  }

  /**
   * The smallest degree whose truncation keeps the relative {@code L²} tail below {@code relTol}:
   * {@code Σ_{k>q} c_k² ≤ relTol² · Σ_k c_k²}, with the full sum from {@link #secondMoment}.
   *
   * @param coefficients {@code c_0 … c_maxDegree}, not modified
   * @param secondMoment {@code E[φ²]} at the same scale
   * @param relTol the relative tail tolerance, positive
   * @return the degree, or {@code -1} if even {@code maxDegree} does not reach the tolerance
   */
  public static int truncationDegree(double[] coefficients, double secondMoment, double relTol) {
    double budget = relTol * relTol * secondMoment;
    double partial = 0;
    for (int q = 0; q < coefficients.length; q++) {
      partial += coefficients[q] * coefficients[q];
      if (secondMoment - partial <= budget) {
        return q;
      }
    }
    return -1;
  }
}
