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
}
