package org.nke.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.nke.spi.Progress;

/**
 * Progress on stderr for work longer than about two seconds: percentage, elapsed and estimated
 * remaining time. On a terminal it is a bar redrawn in place ({@code \r}) at most four times a
 * second; otherwise (a log file, a pipe, CI) a full line every {@value #LINE_SECONDS} seconds, so logs
 * hold no carriage returns. A ticker thread redraws while no units arrive, so the elapsed time moves
 * during a step that reports none, which {@link #phase} names (e.g. the Cholesky after an exact
 * kernel). Thread-safe.
 */
final class ProgressBar implements Progress, AutoCloseable {
  /** Seconds between two lines when stderr is not a terminal. */
  static final int LINE_SECONDS = 5;
  private static final long SHOW_AFTER_NANOS = 2_000_000_000L;
  private static final long REDRAW_NANOS = 250_000_000L;
  private static final long LINE_NANOS = LINE_SECONDS * 1_000_000_000L;
  private static final int WIDTH = 30;

  private final PrintWriter err;
  private final String label;
  private final long total;
  private final boolean enabled;
  private final boolean terminal;
  private final long start;
  private final AtomicLong done = new AtomicLong();
  private final Thread ticker;
  private volatile long lastDraw;
  private volatile boolean drawn;
  private volatile boolean complete;
  private volatile String phase;
  private int lastWidth;

  /**
   * A bar drawn in place when stderr is a terminal ({@link #stderrIsTerminal()}), as lines otherwise.
   *
   * @param err where it is drawn
   * @param label what is measured, e.g. {@code cntk}
   * @param total units of the whole work
   * @param enabled {@code false} for {@code --quiet}
   */
  ProgressBar(PrintWriter err, String label, long total, boolean enabled) {
    this(err, label, total, enabled, stderrIsTerminal(), System.nanoTime());
  }

  /**
   * @param terminal draw in place with {@code \r} (else full lines)
   * @param start the {@link System#nanoTime} the work started at (tests pass an earlier one)
   */
  ProgressBar(PrintWriter err, String label, long total, boolean enabled, boolean terminal,
      long start) {
    this.err = err;
    this.label = label;
    this.total = Math.max(1, total);
    this.enabled = enabled;
    this.terminal = terminal;
    this.start = start;
    this.ticker = enabled ? new Thread(this::tick, "nke-progress") : null;
    if (ticker != null) {
      ticker.setDaemon(true);
      ticker.start();
    }
  }

  /**
   * Whether stderr is a terminal: the {@code ./nke} launcher says so in {@code -Dnke.stderr.tty}
   * ({@code [[ -t 2 ]]}); without it, where {@code /proc/self/fd/2} points (Linux).
   */
  static boolean stderrIsTerminal() {
    String said = System.getProperty("nke.stderr.tty");
    if (said != null) {
      return Boolean.parseBoolean(said);
    }
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (Exception | Error e) {
      return false;
    }
  }

  @Override
  public void advance(long units) {
    done.addAndGet(units);
    if (enabled) {
      redraw(System.nanoTime());
    }
  }

  @Override
  public void phase(String what) {
    phase = what;
    lastDraw = 0; // a new step shows at once
    if (enabled) {
      redraw(System.nanoTime());
    }
  }

  /** Redraws once a second while nothing else does, until closed. */
  private void tick() {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        Thread.sleep(1000);
        redraw(System.nanoTime());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void redraw(long now) {
    long every = terminal ? REDRAW_NANOS : LINE_NANOS;
    if (now - start < SHOW_AFTER_NANOS || now - lastDraw < every) {
      return;
    }
    synchronized (this) {
      if (complete || now - lastDraw < every) {
        return;
      }
      lastDraw = now;
      draw(Math.min(done.get(), total), now);
    }
  }

  private void draw(long d, long now) {
    double f = (double) d / total;
    double elapsed = (now - start) / 1e9;
    String after = phase != null ? ", " + phase
        : f > 0.01 && f < 1 ? String.format(Locale.ROOT, ", ~%s left", time(elapsed * (1 - f) / f)) : "";
    if (terminal) {
      int filled = (int) Math.round(f * WIDTH);
      String line = String.format(Locale.ROOT, "\r%s [%s%s] %3.0f%% %s elapsed%s", label,
          "#".repeat(filled), ".".repeat(WIDTH - filled), 100 * f, time(elapsed), after);
      int width = line.length();
      err.print(line + " ".repeat(Math.max(0, lastWidth - width)));
      lastWidth = width;
    } else if (phase != null && f >= 1) { // the counted work is done: say only what runs now
      err.println(String.format(Locale.ROOT, "nke: %s %s elapsed%s", label, time(elapsed), after));
    } else {
      err.println(String.format(Locale.ROOT, "nke: %s %3.0f%% %s elapsed%s", label, 100 * f,
          time(elapsed), after));
    }
    err.flush();
    drawn = true;
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
    if (drawn && terminal) {
      err.print("\r" + " ".repeat(lastWidth) + "\r");
      lastDraw = 0;
    }
    err.println(line);
    err.flush();
  }

  @Override
  public void close() {
    if (ticker != null) {
      ticker.interrupt();
    }
    synchronized (this) {
      if (drawn && !complete) {
        phase = null;
        draw(total, System.nanoTime());
        if (terminal) {
          err.println();
        }
        err.flush();
      }
      complete = true;
    }
  }
}
