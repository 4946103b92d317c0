package org.nke.exact;

import org.nke.ir.FeatureMap;
import org.nke.spi.Backend;
import org.nke.spi.KernelBlock;
import org.nke.spi.Progress;

/**
 * A layer that exists only on images (Conv, AvgPool, SumPool): on vectors its signal rule is the named error
 * "needs image inputs", raised when the network is compiled, so its other vector rules are never
 * reached.
 */
abstract class ImageLayerKernel extends LayerKernel {
  ImageLayerKernel(int position, String describe) {
    super(position, describe);
  }

  @Override
  protected final KernelState signal(KernelState in) {
    throw needsImages(position(), describe());
  }

  @Override
  protected final double exact(KernelBlock block, double[] varX, double[] varY, Backend backend,
      Progress progress) {
    throw unreachable();
  }

  @Override
  protected final double diagonal(double variance) {
    throw unreachable();
  }

  @Override
  protected final Angles angles() {
    throw unreachable();
  }

  @Override
  protected final double diagonalNtk(double variance, double ntk) {
    throw unreachable();
  }

  @Override
  protected final FeatureMap sketch(FeatureShape in, Sketcher sketcher) {
    throw unreachable();
  }

  /** On images the cost and memory are the pixel steps' own ({@code PixelStep.flops}). */
  @Override
  protected final double pairFlops(boolean withNtk) {
    throw unreachable();
  }

  @Override
  protected final long pointBytes(boolean withNtk) {
    throw unreachable();
  }

  private IllegalStateException unreachable() {
    return new IllegalStateException(where() + " has no rule on vectors; its signal rule refuses "
        + "them");
  }
}
