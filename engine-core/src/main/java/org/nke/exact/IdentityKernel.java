package org.nke.exact;

import org.nke.arch.Layer;
import org.nke.ir.FeatureMap;
import org.nke.spi.Backend;
import org.nke.spi.KernelBlock;
import org.nke.spi.Progress;

/** {@code Identity()} and, on vectors, {@code Flatten()}: every rule leaves the kernels unchanged. */
final class IdentityKernel extends LayerKernel {
  IdentityKernel(Layer layer, int position) {
    super(position, layer.describe());
  }

  @Override
  protected KernelState signal(KernelState in) {
    return in;
  }

  @Override
  protected double exact(KernelBlock block, double[] varX, double[] varY, Backend backend,
      Progress progress) {
    progress.advance(block.rows());
    return 0;
  }

  @Override
  protected double diagonal(double variance) {
    return variance;
  }

  @Override
  protected Angles angles() {
    return Angles.KEEP;
  }

  @Override
  protected double diagonalNtk(double variance, double ntk) {
    return ntk;
  }

  @Override
  protected double pairFlops(boolean withNtk) {
    return 0;
  }

  @Override
  protected long pointBytes(boolean withNtk) {
    return 0;
  }

  @Override
  protected FeatureMap sketch(FeatureShape in, Sketcher sketcher) {
    return sketcher.identity(where(), in);
  }

  @Override
  public ImageSignal imageSignal(ImageSignal in) {
    return in;
  }

  @Override
  public boolean mixesPixels() {
    return false;
  }

  @Override
  public void pixelSteps(ImageSignal in, PixelProgram program) {
    // no step: the blocks pass unchanged
  }
}
