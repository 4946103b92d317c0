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
}
