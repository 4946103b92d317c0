package org.nke.cntk;

import org.nke.ir.Window;

/**
 * The separable window sums behind {@link ConvBlocks} and {@link PoolBlocks} on one pixel-pair block
 * {@code K(p, q)}, {@code p = (p_h, p_w)}, {@code q = (q_h, q_w)}:
 *
 * <pre>{@code
 * same offsets (Conv):  S(P, Q) = Σ_{a, b}        K((P_h s + a − l, P_w s + b − l'), (Q_h s + a − l, Q_w s + b − l'))
 * all pairs (AvgPool):  S(P, Q) = Σ_{a, a', b, b'} K((P_h s + a − l, P_w s + b − l'), (Q_h s + a' − l, Q_w s + b' − l'))
 * }</pre>
 *
 * with out-of-image taps contributing zero. Both sums factor over the two axes, so they run as a
 * vertical pass into a scratch block and a horizontal pass back into the block ({@code f} instead of
 * {@code f²} additions per entry for a convolution). Every output entry is a sum in a fixed order,
 * independent of how blocks are scheduled.
 */
final class WindowSum {
  /** Called once per finished output row {@code [offset, offset + length)} of the block. */
  @FunctionalInterface
  interface RowHook {
    /**
     * @param offset first entry of the row in the block
     * @param length entries in the row
     */
    void done(int offset, int length);
  }

  private WindowSum() {
  }

  /**
   * @param block on entry the {@code N × N} block of the input grid ({@code N = in.pixels()}); on exit
   *     its first {@code M × M} entries hold {@code S} on the output grid; modified
   * @param scratch at least {@code (out.height·in.width)²} entries; modified
   * @param w the window
   * @param allPairs {@code false}: the same offset for both pixels (Conv); {@code true}: all pairs of
   *     offsets (AvgPool)
   * @param hook called for each finished output row while it is still in cache (e.g. to apply the
   *     layer's affine map), or {@code null}
   */
  static void full(double[] block, double[] scratch, Window w, boolean allPairs, RowHook hook) {
    int h = w.in().height();
    int wd = w.in().width();
    int n = h * wd;
    int ho = w.out().height();
    int wo = w.out().width();
    int tc = ho * wd;
    // vertical: T((P_h, p_w), (Q_h, q_w)) = Σ_{a[, a']} K((P_h s + a − l, p_w), (Q_h s + a' − l, q_w));
    // the first valid tap assigns, so T needs no clearing
    for (int ph0 = 0; ph0 < ho; ph0++) {
      for (int qh0 = 0; qh0 < ho; qh0++) {
        boolean first = true;
        for (int a = 0; a < w.height(); a++) {
          int ph = ph0 * w.strideHeight() + a - w.padTop();
          if (ph < 0 || ph >= h) {
            continue;
          }
          for (int a2 = allPairs ? 0 : a; a2 < (allPairs ? w.height() : a + 1); a2++) {
            int qh = qh0 * w.strideHeight() + a2 - w.padTop();
            if (qh < 0 || qh >= h) {
              continue;
            }
            for (int pw = 0; pw < wd; pw++) {
              int src = (ph * wd + pw) * n + qh * wd;
              int dst = (ph0 * wd + pw) * tc + qh0 * wd;
              if (first) {
                System.arraycopy(block, src, scratch, dst, wd);
              } else {
                for (int qw = 0; qw < wd; qw++) {
                  scratch[dst + qw] += block[src + qw];
                }
              }
            }
            first = false;
          }
        }
        if (first) {
          for (int pw = 0; pw < wd; pw++) {
            int dst = (ph0 * wd + pw) * tc + qh0 * wd;
            java.util.Arrays.fill(scratch, dst, dst + wd, 0.0);
          }
        }
      }
    }
    int m = ho * wo;
    int sw = w.strideWidth();
    // horizontal: S((P_h, P_w), (Q_h, Q_w)) = Σ_{b[, b']} T((P_h, P_w s + b − l'), (Q_h, Q_w s + b' − l'))
    for (int ph0 = 0; ph0 < ho; ph0++) {
      for (int pw0 = 0; pw0 < wo; pw0++) {
        int dstRow = (ph0 * wo + pw0) * m;
        java.util.Arrays.fill(block, dstRow, dstRow + m, 0.0);
        for (int b = 0; b < w.width(); b++) {
          int pw = pw0 * sw + b - w.padLeft();
          if (pw < 0 || pw >= wd) {
            continue;
          }
          int srcRow = (ph0 * wd + pw) * tc;
          for (int b2 = allPairs ? 0 : b; b2 < (allPairs ? w.width() : b + 1); b2++) {
            int shift = b2 - w.padLeft();
            // Q_w such that 0 ≤ Q_w s + shift < W
            int lo = Math.max(0, Math.floorDiv(-shift + sw - 1, sw));
            int hi = Math.min(wo - 1, Math.floorDiv(wd - 1 - shift, sw));
            for (int qh0 = 0; qh0 < ho; qh0++) {
              int d = dstRow + qh0 * wo;
              int s = srcRow + qh0 * wd + shift;
              if (sw == 1) {
                for (int qw0 = lo; qw0 <= hi; qw0++) {
                  block[d + qw0] += scratch[s + qw0];
                }
              } else {
                for (int qw0 = lo; qw0 <= hi; qw0++) {
                  block[d + qw0] += scratch[s + qw0 * sw];
                }
              }
            }
          }
        }
        if (hook != null) {
          hook.done(dstRow, m);
        }
      }
    }
  }

  /**
   * The same-offset sum restricted to the diagonal pairs {@code (p, p)}, which only reads diagonal
   * pairs: {@code S(P, P) = Σ_{a, b} K(P s + (a, b) − l)}.
   *
   * @param diag on entry {@code K(p, p)} on the input grid; on exit {@code S(P, P)} on the output grid
   *     in its first {@code out.pixels()} entries; modified
   * @param scratch at least {@code in.pixels()} entries; modified
   * @param w the window
   */
  static void diagonal(double[] diag, double[] scratch, Window w) {
    int h = w.in().height();
    int wd = w.in().width();
    System.arraycopy(diag, 0, scratch, 0, h * wd);
    int ho = w.out().height();
    int wo = w.out().width();
    for (int ph0 = 0; ph0 < ho; ph0++) {
      for (int pw0 = 0; pw0 < wo; pw0++) {
        double s = 0;
        for (int a = 0; a < w.height(); a++) {
          int ph = ph0 * w.strideHeight() + a - w.padTop();
          if (ph < 0 || ph >= h) {
            continue;
          }
          for (int b = 0; b < w.width(); b++) {
            int pw = pw0 * w.strideWidth() + b - w.padLeft();
            if (pw >= 0 && pw < wd) {
              s += scratch[ph * wd + pw];
            }
          }
        }
        diag[ph0 * wo + pw0] = s;
      }
    }
  }
}
