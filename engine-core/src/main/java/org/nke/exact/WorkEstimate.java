package org.nke.exact;

import java.util.Locale;
import org.nke.error.ResourceLimitException;

/**
 * The up-front work and memory of an exact kernel computation, folded from the layers' cost and
 * memory rules before anything runs (dense: {@link LayerKernel#pairFlops}, {@link LayerKernel#pointBytes}
 * through {@link DenseNetwork#pairFlops}; images: the {@code org.nke.ir.PixelStep} records' rules
 * through {@code org.nke.cntk.CntkNetwork#estimate}). Flops are counts of the documented formulas
 * (a multiply-add is two), not a prediction of time: the time per flop differs by a large factor
 * between layers, backends and machines, and the measured {@code org.nke.cntk.CostEstimate} reports
 * time once a run has started.
 *
 * @param flopsPerPair floating-point operations per pair of points (or images)
 * @param pairs pairs computed: {@code n(n+1)/2} for {@code Y = X} (the diagonal included), else
 *     {@code n·m} (for images also the {@code n + m} self pairs of the diagonal recursion)
 * @param outputBytes the result matrices, and what is kept per point for the whole computation
 * @param workingBytes the working set besides the output at its peak (blocks of fan-out levels,
 *     pair slots, per-point tables)
 */
public record WorkEstimate(double flopsPerPair, long pairs, long outputBytes, long workingBytes) {
  /**
   * @param n row points
   * @param m column points
   * @param same whether {@code Y = X} (only one triangle and the diagonal are computed)
   * @return the pairs an exact kernel computes: {@code n(n+1)/2}, or {@code n·m}
   */
  public static long pairs(long n, long m, boolean same) {
    return same ? n * (n + 1) / 2 : n * m;
  }

  /** @return {@code flopsPerPair × pairs} */
  public double flops() {
    return flopsPerPair * pairs;
  }

  /** @return {@code outputBytes + workingBytes} */
  public long peakBytes() {
    return outputBytes + workingBytes;
  }

  /** @return e.g. {@code "about 4.2 TFLOP (5050 pairs at 831.6 MFLOP), peak 3.1 GiB"} */
  public String describe() {
    return String.format(Locale.ROOT, "about %s (%d pairs at %s), peak %s", flops(flops()), pairs,
        flops(flopsPerPair), ResourceLimitException.human(peakBytes()));
  }

  /** Formats a flop count with an SI prefix: {@code "831.6 MFLOP"}. */
  private static String flops(double f) {
    String[] prefixes = {"", "k", "M", "G", "T", "P", "E"};
    double v = f;
    int p = 0;
    while (v >= 1000 && p < prefixes.length - 1) {
      v /= 1000;
      p++;
    }
    return p == 0 ? String.format(Locale.ROOT, "%.0f FLOP", v)
        : String.format(Locale.ROOT, "%.1f %sFLOP", v, prefixes[p]);
  }
}
