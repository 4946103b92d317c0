package org.nke.testing;

import org.nke.dual.DualActivation;
import org.nke.spi.Backend;
import org.nke.spi.KernelBlock;
import org.nke.spi.KernelMatrix;
import org.nke.spi.Precision;
import org.nke.spi.Progress;

/**
 * A test backend that forwards the dense primitives to another one; subclasses change what they
 * test (a name, CNTK primitives, ownership). The optional capabilities ({@code convOps},
 * sketch {@code features}) keep the interface's defaults unless a subclass overrides them.
 */
public abstract class DelegatingBackend implements Backend {
  /** The backend the primitives go to. */
  protected final Backend inner;

  /** @param inner the backend the primitives go to */
  protected DelegatingBackend(Backend inner) {
    this.inner = inner;
  }

  @Override
  public String name() {
    return inner.name();
  }

  @Override
  public String device() {
    return inner.device();
  }

  @Override
  public Precision defaultPrecision() {
    return inner.defaultPrecision();
  }

  @Override
  public KernelBlock inputKernel(double[][] x, double[][] y, boolean withNtk, Precision precision,
      Progress progress) {
    return inner.inputKernel(x, y, withNtk, precision, progress);
  }

  @Override
  public boolean carriesAngles() {
    return inner.carriesAngles();
  }

  @Override
  public KernelBlock inputKernel(double[][] x, double[][] y, boolean withNtk, boolean withAngles,
      Precision precision, Progress progress) {
    return inner.inputKernel(x, y, withNtk, withAngles, precision, progress);
  }

  @Override
  public void affine(KernelBlock block, double w2, double b2, double ntkFromNngp, double ntkFromNtk,
      double ntkConstant, Progress progress) {
    inner.affine(block, w2, b2, ntkFromNngp, ntkFromNtk, ntkConstant, progress);
  }

  @Override
  public double activation(KernelBlock block, DualActivation dual, double[] varX, double[] varY,
      Progress progress) {
    return inner.activation(block, dual, varX, varY, progress);
  }

  @Override
  public KernelBlock copy(KernelBlock block) {
    return inner.copy(block);
  }

  @Override
  public void accumulate(KernelBlock target, KernelBlock source, org.nke.ir.Join join) {
    inner.accumulate(target, source, join);
  }

  @Override
  public void normalize(KernelBlock block, org.nke.ir.Normalization scales) {
    inner.normalize(block, scales);
  }

  @Override
  public long firstNonFinite(KernelBlock block, boolean ntk) {
    return inner.firstNonFinite(block, ntk);
  }

  @Override
  public KernelMatrix read(KernelBlock block, boolean ntk) {
    return inner.read(block, ntk);
  }

  /** Closes the inner backend (override where it is not owned). */
  @Override
  public void close() {
    inner.close();
  }
}
