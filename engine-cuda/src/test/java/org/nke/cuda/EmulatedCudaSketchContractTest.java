package org.nke.cuda;

import org.nke.spi.Backend;
import org.nke.spi.SketchContractTest;
import org.nke.testing.Tolerances;

/**
 * The sketch contract for {@link CudaBackend} on the {@link EmulatedDevice}: {@link CudaSketchOps}
 * in float64, every {@code srht.ptx} and {@code hermite.ptx} entry, with JTransforms standing in for
 * cuFFT, against the CPU within {@link Tolerances#F64_GPU}.
 */
class EmulatedCudaSketchContractTest extends SketchContractTest {
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
