package org.nke.cuda;

import org.junit.jupiter.api.Assumptions;
import org.nke.spi.Availability;
import org.nke.spi.Backend;
import org.nke.spi.BackendOptions;
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
