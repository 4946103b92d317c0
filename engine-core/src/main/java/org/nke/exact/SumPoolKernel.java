package org.nke.exact;

import org.nke.arch.AvgPool;
import org.nke.arch.SumPool;
import org.nke.exact.DenseNetwork.Affine;
import org.nke.ir.Window;

/**
 * The rules of {@code SumPool} (stax's {@code SumPool}, {@code _pool_kernel} with
 * {@code Pooling.SUM}): {@code K'(P, Q) = Σ_{p∈P, q∈Q} K(p, q)}, the same for {@code Θ}, written with
 * existing steps as the {@link AvgPoolKernel average pooling} of the same window ({@code Σ/F²})
 * followed by the pixelwise scaling {@code K ← F²·K}, {@code Θ ← F²·Θ} (an affine step with
 * {@code w² = b = F²}, {@code β² = a = c = 0}), so that it runs on every image path (exact CNTK on the
 * CPU and CUDA, the CNTK sketch) without a primitive of its own. Like AvgPool it mixes pixels and
 * keeps the signal Gaussian; it needs images.
 */
final class SumPoolKernel extends ImageLayerKernel {
  private final AvgPoolKernel average;
  private final double windowSquared;

  SumPoolKernel(SumPool pool, int position) {
    super(position, pool.describe());
    this.average = new AvgPoolKernel(new AvgPool(pool.windowHeight(), pool.windowWidth(),
        pool.strideHeight(), pool.strideWidth(), pool.padding()), position, describe());
    double f = (double) pool.windowHeight() * pool.windowWidth();
    this.windowSquared = f * f;
  }

  @Override
  public ImageSignal imageSignal(ImageSignal in) {
    return average.imageSignal(in);
  }

  @Override
  public boolean mixesPixels() {
    return true;
  }

  @Override
  public void pixelSteps(ImageSignal in, PixelProgram program) {
    average.pixelSteps(in, program);
    Window scale = Window.pointwise(average.imageSignal(in).grid());
    program.affine(scale, new Affine(windowSquared, 0, 0, windowSquared, 0, position(), describe()),
        position(), describe());
  }
}
