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
    StaxParameters.Pool pool = StaxParameters.pool(a, "AvgPool");
    if (a.bool(3, "normalize_edges", false)) {
      throw new ArchSyntaxException("normalize_edges=True is not supported (nke follows stax's "
          + "default normalize_edges=False: SAME windows divide by the full window size)", a.source(),
          a.position(3, "normalize_edges"));
    }
    a.ignore(4, "batch_axis");
    a.ignore(5, "channel_axis");
    a.finish();
    pool.checkPositive(a);
    return new AvgPool(pool.window()[0], pool.window()[1], pool.strides()[0], pool.strides()[1],
        pool.padding());
  }
}
