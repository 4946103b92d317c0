package org.nke.cntk;

import java.util.function.Consumer;
import org.nke.spi.Progress;

/**
 * Passes progress (units = image pairs) on and reports one {@link CostEstimate} once the rate has
 * settled: the seconds per pair of the last {@value #WINDOW} batches within {@value #SETTLED}× of the
 * {@value #WINDOW} before them, after at least {@value #WARMUP_NANOS} ns; or, if it never settles, at
 * {@value #DEADLINE_NANOS} ns with the rate of the last batches; or at {@link #flush()} for a short
 * diagonal recursion. Thread-safe.
 *
 * <p>Calibration (docs/design-notes.md, "CNTK time estimate"): the first batches run in the
 * interpreter and C1 code, up to 7× slower per pair than the steady rate (Myrtle-5, 20 images 32×32,
 * 2 cores: 0.4 s per pair for the first 6 pairs, 0.065 s from the 20th on); the rate over the whole
 * elapsed time, which the estimate used before, came out 4.5–5.6× high. Only the recent rate, once
 * it stops improving, predicts the rest.
 */
final class Forecast implements Progress {
  /** No estimate before this much work: a few batches are needed to see a rate at all. */
  private static final long WARMUP_NANOS = 2_000_000_000L;
  /** The estimate is given by then even if the rate still moves (a noisy, shared machine). */
  private static final long DEADLINE_NANOS = 20_000_000_000L;
  /** Batches per window of the settled test. */
  private static final int WINDOW = 4;
  /** Settled when the previous window took at most this many times the last one per pair. */
  private static final double SETTLED = 1.25;

  private final Progress next;
  private final Consumer<CostEstimate> sink;
  private final long total;
  private final long start = System.nanoTime();
  /** Time and pairs done at the last {@code 2 WINDOW + 1} batch ends, a ring. */
  private final long[] times = new long[2 * WINDOW + 1];
  private final long[] dones = new long[2 * WINDOW + 1];
  private int batches;
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
    times[0] = start;
  }

  @Override
  public void advance(long units) {
    next.advance(units);
    synchronized (this) {
      long now = System.nanoTime();
      done += units;
      batches++;
      times[batches % times.length] = now;
      dones[batches % times.length] = done;
      if (reported || now - start < WARMUP_NANOS || batches < 2 * WINDOW) {
        return;
      }
      double last = perPair(batches - WINDOW, batches);
      double before = perPair(batches - 2 * WINDOW, batches - WINDOW);
      if (before <= SETTLED * last || now - start >= DEADLINE_NANOS) {
        report(last);
      }
    }
  }

  /**
   * The end of the diagonal recursion: reports now, with the rate of its last batches, if it was
   * short (under {@value #WARMUP_NANOS} ns) or if fewer pairs follow than it had (too few batches to
   * wait for a settled rate), so that small computations get their estimate too; otherwise waits
   * for the settled rate of the pairs that follow.
   */
  synchronized void flush() {
    if (!reported && batches > 0
        && (System.nanoTime() - start < WARMUP_NANOS || total - done <= done)) {
      report(perPair(Math.max(0, batches - WINDOW), batches));
    }
  }

  private void report(double perPair) {
    reported = true;
    long left = total - done;
    sink.accept(new CostEstimate(left, perPair, left * perPair));
  }

  @Override
  public void phase(String what) {
    next.phase(what);
  }

  /** Seconds per pair between the ends of batches {@code a} and {@code b} (within the ring). */
  private double perPair(int a, int b) {
    int i = a % times.length;
    int j = b % times.length;
    return (times[j] - times[i]) / 1e9 / Math.max(1, dones[j] - dones[i]);
  }
}
