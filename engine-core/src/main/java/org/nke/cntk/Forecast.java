package org.nke.cntk;

import java.util.function.Consumer;
import org.nke.spi.Progress;

/**
 * Passes progress (units = image pairs) on and reports one {@link CostEstimate} as early as it is
 * meaningful: once {@value #WARMUP_NANOS} ns of work have been timed (the JIT has compiled the loops
 * by then), or when {@link #flush()} is called at the end of the diagonal recursion, whichever comes
 * first. Thread-safe.
 */
final class Forecast implements Progress {
  private static final long WARMUP_NANOS = 2_000_000_000L;

  private final Progress next;
  private final Consumer<CostEstimate> sink;
  private final long total;
  private final long start = System.nanoTime();
  private long done;
  private boolean reported;

  /**
   * @param next progress sink to pass units on to
   * @param sink receives the estimate
   * @param total pairs of the whole computation
   */
  Forecast(Progress next, Consumer<CostEstimate> sink, long total) {
    this.next = next;
    this.sink = sink;
    this.total = total;
  }

  @Override
  public void advance(long units) {
    next.advance(units);
    synchronized (this) {
      done += units;
      if (System.nanoTime() - start >= WARMUP_NANOS) {
        report();
      }
    }
  }

  /** Reports now if nothing was reported yet. */
  synchronized void flush() {
    report();
  }

  private void report() {
    if (!reported && done > 0) {
      reported = true;
      double perPair = (System.nanoTime() - start) / 1e9 / done;
      long left = total - done;
      sink.accept(new CostEstimate(left, perPair, left * perPair));
    }
  }
}
