package org.nke.cntk;

/**
 * The input kernel of two images per pixel pair (stax's input covariance with the channel axis
 * averaged): {@code K⁰(p, q) = Σ_c x[p, c]·y[q, c] / C}, {@code Θ⁰ = 0}. The sum runs over channels
 * in index order, so the self block of an image is exactly symmetric and its diagonal is exactly the
 * diagonal computed alone.
 */
public final class PixelGram {
  private PixelGram() {
  }

  /**
   * @param x first image, {@code H·W·C} values in HWC order, not modified
   * @param y second image, same shape, not modified
   * @param pixels {@code H·W}
   * @param channels {@code C}
   * @param diagonal whether only the diagonal pairs are computed
   * @param out receives {@code K⁰} ({@code pixels²} entries, or {@code pixels} if diagonal); modified
   */
  public static void compute(double[] x, double[] y, int pixels, int channels, boolean diagonal,
      double[] out) {
    if (diagonal) {
      for (int p = 0; p < pixels; p++) {
        out[p] = dot(x, p * channels, y, p * channels, channels);
      }
      return;
    }
    // y by channel planes, so that the loop over q is a contiguous multiply-add; per entry the sum
    // is still ((x₀y₀ + x₁y₁) + …) / C, bitwise the same as dot()
    double[] planes = new double[channels * pixels];
    for (int q = 0; q < pixels; q++) {
      for (int c = 0; c < channels; c++) {
        planes[c * pixels + q] = y[q * channels + c];
      }
    }
    for (int p = 0; p < pixels; p++) {
      int row = p * pixels;
      double x0 = x[p * channels];
      for (int q = 0; q < pixels; q++) {
        out[row + q] = x0 * planes[q];
      }
      for (int c = 1; c < channels; c++) {
        double xc = x[p * channels + c];
        int plane = c * pixels;
        for (int q = 0; q < pixels; q++) {
          out[row + q] += xc * planes[plane + q];
        }
      }
      for (int q = 0; q < pixels; q++) {
        out[row + q] /= channels;
      }
    }
  }

  private static double dot(double[] x, int i, double[] y, int j, int channels) {
    double s = 0;
    for (int c = 0; c < channels; c++) {
      s += x[i + c] * y[j + c];
    }
    return s / channels;
  }
}
