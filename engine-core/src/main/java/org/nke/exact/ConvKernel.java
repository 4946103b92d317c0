package org.nke.exact;

import org.nke.arch.Conv;
import org.nke.arch.Dense;
import org.nke.ir.Window;

/**
 * The rules of {@code Conv} (stax's {@code Conv} {@code kernel_fn},
 * {@code _conv_kernel_full_spatial_shared}): a Dense of the same parameters applied to every
 * {@code F}-tap patch, so with {@code S} the same-offset window sum
 * {@code S(K)(p, q) = Σ_δ K(p + δ, q + δ)} (zero padding):
 *
 * <pre>{@code K' = w²·S(K)/F + β²,   Θ' = a·S(K)/F + b·S(Θ)/F + c}</pre>
 *
 * with the Dense coefficients of {@link DenseKernel#affine} ({@code a = σ_w²} under the NTK
 * parameterization, the fan-in {@code C_in·F} under the standard one). It needs images: on vectors
 * its signal rule is a named error.
 */
final class ConvKernel extends ImageLayerKernel {
  private final Conv conv;
  private final Dense patch;

  ConvKernel(Conv conv, int position) {
    super(position, conv.describe());
    this.conv = conv;
    this.patch = new Dense(conv.channels(), conv.wStd(), conv.bStd(), conv.hasBias(),
        conv.parameterization());
  }

  private Window window(ImageSignal in) {
    return in.window(conv.filterHeight(), conv.filterWidth(), conv.strideHeight(),
        conv.strideWidth(), conv.padding(), where());
  }

  @Override
  public ImageSignal imageSignal(ImageSignal in) {
    Window w = window(in);
    return DenseKernel.affineSignal(patch, w.size(), "out_chan", in, where()).withGrid(w.out());
  }

  @Override
  public boolean mixesPixels() {
    return false;
  }

  @Override
  public void pixelSteps(ImageSignal in, PixelProgram program) {
    Window w = window(in);
    program.affine(w, DenseKernel.affine(patch, DenseKernel.fanIn(patch, w.size(), in, where()),
        position()), position(), describe());
  }
}
