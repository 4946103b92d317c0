package org.nke.cntk;

import org.nke.ir.Join;
import org.nke.ir.Normalization;

/**
 * The fan-in merge and the LayerNorm scaling on one pixel-pair block (neural-tangents
 * {@code stax/branching.py} and {@code stax.LayerNorm}), the host implementation that the CPU backend
 * runs per slot and the host self recursion ({@link PixelVariances}) runs on its one block:
 *
 * <pre>{@code
 * accumulate:  Θ_t(e) ← join.ntk(Θ_t(e), Θ_s(e), K_t(e), K_s(e)),   K_t(e) ← join.nngp(K_t(e), K_s(e))
 * normalize:   K(p, q) ← K(p, q) / √(s_x(p)·s_y(q)),   the same for Θ
 * }</pre>
 *
 * entry by entry in index order ({@link Join}, {@link Normalization}), so that every caller agrees
 * bit for bit.
 */
public final class BlockJoin {
  private BlockJoin() {
  }

  /**
   * @param tk the accumulator's NNGP block; modified
   * @param tt the accumulator's NTK block, or {@code null}; modified
   * @param sk the branch's NNGP block, not modified
   * @param st the branch's NTK block ({@code null} when {@code tt} is), not modified
   * @param entries the entries in use
   * @param join the merge rule
   */
  public static void accumulate(double[] tk, double[] tt, double[] sk, double[] st, int entries,
      Join join) {
    for (int e = 0; e < entries; e++) {
      if (tt != null) {
        tt[e] = join.ntk(tt[e], st[e], tk[e], sk[e]);
      }
      tk[e] = join.nngp(tk[e], sk[e]);
    }
  }

  /**
   * @param m a block of {@code n} pixels (diagonal pairs, or all {@code n²}); modified
   * @param n the pixels
   * @param diagonal whether the block holds only the diagonal pairs
   * @param rowScales the row image's scales {@code s_x}, read from {@code r}, not modified
   * @param r offset of the row image's scales
   * @param colScales the column image's scales {@code s_y}, read from {@code c}, not modified
   * @param c offset of the column image's scales
   */
  public static void normalize(double[] m, int n, boolean diagonal, double[] rowScales, int r,
      double[] colScales, int c) {
    for (int p = 0; p < n; p++) {
      if (diagonal) {
        m[p] = Normalization.divide(m[p], rowScales[r + p], colScales[c + p]);
      } else {
        for (int q = 0; q < n; q++) {
          m[p * n + q] = Normalization.divide(m[p * n + q], rowScales[r + p], colScales[c + q]);
        }
      }
    }
  }
}
