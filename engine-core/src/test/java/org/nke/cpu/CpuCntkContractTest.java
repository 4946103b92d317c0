package org.nke.cpu;

import org.nke.spi.Backend;
import org.nke.spi.BackendOptions;
import org.nke.spi.CntkContractTest;

/**
 * The CNTK contract for the CPU backend with several threads: every image pair runs on one thread
 * with fixed summation orders, so results equal the single-threaded reference bit for bit, except
 * for Hermite-series duals (Tanh): their degree is chosen from the variances a binding is given,
 * i.e. per batch of images in the diagonal recursion, and the batches follow the thread count (a
 * difference of about 1e-15).
 */
class CpuCntkContractTest extends CntkContractTest {
  @Override
  protected Backend openBackend() {
    return new CpuBackend(new BackendOptions(3, 0));
  }

  @Override
  protected double tolerance(String what) {
    return what.contains("Tanh()") ? 1e-13 : 0;
  }
}
