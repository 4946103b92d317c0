package org.nke.arch;

/**
 * A 2-D convolution (stax {@code Conv}), kernels computed by the CNTK path. Kernel map per pixel pair
 * {@code (p, q)}, filter offsets {@code δ} over the {@code F = f_h × f_w} window, NTK
 * parameterization:
 *
 * <pre>{@code K'(p,q) = σ_w²/F Σ_δ K(p+δ, q+δ) + σ_b²,   Θ'(p,q) = K'(p,q) + σ_w²/F Σ_δ Θ(p+δ, q+δ)}</pre>
 *
 * and under the standard parameterization (stax {@code _Conv.kernel_fn}, fan-in
 * {@code C_in·F} = input channels × filter size)
 *
 * <pre>{@code K'(p,q) = σ_w²/F Σ_δ K(p+δ, q+δ) + σ_b²,
 * Θ'(p,q) = C_in Σ_δ K(p+δ, q+δ) + σ_w²/F Σ_δ Θ(p+δ, q+δ) + [b_std given]}</pre>
 *
 * with out-of-image terms zero under {@code SAME} padding. {@code C_in} is the images' channel count
 * for the first layer, else the previous Conv's {@code out_chan} (or pixelwise Dense's
 * {@code out_dim}); a Dense after Flatten has {@code N_in = H·W·C}, after GlobalAvgPool
 * {@code N_in = C}, of the last such layer.
 *
 * @param channels output channels {@code out_chan}, {@code -1} when omitted; ignored by the kernels
 *     under the NTK parameterization, the next layer's {@code C_in} under the standard one
 * @param filterHeight filter height {@code f_h}
 * @param filterWidth filter width {@code f_w}
 * @param strideHeight vertical stride
 * @param strideWidth horizontal stride
 * @param padding SAME or VALID
 * @param wStd {@code σ_w}
 * @param bStd {@code σ_b}
 * @param hasBias whether {@code b_std} was given (matters for the standard parameterization)
 * @param parameterization NTK or standard
 */
public record Conv(int channels, int filterHeight, int filterWidth, int strideHeight, int strideWidth,
    Padding padding, double wStd, double bStd, boolean hasBias, Parameterization parameterization)
    implements Layer {

  @Override
  public String describe() {
    StringBuilder sb = new StringBuilder("Conv(");
    // an omitted out_chan reads back as omitted
    sb.append(channels >= 0 ? Integer.toString(channels) : "None").append(", (").append(filterHeight)
        .append(", ").append(filterWidth).append(')');
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

  @Override
  public boolean needsImages() {
    return true;
  }
}
