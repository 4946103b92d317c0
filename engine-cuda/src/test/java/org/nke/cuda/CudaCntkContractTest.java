package org.nke.cuda;

import org.junit.jupiter.api.Assumptions;
import org.nke.spi.Availability;
import org.nke.spi.Backend;
import org.nke.spi.BackendOptions;
import org.nke.spi.CntkContractTest;
import org.nke.testing.Tolerances;

/**
 * The CNTK contract on the GPU: skipped, with the probe's reason, where no usable CUDA device is
 * present; float64 pixel-pair blocks must match the CPU to {@link Tolerances#F64_GPU}.
 */
class CudaCntkContractTest extends CntkContractTest {
  @Override
  protected Backend openBackend() {
    CudaBackendProvider provider = new CudaBackendProvider();
    Availability a = provider.probe();
    Assumptions.assumeTrue(a.available(), "no usable CUDA device: " + a.reason());
    return provider.open(BackendOptions.defaults());
  }

  @Override
  protected double tolerance(String what) {
    return Tolerances.F64_GPU;
  }
}
