package org.nke.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.nke.spi.Progress;

/**
 * A progress bar on stderr for work longer than about two seconds: percentage, elapsed and estimated
 * remaining time, redrawn at most four times a second. Thread-safe.
 */
final class ProgressBar implements Progress, AutoCloseable {
  private static final long SHOW_AFTER_NANOS = 2_000_000_000L;
  private static final long REDRAW_NANOS = 250_000_000L;
  private static final int WIDTH = 30;

  private final PrintWriter err;
  private final String label;
  private final long total;
  private final boolean enabled;
  private final long start = System.nanoTime();
  private final AtomicLong done = new AtomicLong();
  private volatile long lastDraw;
  private volatile boolean drawn;
  private volatile boolean complete;
  private int lastWidth;

  ProgressBar(PrintWriter err, String label, long total, boolean enabled) {
    this.err = err;
    this.label = label;
    this.total = Math.max(1, total);
    this.enabled = enabled;
  }

  @Override
  public void advance(long units) {
    long d = done.addAndGet(units);
    if (!enabled) {
      return;
    }
    long now = System.nanoTime();
    if (now - start < SHOW_AFTER_NANOS || now - lastDraw < REDRAW_NANOS) {
      return;
    }
    synchronized (this) {
      if (now - lastDraw < REDRAW_NANOS) {
        return;
      }
      lastDraw = now;
      draw(Math.min(d, total), now);
    }
  }

  private void draw(long d, long now) {
    double f = (double) d / total;
    int filled = (int) Math.round(f * WIDTH);
    double elapsed = (now - start) / 1e9;
    String eta = f > 0.01 ? String.format(Locale.ROOT, ", ~%s left", time(elapsed * (1 - f) / f)) : "";
    String line = String.format(Locale.ROOT, "\r%s [%s%s] %3.0f%% %s elapsed%s   ", label,
        "#".repeat(filled), ".".repeat(WIDTH - filled), 100 * f, time(elapsed), eta);
    lastWidth = line.length();
    err.print(line);
    err.flush();
    drawn = true;
    complete = d >= total;
  }

  private static String time(double s) {
    if (s < 60) {
      return String.format(Locale.ROOT, "%.1fs", s);
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", (int) s / 60, (int) s % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", (int) s / 3600, ((int) s % 3600) / 60);
  }

  /**
   * Prints a line of its own: clears the bar if it is showing; the next update redraws it.
   *
   * @param line the message
   */
  synchronized void message(String line) {
    if (drawn) {
      err.print("\r" + " ".repeat(lastWidth) + "\r");
    }
    err.println(line);
    err.flush();
  }

  @Override
  public synchronized void close() {
    if (drawn) {
      if (!complete) {
        draw(total, System.nanoTime());
      }
      err.println();
      err.flush();
    }
  }
}
