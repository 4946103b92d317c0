package org.nke.dual;

/**
 * A dual activation bound to the row and column points of a kernel block (see
 * {@link DualActivation#bind}). Thread-safe: rows may be processed concurrently.
 */
public interface BoundDual {
  /**
   * Applies the dual map to entries {@code (i, j0) … (i, j0 + len − 1)} in place:
   * {@code nngp ← E[φ(u)φ(v)]} and, when {@code ntk} is not {@code null},
   * {@code ntk ← ntk · E[φ'(u)φ'(v)]}, with the variances of row point {@code i} and column points
   * {@code j0 + t}.
   *
   * @param i row point index
   * @param j0 first column point index
   * @param len number of entries
   * @param nngp covariances on entry, activation covariances on exit; modified
   * @param ntk tangent kernel entries or {@code null}; modified
   * @param off index of entry {@code (i, j0)} in {@code nngp} and {@code ntk}
   */
  void applyRow(int i, int j0, int len, double[] nngp, double[] ntk, int off);

  /**
   * The same map for a block that carries the angle {@code θ} of every pair (see
   * {@link org.nke.dual.ArcCosineAngle}): {@code θ} is read instead of being recomputed from the
   * rounded {@code ρ}, and replaced by the angle of the outputs. Only bindings of duals with
   * {@link DualActivation#carriesAngles()} implement it.
   *
   * @param i row point index
   * @param j0 first column point index
   * @param len number of entries
   * @param nngp covariances on entry, activation covariances on exit; modified
   * @param ntk tangent kernel entries or {@code null}; modified
   * @param angle the pairs' angles in {@code [0, π]} on entry, the outputs' on exit; modified
   * @param off index of entry {@code (i, j0)} in the three arrays
   * @throws UnsupportedOperationException if the dual does not carry angles
   */
  default void applyRow(int i, int j0, int len, double[] nngp, double[] ntk, double[] angle,
      int off) {
    throw new UnsupportedOperationException("this dual does not carry pair angles");
  }

  /**
   * @return a bound on {@code |error| / √(K'_xx K'_yy)} of the entries this binding computes: 0 for
   *     closed forms (rounding only), the truncation bound for series duals
   */
  default double errorBound() {
    return 0;
  }

  /**
   * @return the per-point coefficient tables when this binding evaluates a Hermite series (see
   *     {@link SeriesTables}), else empty
   */
  default java.util.Optional<SeriesTables> seriesTables() {
    return java.util.Optional.empty();
  }
}
