package org.nke.exact;

import org.nke.arch.Activation;
import org.nke.dual.DualActivation;
import org.nke.error.ArchException;
import org.nke.ir.FeatureMap;
import org.nke.ir.PixelStep.PixelActivation;
import org.nke.spi.Backend;
import org.nke.spi.KernelBlock;
import org.nke.spi.Progress;

/**
 * The rules of an elementwise activation: its {@link DualActivation},
 * {@code K' = E[φ(u)φ(v)]}, {@code Θ' = Θ · E[φ'(u)φ'(v)]} over {@code (u, v)} Gaussian with the
 * pair's covariance, and {@code k' = E[φ(u)²]} on the diagonal. As in stax, the input must be
 * Gaussian, and the output is not. On images the same rule acts on every carried pixel pair, with
 * the per-pixel variances of both images.
 */
final class ActivationKernel extends LayerKernel {
  /** Its dual and scalar diagonal and cost rules (shared with the CNTK's dense tail). */
  private final DenseNetwork.Activation step;

  ActivationKernel(Activation a, int position) {
    super(position, a.describe());
    this.step = new DenseNetwork.Activation(a.dual(), position, a.describe());
  }

  @Override
  protected KernelState signal(KernelState in) {
    requireGaussian(in.gaussian(), describe(), position());
    return in.withSignal(false, in.width());
  }

  @Override
  protected double exact(KernelBlock block, double[] varX, double[] varY, Backend backend,
      Progress progress) {
    return backend.activation(block, step.dual(), varX, varY, progress);
  }

  @Override
  protected double diagonal(double variance) {
    return step.selfNngp(variance);
  }

  @Override
  protected Angles angles() {
    return step.dual().carriesAngles() ? Angles.USE : Angles.LOSE;
  }

  @Override
  protected double diagonalNtk(double variance, double ntk) {
    // Θ ← Θ · E[φ'(u)²]
    return step.selfNtk(variance, ntk);
  }

  /** @return the dual's cost rule, {@link DualActivation#flopsPerEntry} (the step's) */
  @Override
  protected double pairFlops(boolean withNtk) {
    return step.pairFlops(withNtk);
  }

  /** @return the dual's per-point tables, {@link DualActivation#bytesPerPoint} */
  @Override
  protected long pointBytes(boolean withNtk) {
    return step.dual().bytesPerPoint(withNtk);
  }

  @Override
  protected FeatureMap sketch(FeatureShape in, Sketcher sketcher) {
    return sketcher.activation(where(), step.dual(), in);
  }

  @Override
  public ImageSignal imageSignal(ImageSignal in) {
    requireGaussian(in.gaussian(), describe(), position());
    return in.withGaussian(false);
  }

  @Override
  public boolean mixesPixels() {
    return false;
  }

  @Override
  public void pixelSteps(ImageSignal in, PixelProgram program) {
    program.add(new PixelActivation(step.dual(), in.grid(), program.diagonal(), program.probe(),
        position(), describe()));
  }

  /**
   * stax's rule that an activation's input be Gaussian.
   *
   * @param gaussian whether the input is Gaussian
   * @param describe the activation as written
   * @param position its index
   * @throws ArchException if it is not
   */
  private static void requireGaussian(boolean gaussian, String describe, int position) {
    if (!gaussian) {
      throw new ArchException("activation " + describe + " at layer " + position + " must follow "
          + "Dense or Conv (or a FanInSum of them, a LayerNorm, or on images a pooling of those): "
          + "its input must be Gaussian (stax's rule)");
    }
  }
}
