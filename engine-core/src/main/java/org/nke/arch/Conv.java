package org.nke.arch;

/**
 * A 2-D convolution (stax {@code Conv}), kernels computed by the CNTK path. Kernel map per pixel pair
 * {@code (p, q)}, NTK parameterization, filter offsets {@code δ} over the {@code f_h × f_w} window:
 *
 * <pre>{@code K'(p,q) = σ_w²/(f_h f_w) Σ_δ K(p+δ, q+δ) + σ_b²,   Θ'(p,q) = K'(p,q) + σ_w²/(f_h f_w) Σ_δ Θ(p+δ, q+δ)}</pre>
 *
 * with out-of-image terms zero under {@code SAME} padding.
 *
 * @param channels output channels (ignored by the kernels)
 * @param filterHeight filter height {@code f_h}
 * @param filterWidth filter width {@code f_w}
 * @param strideHeight vertical stride
 * @param strideWidth horizontal stride
 * @param padding SAME or VALID
 * @param wStd {@code σ_w}
 * @param bStd {@code σ_b}
 * @param hasBias whether {@code b_std} was given
 * @param parameterization NTK or standard
 */
public record Conv(int channels, int filterHeight, int filterWidth, int strideHeight, int strideWidth,
    Padding padding, double wStd, double bStd, boolean hasBias, Parameterization parameterization)
    implements Layer {

  @Override
  public String describe() {
    StringBuilder sb = new StringBuilder("Conv(");
    sb.append(channels).append(", (").append(filterHeight).append(", ").append(filterWidth).append(')');
    if (strideHeight != 1 || strideWidth != 1) {
      sb.append(", strides=(").append(strideHeight).append(", ").append(strideWidth).append(')');
    }
    sb.append(", padding='").append(padding).append("', W_std=").append(wStd);
    if (hasBias) {
      sb.append(", b_std=").append(bStd);
    }
    if (parameterization != Parameterization.NTK) {
      sb.append(", parameterization='").append(parameterization.stax()).append('\'');
    }
    return sb.append(')').toString();
  }
}
