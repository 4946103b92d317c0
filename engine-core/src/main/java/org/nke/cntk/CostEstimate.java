package org.nke.cntk;

import java.util.Locale;

/**
 * How long the rest of an exact CNTK computation is expected to take, extrapolated from the time per
 * image pair of the per-image diagonal recursion that starts it (the same work per pair).
 *
 * @param pairs image pairs still to compute
 * @param secondsPerPair measured wall-clock seconds per pair (all threads together)
 * @param seconds the extrapolated total, {@code pairs × secondsPerPair}
 */
public record CostEstimate(long pairs, double secondsPerPair, double seconds) {
  /** @return e.g. {@code "4950 image pairs at 12.3 ms per pair: about 1m01s"} */
  public String describe() {
    return String.format(Locale.ROOT, "%d image pairs at %.1f ms per pair: about %s", pairs,
        secondsPerPair * 1e3, time(seconds));
  }

  private static String time(double s) {
    if (s < 60) {
      return String.format(Locale.ROOT, "%.1fs", s);
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", (int) s / 60, (int) s % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", (int) (s / 3600), (int) (s % 3600) / 60);
  }
}
