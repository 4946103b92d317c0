package org.nke.cntk;

/**
 * The reductions at the end of the spatial part and the diagonal extraction, on one pixel-pair block
 * of {@code N = H·W} pixels (stax {@code Flatten} and {@code GlobalAvgPool}):
 *
 * <pre>{@code
 * Flatten:        K = Σ_p K(p, p) / N          (the trace: flattened features pair pixel p with p)
 * GlobalAvgPool:  K = Σ_{p, q} K(p, q) / N²    (the covariance of the pixel means)
 * }</pre>
 *
 * Sums run in index order (results do not depend on scheduling).
 */
public final class SpatialReadout {
  private SpatialReadout() {
  }

  /**
   * @param block the block, not modified
   * @param pixels {@code N}
   * @param diagonal whether the block holds only the {@code N} diagonal pairs
   * @return {@code Σ_p K(p, p) / N}
   */
  public static double flatten(double[] block, int pixels, boolean diagonal) {
    double s = 0;
    for (int p = 0; p < pixels; p++) {
      s += block[diagonal ? p : p * pixels + p];
    }
    return s / pixels;
  }

  /**
   * @param block a full block, not modified
   * @param pixels {@code N}
   * @return {@code Σ_{p,q} K(p, q) / N²}
   */
  public static double globalAverage(double[] block, int pixels) {
    double s = 0;
    int n = pixels * pixels;
    for (int e = 0; e < n; e++) {
      s += block[e];
    }
    return s / n;
  }

  /**
   * @param block a full block, not modified
   * @param pixels {@code N}
   * @param diagonal whether the block holds only the diagonal pairs
   * @param out receives {@code K(p, p)} for every pixel; modified
   */
  public static void diagonal(double[] block, int pixels, boolean diagonal, double[] out) {
    for (int p = 0; p < pixels; p++) {
      out[p] = block[diagonal ? p : p * pixels + p];
    }
  }

  /**
   * Moves the diagonal pairs of a full block to its first {@code N} entries.
   *
   * @param block a full block; modified
   * @param pixels {@code N}
   */
  public static void diagonalize(double[] block, int pixels) {
    for (int p = 0; p < pixels; p++) {
      block[p] = block[p * pixels + p];
    }
  }
}
