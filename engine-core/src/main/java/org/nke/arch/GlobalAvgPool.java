package org.nke.arch;

/** Global average pooling (stax {@code GlobalAvgPool}): the kernel is the mean over all pixel pairs. */
public record GlobalAvgPool() implements Layer {
  @Override
  public String describe() {
    return "GlobalAvgPool()";
  }

  @Override
  public boolean needsImages() {
    return true;
  }

  /**
   * Binds stax's signature {@code GlobalAvgPool(batch_axis=0, channel_axis=-1)}.
   *
   * @param a the call's arguments
   * @return the layer
   * @throws org.nke.error.ArchSyntaxException for a bad argument, with a caret at it
   */
  public static GlobalAvgPool bind(Args a) {
    a.ignore(0, "batch_axis");
    a.ignore(1, "channel_axis");
    a.finish();
    return new GlobalAvgPool();
  }
}
