package org.nke.exact;

import org.nke.arch.AvgPool;
import org.nke.ir.Window;

/**
 * The rules of {@code AvgPool} (stax's {@code AvgPool}, {@code _pool_kernel} with
 * {@code normalize_edges=False}): {@code K'(P, Q) = Σ_{p∈P, q∈Q} K(p, q) / F²}, the same for
 * {@code Θ}. It mixes pixels (an output's diagonal pair reads all pairs of its windows), keeps the
 * signal Gaussian when it was, and needs images: on vectors its signal rule is a named error.
 */
final class AvgPoolKernel extends ImageLayerKernel {
  private final AvgPool pool;

  AvgPoolKernel(AvgPool pool, int position) {
    this(pool, position, pool.describe());
  }

  /** As part of another layer (SumPool), whose text its messages and steps carry. */
  AvgPoolKernel(AvgPool pool, int position, String describe) {
    super(position, describe);
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
    program.pool(window(in), position(), describe());
  }
}
