package org.nke.cntk;

import org.nke.ir.PixelStep.Pooling;
import org.nke.ir.Window;

/**
 * The kernel map of average pooling on one image pair's pixel-pair block (stax {@code AvgPool} with
 * its default {@code normalize_edges=False}, {@code _pool_kernel}): the covariance of two window
 * means is the mean of the covariances over all pairs of pixels of the two windows,
 *
 * <pre>{@code K'(P, Q) = Σ_{p ∈ P, q ∈ Q} K(p, q) / (f_h f_w)²}</pre>
 *
 * the same for {@code Θ}. Under SAME padding the out-of-image pixels count as zeros and the divisor
 * stays {@code (f_h f_w)²}, as in stax. Needs all pixel pairs of its input.
 */
public final class PoolBlocks {
  private PoolBlocks() {
  }

  /**
   * @param nngp {@code K} on the input grid; on exit {@code K'} on the output grid; modified
   * @param ntk {@code Θ}, or {@code null}; modified
   * @param scratch working space of at least the input block's entries; modified
   * @param step the pooling
   */
  public static void apply(double[] nngp, double[] ntk, double[] scratch, Pooling step) {
    Window w = step.window();
    double scale = 1.0 / ((double) w.size() * w.size());
    for (double[] block : ntk == null ? new double[][] {nngp} : new double[][] {nngp, ntk}) {
      WindowSum.full(block, scratch, w, true, (from, len) -> {
        for (int e = from; e < from + len; e++) {
          block[e] *= scale;
        }
      });
    }
  }
}
