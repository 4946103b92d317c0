package org.nke.cuda;

import org.nke.spi.Backend;
import org.nke.spi.CntkContractTest;
import org.nke.testing.Tolerances;

/**
 * The CNTK contract on the GPU: skipped, with the probe's reason, where no usable CUDA device is
 * present; float64 pixel-pair blocks must match the CPU to {@link Tolerances#F64_GPU}.
 */
class CudaCntkContractTest extends CntkContractTest {
  @Override
  protected Backend openBackend() {
    return RealDevice.openOrSkip();
  }

  @Override
  protected double tolerance(String what) {
    return Tolerances.F64_GPU;
  }
}
