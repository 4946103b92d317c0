package org.nke.arch;

/**
 * Sum pooling (stax {@code SumPool}): {@code K'(P, Q) = Σ_{p∈P, q∈Q} K(p, q)}, the same for
 * {@code Θ} — average pooling without the division, {@code F² = (f_h f_w)²} times {@link AvgPool}'s
 * kernel.
 *
 * @param windowHeight window height
 * @param windowWidth window width
 * @param strideHeight vertical stride
 * @param strideWidth horizontal stride
 * @param padding SAME or VALID
 */
public record SumPool(int windowHeight, int windowWidth, int strideHeight, int strideWidth,
    Padding padding) implements Layer {

  @Override
  public String describe() {
    return "SumPool((" + windowHeight + ", " + windowWidth + "), strides=(" + strideHeight + ", "
        + strideWidth + ")" + (padding == Padding.VALID ? "" : ", padding='" + padding + "'") + ")";
  }

  @Override
  public boolean needsImages() {
    return true;
  }

  /**
   * Binds stax's signature {@code SumPool(window_shape, strides=None, padding='VALID', batch_axis=0,
   * channel_axis=-1)} one parameter at a time.
   *
   * @param a the call's arguments
   * @return the layer
   * @throws org.nke.error.ArchSyntaxException for a bad argument, with a caret at it
   */
  public static SumPool bind(Args a) {
    StaxParameters.Pool pool = StaxParameters.pool(a, "SumPool");
    a.ignore(3, "batch_axis");
    a.ignore(4, "channel_axis");
    a.finish();
    pool.checkPositive(a);
    return new SumPool(pool.window()[0], pool.window()[1], pool.strides()[0], pool.strides()[1],
        pool.padding());
  }
}
