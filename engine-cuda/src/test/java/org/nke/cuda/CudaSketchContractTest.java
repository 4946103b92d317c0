package org.nke.cuda;

import org.nke.spi.Backend;
import org.nke.spi.SketchContractTest;
import org.nke.testing.Tolerances;

/**
 * The sketch contract on the GPU (cuFFT for the transforms): skipped, with the probe's reason, where
 * no usable CUDA device is present; float64 features must match the CPU to {@link Tolerances#F64_GPU}.
 */
class CudaSketchContractTest extends SketchContractTest {
  @Override
  protected Backend openBackend() {
    return RealDevice.openOrSkip();
  }

  @Override
  protected double tolerance(String what) {
    return Tolerances.F64_GPU;
  }
}
