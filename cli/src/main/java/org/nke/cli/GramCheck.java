package org.nke.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.ForkJoinPool;
import org.nke.exact.KernelPair;
import org.nke.sketch.GramError;

/** {@code nke features --check K}: the sketch's Gram error against the exact kernel, on stderr. */
final class GramCheck {
  private GramCheck() {
  }

  /**
   * Relative Gram error of the features of the randomly picked points against the exact kernel,
   * with the exact kernel's time and the comparison's ({@code F Fᵀ}: {@code k² p} multiply-adds).
   */
  static void certify(PrintWriter err, int threads, KernelPair exact, double exactSeconds,
      double[][] f, boolean ntk, String unit) {
    long t0 = System.nanoTime();
    ForkJoinPool pool = new ForkJoinPool(threads);
    double error;
    try {
      // per-row sums added in order: the same number on any number of threads
      error = GramError.relative(ntk ? exact.ntk() : exact.nngp(), f, pool);
    } finally {
      pool.shutdown();
    }
    err.println(String.format(Locale.ROOT, "nke: check on %d random %s: relative Gram error "
        + "%.4f (Frobenius; exact kernel %.2f s, comparison %.2f s)", f.length, unit, error,
        exactSeconds, (System.nanoTime() - t0) / 1e9));
  }
}
