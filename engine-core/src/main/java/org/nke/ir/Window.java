package org.nke.ir;

import org.nke.arch.Padding;

/**
 * The geometry of a convolution filter or pooling window sliding over a {@link Grid}, following XLA's
 * {@code lax.padtype_to_pads} exactly as stax does: per axis with input size {@code n}, window
 * {@code f} and stride {@code s},
 *
 * <pre>{@code
 * VALID: out = ⌈(n − f + 1) / s⌉,  pad_lo = 0
 * SAME:  out = ⌈n / s⌉,            pad_lo = ⌊max((out − 1)·s + f − n, 0) / 2⌋
 * }</pre>
 *
 * Output index {@code P} and tap {@code a ∈ [0, f)} read input index {@code P·s + a − pad_lo}; taps
 * outside {@code [0, n)} read zero padding.
 *
 * @param height window height {@code f_h}
 * @param width window width {@code f_w}
 * @param strideHeight vertical stride
 * @param strideWidth horizontal stride
 * @param padTop {@code pad_lo} of the vertical axis
 * @param padLeft {@code pad_lo} of the horizontal axis
 * @param in input grid
 * @param out output grid
 */
public record Window(int height, int width, int strideHeight, int strideWidth, int padTop, int padLeft,
    Grid in, Grid out) {

  /**
   * @param fh window height
   * @param fw window width
   * @param sh vertical stride
   * @param sw horizontal stride
   * @param padding SAME or VALID
   * @param in the input grid
   * @return the window
   * @throws IllegalArgumentException if the window does not fit a VALID input
   */
  public static Window of(int fh, int fw, int sh, int sw, Padding padding, Grid in) {
    int oh = outSize(in.height(), fh, sh, padding);
    int ow = outSize(in.width(), fw, sw, padding);
    if (oh < 1 || ow < 1) {
      throw new IllegalArgumentException("a " + fh + "x" + fw + " window with VALID padding does not "
          + "fit a " + in + " input");
    }
    return new Window(fh, fw, sh, sw, padLow(in.height(), fh, sh, oh, padding),
        padLow(in.width(), fw, sw, ow, padding), in, new Grid(oh, ow));
  }

  /** @return the identity window (1 × 1, stride 1) on {@code grid} */
  public static Window pointwise(Grid grid) {
    return new Window(1, 1, 1, 1, 0, 0, grid, grid);
  }

  /** @return whether this window maps every pixel to itself */
  public boolean isPointwise() {
    return height == 1 && width == 1 && strideHeight == 1 && strideWidth == 1;
  }

  /** @return {@code f_h·f_w} */
  public int size() {
    return height * width;
  }

  private static int outSize(int n, int f, int s, Padding padding) {
    return padding == Padding.SAME ? (n + s - 1) / s : Math.max(0, (n - f + s) / s);
  }

  private static int padLow(int n, int f, int s, int out, Padding padding) {
    return padding == Padding.SAME ? Math.max((out - 1) * s + f - n, 0) / 2 : 0;
  }
}
