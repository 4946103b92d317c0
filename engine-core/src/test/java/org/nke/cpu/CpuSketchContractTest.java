package org.nke.cpu;

import org.nke.spi.Backend;
import org.nke.spi.BackendOptions;
import org.nke.spi.SketchContractTest;

/**
 * The sketch contract for the CPU backend with several threads: every point's features depend only
 * on the plan and the point, so they equal the single-threaded reference bit for bit.
 */
class CpuSketchContractTest extends SketchContractTest {
  @Override
  protected Backend openBackend() {
    return new CpuBackend(new BackendOptions(3, 0));
  }

  @Override
  protected double tolerance(String what) {
    return 0;
  }
}
