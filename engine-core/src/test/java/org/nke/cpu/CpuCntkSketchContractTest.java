package org.nke.cpu;

import org.nke.spi.Backend;
import org.nke.spi.BackendOptions;
import org.nke.spi.CntkSketchContractTest;

/**
 * The CNTK-sketch contract for the CPU backend with several threads: every image's features depend
 * only on the plan and the image, so they equal the single-threaded reference bit for bit.
 */
class CpuCntkSketchContractTest extends CntkSketchContractTest {
  @Override
  protected Backend openBackend() {
    return new CpuBackend(new BackendOptions(3, 0));
  }

  @Override
  protected double tolerance(String what) {
    return 0;
  }
}
