package org.nke.cuda;

import org.junit.jupiter.api.Assumptions;
import org.nke.spi.Availability;
import org.nke.spi.Backend;
import org.nke.spi.BackendContractTest;
import org.nke.spi.BackendOptions;
import org.nke.spi.Precision;
import org.nke.testing.Tolerances;

/**
 * The backend contract on the GPU: skipped, with the probe's reason, where no usable CUDA device is
 * present. float64 must match the CPU to {@link Tolerances#F64_GPU} (the maths is the same; only
 * atan2/exp are our own), float32 to {@link Tolerances#F32_GPU} (float32 arithmetic against the CPU's
 * float64 arithmetic on float32 storage).
 */
class CudaBackendContractTest extends BackendContractTest {
  @Override
  protected Backend openBackend() {
    CudaBackendProvider provider = new CudaBackendProvider();
    Availability a = provider.probe();
    if (!a.available()) {
      // one visible line in the build log; every test is then reported as skipped with the reason
      System.err.println("CudaBackendContractTest: skipped, no usable CUDA device: " + a.reason());
    }
    Assumptions.assumeTrue(a.available(), "no usable CUDA device: " + a.reason());
    return provider.open(BackendOptions.defaults());
  }

  @Override
  protected double tolerance(Precision precision, String what) {
    return precision == Precision.F64 ? Tolerances.F64_GPU : Tolerances.F32_GPU;
  }
}
