package org.nke.cli;

import org.nke.exact.WorkEstimate;
import org.nke.spi.Backend;
import org.nke.spi.BackendOptions;
import org.nke.spi.Backends;
import org.nke.spi.Precision;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Options shared by the computing commands ({@code shared/spec/cli.md}, "Common options"). */
final class CommonOptions {
  @Option(names = "--backend", paramLabel = "auto|cpu|cuda",
      description = "Backend (default: auto = CUDA when usable, else CPU; also -Dnke.backend, NKE_BACKEND).")
  String backend;

  @Option(names = "--dtype", paramLabel = "float64|float32",
      description = "Precision (default: float64 on cpu, float32 on cuda).")
  String dtype;

  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  Integer threads;

  /** Checked while the command line is parsed, before any work. */
  @Option(names = "--threads", paramLabel = "N", description = "CPU worker threads (default: all cores).")
  void setThreads(Integer n) {
    if (n != null && n < 1) {
      throw new ParameterException(mixee.commandLine(), "--threads must be at least 1, got " + n);
    }
    threads = n;
  }

  @Option(names = "--seed", paramLabel = "S", description = "Seed of random sketches (default: 0).")
  long seed;

  @Option(names = "--quiet", description = "No progress bar.")
  boolean quiet;

  @Option(names = "--verbose", description = "Say which backend was chosen and why, also when auto "
      + "takes the CPU of a machine without a GPU (said anyway for a GPU, or when one was skipped "
      + "for a failure).")
  boolean verbose;

  BackendOptions backendOptions() {
    BackendOptions o = BackendOptions.defaults();
    if (threads != null) {
      o = o.withThreads(threads);
    }
    return o;
  }

  /** Opens the backend and says on stderr which one was chosen when that is news (or --verbose). */
  Backends.Selection open(java.io.PrintWriter err) {
    Backends.Selection s = Backends.open(backend, backendOptions());
    if (verbose || worthSaying(s)) {
      err.println("nke: " + s.reason());
    }
    return s;
  }

  /**
   * @return whether a selection is news: a backend other than the CPU, or one skipped for a reason
   *     other than the machine having no NVIDIA driver (a GPU that is there but unusable)
   */
  static boolean worthSaying(Backends.Selection s) {
    return !s.backend().name().equals("cpu")
        || s.skipped().stream().anyMatch(r -> !r.contains("no NVIDIA driver"));
  }

  /**
   * Says on stderr, in one line before an exact kernel starts, what it will take: the flops and peak
   * memory folded from the layers' cost rules ({@link WorkEstimate#describe}). No time: a flop rate
   * would need a per-machine, per-layer constant (docs/design-notes.md, "CNTK time estimate"); the
   * measured estimate of a CNTK follows once its rate has settled.
   *
   * @param err stderr
   * @param what e.g. {@code "exact NTK of 20 x 20 images"}
   * @param e the estimate
   */
  static void sayEstimate(java.io.PrintWriter err, String what, WorkEstimate e) {
    err.println("nke: " + what + ": " + e.describe() + " (up-front estimate)");
    err.flush();
  }

  Precision precision(Backend b) {
    if (dtype == null) {
      return b.defaultPrecision();
    }
    try {
      return Precision.parse(dtype);
    } catch (IllegalArgumentException e) {
      throw new org.nke.error.NkeException(e.getMessage(), 2, e);
    }
  }
}
