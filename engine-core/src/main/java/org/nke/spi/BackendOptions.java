package org.nke.spi;

/**
 * Settings for opening a backend.
 *
 * @param threads worker threads for the CPU backend, at least 1
 * @param parallelThreshold problems with fewer kernel entries than this run on one thread
 */
public record BackendOptions(int threads, long parallelThreshold) {
  /** Entries below which a kernel block is computed on the calling thread. */
  public static final long DEFAULT_PARALLEL_THRESHOLD = 4096;

  /** @param threads worker threads; @param parallelThreshold single-thread cut-off */
  public BackendOptions {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
  }

  /** @return all available processors, default threshold */
  public static BackendOptions defaults() {
    return new BackendOptions(Runtime.getRuntime().availableProcessors(), DEFAULT_PARALLEL_THRESHOLD);
  }

  /**
   * @param n worker threads
   * @return these options with {@code n} threads
   */
  public BackendOptions withThreads(int n) {
    return new BackendOptions(n, parallelThreshold);
  }
}
