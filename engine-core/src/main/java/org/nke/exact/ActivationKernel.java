package org.nke.exact;

import org.nke.arch.Activation;
import org.nke.dual.DualActivation;
import org.nke.error.ArchException;
import org.nke.spi.Backend;
import org.nke.spi.KernelBlock;
import org.nke.spi.Progress;

/**
 * The rules of an elementwise activation: its {@link DualActivation},
 * {@code K' = E[φ(u)φ(v)]}, {@code Θ' = Θ · E[φ'(u)φ'(v)]} over {@code (u, v)} Gaussian with the
 * pair's covariance, and {@code k' = E[φ(u)²]} on the diagonal. As in stax, the input must be
 * Gaussian, and the output is not.
 */
final class ActivationKernel extends LayerKernel {
  private final DualActivation dual;

  ActivationKernel(Activation a, int position) {
    super(position, a.describe());
    this.dual = a.dual();
  }

  @Override
  protected KernelState signal(KernelState in) {
    if (!in.gaussian()) {
      throw new ArchException("activation " + describe() + " at layer " + position() + " must "
          + "follow Dense or Conv (or a FanInSum of them): its input must be Gaussian (stax's rule)");
    }
    return in.withSignal(false, in.width());
  }

  @Override
  protected double exact(KernelBlock block, double[] varX, double[] varY, Backend backend,
      Progress progress) {
    return backend.activation(block, dual, varX, varY, progress);
  }

  @Override
  protected double diagonal(double variance) {
    return dual.diagonal(variance);
  }

  @Override
  protected Angles angles() {
    return dual.carriesAngles() ? Angles.USE : Angles.LOSE;
  }

  @Override
  protected double diagonalNtk(double variance, double ntk) {
    // Θ ← Θ · E[φ'(u)²]
    return ntk * dual.derivative(variance, variance, variance);
  }

  /** @return the dual's cost rule, {@link DualActivation#flopsPerEntry} */
  @Override
  protected double pairFlops(boolean withNtk) {
    return dual.flopsPerEntry(withNtk);
  }

  /** @return the dual's per-point tables, {@link DualActivation#bytesPerPoint} */
  @Override
  protected long pointBytes(boolean withNtk) {
    return dual.bytesPerPoint(withNtk);
  }

  @Override
  protected FeatureMap sketch(FeatureShape in, Sketcher sketcher) {
    return sketcher.activation(where(), dual, in);
  }
}
