package org.nke.ir;

/**
 * A layer's sketch rule compiled at plan time, with all its random draws: maps one point's features
 * through the layer. The point's variance is the layer's diagonal rule's business
 * ({@code org.nke.exact.FeatureProgram} updates it), so a map only reads it.
 */
public interface FeatureMap {
  /**
   * @param in the point's features and variance before the layer, not modified
   * @return its features after the layer (the variance is replaced by the caller)
   */
  PointFeatures apply(PointFeatures in);

  /** @return the width of the outgoing {@code Φ_K} */
  int nngpDim();

  /** @return the width of the outgoing {@code Φ_Θ} (0 for NNGP-only) */
  int ntkDim();
}
