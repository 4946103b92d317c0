package org.nke.cntk;

import org.nke.dual.BoundDual;

/**
 * An activation on one image pair's pixel-pair block: every carried pair {@code (p, q)} maps as in
 * the dense case, {@code K ← E[φ(u)φ(v)]}, {@code Θ ← Θ·E[φ'(u)φ'(v)]}, with
 * {@code (u, v) ~ N(0, [[K_xx(p, p), K(p, q)], [K(p, q), K_yy(q, q)]])}: the variances are those of
 * pixel {@code p} of the row image and pixel {@code q} of the column image, from each image's own
 * diagonal recursion. The dual must be bound to those per-pixel variances
 * ({@link org.nke.dual.DualActivation#bind}).
 */
public final class PixelDual {
  private PixelDual() {
  }

  /**
   * @param bound the dual bound to pixel variances that include the row image's (from index
   *     {@code rowBase}) and the column image's (from {@code colBase})
   * @param rowBase index of the row image's pixel 0 among the bound row points
   * @param colBase index of the column image's pixel 0 among the bound column points
   * @param nngp the block; modified
   * @param ntk {@code Θ} or {@code null}; modified
   * @param pixels {@code H·W}
   * @param diagonal whether only the diagonal pairs are carried
   */
  public static void apply(BoundDual bound, int rowBase, int colBase, double[] nngp, double[] ntk,
      int pixels, boolean diagonal) {
    if (diagonal) {
      for (int p = 0; p < pixels; p++) {
        bound.applyRow(rowBase + p, colBase + p, 1, nngp, ntk, p);
      }
    } else {
      for (int p = 0; p < pixels; p++) {
        bound.applyRow(rowBase + p, colBase, pixels, nngp, ntk, p * pixels);
      }
    }
  }
}
