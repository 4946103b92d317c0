package org.nke.cntk;

import java.util.ArrayDeque;
import java.util.Deque;
import org.nke.ir.PixelStep;
import org.nke.ir.PixelStep.Branch;
import org.nke.ir.PixelStep.EndFork;
import org.nke.ir.PixelStep.Fork;
import org.nke.ir.PixelStep.Merge;

/**
 * The fan-out frames of a host self recursion ({@link PixelVariances}) on one image's blocks, as
 * {@code PairPipeline} keeps them for a batch: a {@link Fork} keeps the current {@code (K, Θ)} as
 * its input, a {@link Branch} starts from a copy of it (the last branch from the input itself), a
 * {@link Merge} makes branch 0 the accumulator and merges the others into it
 * ({@link BlockJoin#accumulate}), an {@link EndFork} makes the accumulator current.
 */
final class ForkFrames {
  /** Per open fan-out: {input K, input Θ, accumulator K, accumulator Θ}. */
  private final Deque<double[][]> frames = new ArrayDeque<>();
  private final boolean perPixel;

  /**
   * @param perPixel whether the blocks hold one entry per pixel (the approximate recursion's
   *     diagonals) rather than the carried pixel pairs
   */
  ForkFrames(boolean perPixel) {
    this.perPixel = perPixel;
  }

  /**
   * @param step a step
   * @param k the current NNGP block (modified by a merge)
   * @param t the current NTK block, or {@code null}
   * @return the current {@code {K, Θ}} after {@code step}, or {@code null} when it is not a fork
   *     step
   */
  double[][] run(PixelStep step, double[] k, double[] t) {
    if (step instanceof Fork) {
      frames.push(new double[][] {k, t, null, null});
    } else if (step instanceof Branch b) {
      double[][] f = frames.peek();
      return new double[][] {b.last() ? f[0] : f[0].clone(),
          b.last() || f[1] == null ? f[1] : f[1].clone()};
    } else if (step instanceof Merge m) {
      double[][] f = frames.peek();
      if (m.branch() == 0) {
        f[2] = k;
        f[3] = t;
      } else {
        int entries = perPixel ? m.grid().pixels() : (int) m.grid().blockEntries(m.diagonal());
        BlockJoin.accumulate(f[2], f[3], k, t, entries, m.join());
      }
    } else if (step instanceof EndFork) {
      double[][] f = frames.pop();
      return new double[][] {f[2], f[3]};
    } else {
      return null;
    }
    return new double[][] {k, t};
  }
}
