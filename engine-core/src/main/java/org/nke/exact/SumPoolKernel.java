package org.nke.exact;

import org.nke.arch.SumPool;
import org.nke.exact.DenseNetwork.Affine;
import org.nke.ir.Window;

/**
 * The rules of {@code SumPool} (stax's {@code SumPool}, {@code _pool_kernel} with
 * {@code Pooling.SUM}): {@code K'(P, Q) = Σ_{p∈P, q∈Q} K(p, q)}, the same for {@code Θ}, written with
 * existing steps as the average pooling {@code Σ/F²} followed by the pixelwise scaling
 * {@code K ← F²·K}, {@code Θ ← F²·Θ} (an affine step with {@code w² = b = F²}, {@code β² = a = c = 0}),
 * so that it runs on every image path (exact CNTK on the CPU and CUDA, the CNTK sketch) without a
 * primitive of its own. Like AvgPool it mixes pixels and keeps the signal Gaussian; it needs images.
 */
final class SumPoolKernel extends ImageLayerKernel {
  private final SumPool pool;

  SumPoolKernel(SumPool pool, int position) {
    super(position, pool.describe());
    this.pool = pool;
  }

  private Window window(ImageSignal in) {
    return in.window(pool.windowHeight(), pool.windowWidth(), pool.strideHeight(),
        pool.strideWidth(), pool.padding(), where());
  }

  @Override
  public ImageSignal imageSignal(ImageSignal in) {
    return in.withGrid(window(in).out());
  }

  @Override
  public boolean mixesPixels() {
    return true;
  }

  @Override
  public void pixelSteps(ImageSignal in, PixelProgram program) {
    Window w = window(in);
    program.pool(w, position(), describe());
    double f2 = (double) w.size() * w.size();
    program.affine(Window.pointwise(w.out()), new Affine(f2, 0, 0, f2, 0, position(), describe()),
        position(), describe());
  }
}
