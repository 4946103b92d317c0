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
}
