package org.nke.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nke.spi.Backend;
import org.nke.spi.BackendOptions;
import org.nke.spi.Backends;

/**
 * The measurement loop shared by the feature timings of {@code bench/gpu/run.sh}
 * ({@link SketchTiming}, {@link CntkSketchTiming}): the same input and plan on every backend in
 * turn, {@code cpu} first as the reference; a backend name ending in {@code -f32} asks the device for
 * float32 features. Each backend computes once to warm up (JIT, PTX load, first allocations), then
 * once timed; the result is compared with the CPU's by the relative Frobenius difference.
 */
final class FeatureTiming {
  private FeatureTiming() {
  }

  /** Features of the timed input (or a small warm-up input) on one backend. */
  interface Features {
    /**
     * @param b the open backend
     * @param f32 whether float32 device features were asked for
     * @param warmUp whether this is the warm-up call
     * @return one feature row per input
     */
    double[][] compute(Backend b, boolean f32, boolean warmUp);
  }

  /**
   * One (size, backend) row.
   *
   * @param backend the backend as named in the arguments
   * @param device the device it ran on ("" when it did not run)
   * @param seconds the timed call, NaN when it did not run
   * @param speedup the CPU's seconds over these
   * @param err relative Frobenius difference from the CPU's features (NaN for the CPU itself)
   * @param note fallbacks recorded by the backend, why it was skipped, or why it failed
   */
  record Measured(String backend, String device, double seconds, double speedup, double err,
      String note) {
  }

  /**
   * @param args {@code key=value} arguments
   * @param defaults alternating keys and default values
   * @return the settings, defaults overridden by the arguments
   */
  static Map<String, String> settings(String[] args, String... defaults) {
    Map<String, String> a = new LinkedHashMap<>();
    for (int i = 0; i + 1 < defaults.length; i += 2) {
      a.put(defaults[i], defaults[i + 1]);
    }
    for (String s : args) {
      int eq = s.indexOf('=');
      a.put(s.substring(0, eq), s.substring(eq + 1));
    }
    return a;
  }

  /**
   * @param backends comma-separated backend names ({@code cpu}, {@code cuda}, {@code cuda-f32})
   * @param n the input size
   * @param cpuMax the largest size the CPU runs (the slower reference)
   * @param f the computation
   * @return one row per backend, in order
   */
  static List<Measured> acrossBackends(String backends, int n, int cpuMax, Features f) {
    List<Measured> out = new ArrayList<>();
    double cpuSeconds = Double.NaN;
    double[][] cpu = null;
    for (String backend : backends.split(",")) {
      if (backend.equals("cpu") && n > cpuMax) {
        out.add(new Measured(backend, "", Double.NaN, Double.NaN, Double.NaN,
            "skipped: n > cpuMaxN"));
        continue;
      }
      boolean f32 = backend.endsWith("-f32");
      String name = f32 ? backend.substring(0, backend.length() - 4) : backend;
      try (Backends.Selection s = Backends.open(name, BackendOptions.defaults())) {
        Backend b = s.backend();
        f.compute(b, f32, true);
        long t0 = System.nanoTime();
        double[][] got = f.compute(b, f32, false);
        double seconds = (System.nanoTime() - t0) * 1e-9;
        if (backend.equals("cpu")) {
          cpuSeconds = seconds;
          cpu = got;
        }
        double err = cpu == null || backend.equals("cpu") ? Double.NaN
            : Frobenius.relative(cpu, got);
        String note = String.join("; ", b.fallbacks());
        out.add(new Measured(backend, b.device(), seconds, cpuSeconds / seconds, err, note));
      } catch (RuntimeException e) {
        out.add(new Measured(backend, "", Double.NaN, Double.NaN, Double.NaN, "failed: " + e));
      }
    }
    return out;
  }

  /** @param s a CSV field's text @return it quoted, inner quotes as apostrophes */
  static String quoted(String s) {
    return "\"" + s.replace("\"", "'") + "\"";
  }

  static void print(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
