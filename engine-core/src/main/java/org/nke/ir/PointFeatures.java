package org.nke.ir;

/**
 * One point's sketch features between two layers (the per-point state of {@code org.nke.exact.FeatureProgram}):
 * NNGP features {@code Φ_K} ({@code ⟨Φ_K(x), Φ_K(y)⟩ ≈ K(x, y)}), NTK features {@code Φ_Θ} and the
 * point's exact variance {@code k = K(x, x)} from the diagonal recursion. Arrays are never modified
 * once made, so branches may share them.
 *
 * @param nngp {@code Φ_K}
 * @param ntk {@code Φ_Θ}, or {@code null} for an NNGP-only sketch
 * @param variance the exact {@code K(x, x)} before the next layer
 */
public record PointFeatures(double[] nngp, double[] ntk, double variance) {
  /**
   * @param v the variance after a layer
   * @return these features with it
   */
  public PointFeatures withVariance(double v) {
    return new PointFeatures(nngp, ntk, v);
  }
}
