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

  /**
   * Binds stax's signature {@code Conv(out_chan, filter_shape, strides=None, padding='VALID',
   * W_std=1., b_std=None, dimension_numbers=None, parameterization='ntk', s=(1, 1))} one parameter at
   * a time.
   *
   * @param a the call's arguments
   * @return the layer
   * @throws org.nke.error.ArchSyntaxException for a bad argument, with a caret at it
   */
  public static Conv bind(Args a) {
    int channels = a.integer(0, "out_chan", -1);
    int[] filter = a.intTuple(1, "filter_shape", 2, null);
    if (filter == null) {
      throw a.callError("Conv needs filter_shape, e.g. Conv(64, (3, 3))");
    }
    int[] strides = a.intTuple(2, "strides", 2, new int[] {1, 1});
    Padding padding = StaxParameters.padding(a, 3, "VALID");
    double w = StaxParameters.positive(a, 4, "W_std", a.number(4, "W_std", 1.0));
    Double b = a.optionalNumber(5, "b_std");
    a.ignore(6, "dimension_numbers");
    Parameterization p = StaxParameters.parameterization(a, 7);
    StaxParameters.scaling(a, 8);
    a.finish();
    if (filter[0] < 1 || filter[1] < 1 || strides[0] < 1 || strides[1] < 1) {
      throw a.callError("filter_shape and strides must be positive");
    }
    return new Conv(channels, filter[0], filter[1], strides[0], strides[1], padding, w,
        b == null ? 0 : StaxParameters.positive(a, 5, "b_std", b), b != null, p);
  }
}
