package org.nke.spi;

/**
 * Receives progress of long computations in abstract units (e.g. kernel rows per layer). Must be
 * thread-safe: backends report from worker threads.
 */
@FunctionalInterface
public interface Progress {
  /** A sink that ignores progress. */
  Progress NONE = units -> { };

  /** @param units units completed since the last call */
  void advance(long units);

  /**
   * Names a step that reports no units (e.g. a Cholesky factorisation after the kernel), so that a
   * display can say what is happening instead of standing still. Ignored by default.
   *
   * @param what the step, e.g. {@code "solving (Cholesky of 2000 x 2000)"}
   */
  default void phase(String what) {
  }
}
