package org.nke.arch;

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
}
