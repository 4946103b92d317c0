package org.nke.cuda;

import org.nke.spi.Backend;
import org.nke.spi.CntkSketchContractTest;
import org.nke.testing.Tolerances;

/**
 * The CNTK-sketch contract for {@link CudaBackend} on the {@link EmulatedDevice}:
 * {@link CudaCntkSketchOps} in float64 — the {@code patch}, {@code srht}, {@code cntk} and
 * {@code dual} PTX on the interpreter, JTransforms standing in for cuFFT — against the CPU within
 * {@link Tolerances#F64_GPU}.
 */
class EmulatedCudaCntkSketchContractTest extends CntkSketchContractTest {
  @Override
  protected Backend openBackend() {
    return new CudaBackend(new EmulatedDevice());
  }

  @Override
  protected double tolerance(String what) {
    return Tolerances.F64_GPU;
  }

  @Override
  protected boolean runsProductsOnTheDevice() {
    return true;
  }
}
