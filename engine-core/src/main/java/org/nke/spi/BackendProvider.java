package org.nke.spi;

/**
 * A backend implementation discovered with {@link java.util.ServiceLoader} from
 * {@code META-INF/services/org.nke.spi.BackendProvider}. Providers must be cheap to construct and must
 * not touch native libraries before {@link #probe()}.
 */
public interface BackendProvider {
  /** @return the name users select it by, e.g. {@code cpu} or {@code cuda} */
  String name();

  /** @return rank for {@code auto}: the highest-priority provider whose probe succeeds wins */
  int priority();

  /**
   * Checks, cheaply, whether the backend can run here. Never throws: a missing driver, device or
   * native library becomes {@link Availability#unavailable(String)} with the reason.
   *
   * @return the availability
   */
  Availability probe();

  /**
   * Opens the backend. Call only after a successful {@link #probe()}.
   *
   * @param options settings
   * @return the backend, to be closed by the caller
   */
  Backend open(BackendOptions options);

  /**
   * Details for {@code nke doctor} beyond the probe: device name, compute capability, driver and
   * library versions. Must not throw.
   *
   * @return lines of diagnostics (empty by default)
   */
  default java.util.List<String> diagnostics() {
    return java.util.List.of();
  }
}
