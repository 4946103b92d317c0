package org.nke.cpu;

import org.nke.spi.Backend;
import org.nke.spi.BackendContractTest;
import org.nke.spi.BackendOptions;
import org.nke.spi.Precision;

/**
 * The contract for the CPU backend with several threads and parallelism forced on every block:
 * results must equal the single-threaded reference bit for bit (fixed partition of independent
 * entries), so the tolerance is zero.
 */
class CpuBackendContractTest extends BackendContractTest {
  @Override
  protected Backend openBackend() {
    return new CpuBackend(new BackendOptions(3, 0));
  }

  @Override
  protected double tolerance(Precision precision, String what) {
    return 0;
  }
}
