package org.nke.cuda;

import org.nke.spi.Backend;
import org.nke.spi.BackendContractTest;
import org.nke.spi.Precision;
import org.nke.testing.Tolerances;

/**
 * The backend contract for {@link CudaBackend} itself on the {@link EmulatedDevice}: every host-side
 * step of the CUDA backend (blocks, Gram, diagonal handling, dual ops and their tables, CPU fallback,
 * non-finite scan, read and mirror) and every PTX kernel it launches, with the GPU tolerances, on
 * any machine.
 */
class EmulatedCudaBackendContractTest extends BackendContractTest {
  @Override
  protected Backend openBackend() {
    return new CudaBackend(new EmulatedDevice());
  }

  @Override
  protected double tolerance(Precision precision, String what) {
    return precision == Precision.F64 ? Tolerances.F64_GPU : Tolerances.F32_GPU;
  }
}
