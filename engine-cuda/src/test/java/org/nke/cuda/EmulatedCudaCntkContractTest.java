package org.nke.cuda;

import org.nke.spi.Backend;
import org.nke.spi.CntkContractTest;
import org.nke.testing.Tolerances;

/**
 * The CNTK contract for {@link CudaBackend} on the {@link EmulatedDevice}: {@link CudaConvOps} with
 * float64 blocks, every {@code cntk.ptx} entry and the dual maps on stacked pixel-pair blocks,
 * against the CPU within {@link Tolerances#F64_GPU}.
 */
class EmulatedCudaCntkContractTest extends CntkContractTest {
  @Override
  protected Backend openBackend() {
    return new CudaBackend(new EmulatedDevice());
  }

  @Override
  protected double tolerance(String what) {
    return Tolerances.F64_GPU;
  }
}
