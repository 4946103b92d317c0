package org.nke.cuda;

import org.junit.jupiter.api.Assumptions;
import org.nke.spi.Availability;
import org.nke.spi.Backend;
import org.nke.spi.BackendOptions;

/** The real CUDA backend for the GPU contract tests, which skip with the probe's reason without one. */
final class RealDevice {
  private RealDevice() {
  }

  /** @return the CUDA backend with default options; aborts the calling test where none is usable */
  static Backend openOrSkip() {
    CudaBackendProvider provider = new CudaBackendProvider();
    Availability a = provider.probe();
    Assumptions.assumeTrue(a.available(), "no usable CUDA device: " + a.reason());
    return provider.open(BackendOptions.defaults());
  }
}
