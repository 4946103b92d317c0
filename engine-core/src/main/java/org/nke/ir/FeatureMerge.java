package org.nke.ir;

/**
 * A fan-in's sketch rule for one branch, compiled at plan time: merges the features of branch
 * {@code i ≥ 1} into those of branches {@code 0 … i−1} (the feature form of the {@code Join} the exact
 * rule accumulates with).
 */
public interface FeatureMerge {
  /**
   * @param accumulator the merged branches' features, not modified
   * @param branch the finished branch's features, not modified
   * @return the merged features (the variance is replaced by the caller)
   */
  PointFeatures merge(PointFeatures accumulator, PointFeatures branch);

  /** @return the width of the merged {@code Φ_K} */
  int nngpDim();

  /** @return the width of the merged {@code Φ_Θ} (0 for NNGP-only) */
  int ntkDim();
}
