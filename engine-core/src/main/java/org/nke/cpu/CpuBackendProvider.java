package org.nke.cpu;

import org.nke.spi.Availability;
import org.nke.spi.Backend;
import org.nke.spi.BackendOptions;
import org.nke.spi.BackendProvider;

/** The CPU backend: always available, lowest priority, the reference every other backend matches. */
public final class CpuBackendProvider implements BackendProvider {
  /** The name users select it by. */
  public static final String NAME = "cpu";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int priority() {
    return 0;
  }

  @Override
  public Availability probe() {
    return Availability.available(Runtime.getRuntime().availableProcessors() + " CPU cores, Java "
        + Runtime.version().feature());
  }

  @Override
  public Backend open(BackendOptions options) {
    return new CpuBackend(options);
  }
}
