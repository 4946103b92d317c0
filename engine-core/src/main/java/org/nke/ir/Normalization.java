package org.nke.ir;

/**
 * The per-point scales of {@link Backend#normalize}: entry {@code (i, j)} of K and Θ is divided by
 * {@code √(scaleX[i] · scaleY[j])} (LayerNorm, with {@code scale = K(x, x) + eps}; neural-tangents
 * {@code stax.LayerNorm}). Computed in float64 and rounded once to the block's precision; the diagonal
 * recursion uses {@link #divide} on the same values, so a symmetric block's diagonal equals it bit for
 * bit.
 *
 * @param scaleX one scale per row point, positive, not modified
 * @param scaleY one scale per column point (may be {@code scaleX})
 */
public record Normalization(double[] scaleX, double[] scaleY) {
  /** Flops of {@link #divide} on one entry: a product, a square root and a division. */
  public static final int FLOPS = 3;

  /**
   * @param value an entry
   * @param sx its row point's scale
   * @param sy its column point's scale
   * @return {@code value / √(sx · sy)}
   */
  public static double divide(double value, double sx, double sy) {
    return value / Math.sqrt(sx * sy);
  }
}
