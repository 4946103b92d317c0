package org.nke.cuda;

import org.nke.spi.Backend;
import org.nke.spi.CntkSketchContractTest;
import org.nke.testing.Tolerances;

/**
 * The CNTK-sketch contract on the GPU (cuFFT for the transforms): skipped, with the probe's reason,
 * where no usable CUDA device is present; float64 features must match the CPU to
 * {@link Tolerances#F64_GPU}.
 */
class CudaCntkSketchContractTest extends CntkSketchContractTest {
  @Override
  protected Backend openBackend() {
    return RealDevice.openOrSkip();
  }

  @Override
  protected double tolerance(String what) {
    return Tolerances.F64_GPU;
  }
}
