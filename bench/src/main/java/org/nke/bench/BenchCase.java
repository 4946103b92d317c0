package org.nke.bench;

import java.util.Map;

/**
 * One measured case of a suite: a timed operation plus, untimed, what it is worth (accuracy against
 * the exact kernel or downstream). Work counts are stated by the case so that achieved rates can be
 * compared with a machine's ceilings.
 */
public interface BenchCase {
  /** @return a short name, unique in its suite */
  String name();

  /** @return the grid coordinates: backend, dtype, n, d, arch, activation, m, … */
  Map<String, Object> params();

  /**
   * The timed operation.
   *
   * @return its result (passed to {@link #evaluate})
   * @throws Exception anything; the case is then reported as failed
   */
  Object run() throws Exception;

  /**
   * Untimed evaluation of the last result.
   *
   * @param result what {@link #run()} returned
   * @return metrics, e.g. {@code gram_error}, {@code accuracy}
   */
  default Map<String, Object> evaluate(Object result) {
    return Map.of();
  }

  /** @return work units per run (pairs or points), or NaN */
  default double units() {
    return Double.NaN;
  }

  /** @return the unit's name, e.g. {@code pairs} or {@code points} */
  default String unit() {
    return "items";
  }

  /** @return floating-point operations per run by the stated count, or NaN */
  default double flops() {
    return Double.NaN;
  }

  /** @return bytes moved per run by the stated count, or NaN */
  default double bytes() {
    return Double.NaN;
  }

  /** @return repetitions for this case (long cases may ask for fewer), or 0 for the runner's default */
  default int repetitions() {
    return 0;
  }

  /** @return whether to run once untimed first (long cases skip it) */
  default boolean warmUp() {
    return true;
  }
}
