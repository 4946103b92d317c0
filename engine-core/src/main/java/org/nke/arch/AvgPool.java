package org.nke.arch;

import org.nke.error.ArchSyntaxException;

/**
 * Average pooling (stax {@code AvgPool}): {@code K'(P, Q) = mean_{p∈P, q∈Q} K(p, q)}, the same for
 * {@code Θ}.
 *
 * @param windowHeight window height
 * @param windowWidth window width
 * @param strideHeight vertical stride
 * @param strideWidth horizontal stride
 * @param padding SAME or VALID
 */
public record AvgPool(int windowHeight, int windowWidth, int strideHeight, int strideWidth,
    Padding padding) implements Layer {

  @Override
  public String describe() {
    return "AvgPool((" + windowHeight + ", " + windowWidth + "), strides=(" + strideHeight + ", "
        + strideWidth + ")" + (padding == Padding.VALID ? "" : ", padding='" + padding + "'") + ")";
  }

  @Override
  public boolean needsImages() {
    return true;
  }

  /**
   * Binds stax's signature {@code AvgPool(window_shape, strides=None, padding='VALID',
   * normalize_edges=False, batch_axis=0, channel_axis=-1)} one parameter at a time.
   *
   * @param a the call's arguments
   * @return the layer
   * @throws org.nke.error.ArchSyntaxException for a bad argument, with a caret at it
   */
  public static AvgPool bind(Args a) {
    int[] window = StaxParameters.window(a, "AvgPool");
    // stax: strides=None means (1, 1), not the window (_Pool: `strides or (1,) * len(window_shape)`)
    int[] strides = a.intTuple(1, "strides", 2, new int[] {1, 1});
    Padding padding = StaxParameters.padding(a, 2, "VALID");
    if (a.bool(3, "normalize_edges", false)) {
      throw new ArchSyntaxException("normalize_edges=True is not supported (nke follows stax's "
          + "default normalize_edges=False: SAME windows divide by the full window size)", a.source(),
          a.position(3, "normalize_edges"));
    }
    a.ignore(4, "batch_axis");
    a.ignore(5, "channel_axis");
    a.finish();
    StaxParameters.positiveGeometry(a, window, strides);
    return new AvgPool(window[0], window[1], strides[0], strides[1], padding);
  }
}
