package org.nke.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nke.Sketches;
import org.nke.cuda.CudaBackend;
import org.nke.sketch.SketchPlan;
import org.nke.spi.Backend;
import org.nke.spi.BackendOptions;
import org.nke.spi.Backends;
import org.nke.spi.Precision;
import org.nke.spi.Progress;

/**
 * Timing of dense sketch features (NTK by default, ReLU network), CPU against CUDA on the same
 * machine and with the same plan (the same host draws), one CSV row per (n, backend): seconds, points
 * per second, speed-up over the CPU, relative Frobenius difference of the features from the CPU's.
 * {@code cuda-f32} computes the device features in float32. Used by {@code bench/gpu/run.sh}.
 * Arguments {@code key=value}: {@code n=10000,50000 cpuMaxN=10000 d=100 m=4096 kind=ntk
 * backends=cpu,cuda,cuda-f32 arch=<architecture> out=sketch.csv}.
 */
public final class SketchTiming {
  private SketchTiming() {
  }

  /** @param args {@code key=value} settings (see the class comment) */
  public static void main(String[] args) throws IOException {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("n", "10000,50000");
    a.put("cpuMaxN", "10000");
    a.put("d", "100");
    a.put("m", "4096");
    a.put("kind", "ntk");
    a.put("backends", "cpu,cuda,cuda-f32");
    a.put("arch", "Dense(W_std=1.5, b_std=0.1), Relu(), Dense(W_std=1.5, b_std=0.1), Relu(), "
        + "Dense(W_std=1.5, b_std=0.1), Relu(), Dense(W_std=1.5)");
    a.put("out", "sketch.csv");
    for (String s : args) {
      int eq = s.indexOf('=');
      a.put(s.substring(0, eq), s.substring(eq + 1));
    }
    int d = Integer.parseInt(a.get("d"));
    int m = Integer.parseInt(a.get("m"));
    boolean ntk = a.get("kind").equalsIgnoreCase("ntk");
    int cpuMax = Integer.parseInt(a.get("cpuMaxN"));
    List<String> rows = new ArrayList<>();
    rows.add("arch,n,d,m,kind,features,backend,device,seconds,points_per_second,speedup_vs_cpu,"
        + "rel_frobenius_vs_cpu,note");
    print(rows.get(0));
    for (String ns : a.get("n").split(",")) {
      int n = Integer.parseInt(ns.trim());
      double[][] x = Cases.points(n, d, 1, 7);
      SketchPlan plan = Sketches.of(a.get("arch")).withDim(m).plan(x, ntk);
      double cpuSeconds = Double.NaN;
      double[][] cpu = null;
      for (String backend : a.get("backends").split(",")) {
        String row;
        if (backend.equals("cpu") && n > cpuMax) {
          row = row(a, n, plan, backend, "", Double.NaN, Double.NaN, Double.NaN, "skipped: n > cpuMaxN");
        } else {
          boolean f32 = backend.endsWith("-f32");
          try (Backends.Selection s = Backends.open(f32 ? backend.substring(0, backend.length() - 4)
              : backend, BackendOptions.defaults())) {
            Backend b = s.backend();
            features(b, plan, java.util.Arrays.copyOf(x, 64), f32);
            long t0 = System.nanoTime();
            double[][] f = features(b, plan, x, f32);
            double seconds = (System.nanoTime() - t0) * 1e-9;
            if (backend.equals("cpu")) {
              cpuSeconds = seconds;
              cpu = f;
            }
            double err = cpu == null || backend.equals("cpu") ? Double.NaN : Frobenius.relative(cpu, f);
            String note = b instanceof CudaBackend c && !c.fallbacks().isEmpty()
                ? String.join("; ", c.fallbacks()) : "";
            row = row(a, n, plan, backend, b.device(), seconds, cpuSeconds / seconds, err, note);
          } catch (RuntimeException e) {
            row = row(a, n, plan, backend, "", Double.NaN, Double.NaN, Double.NaN, "failed: " + e);
          }
        }
        rows.add(row);
        print(row);
      }
    }
    Files.write(Path.of(a.get("out")), rows);
  }

  private static double[][] features(Backend b, SketchPlan plan, double[][] x, boolean f32) {
    if (f32 && b instanceof CudaBackend c) {
      double[][] f = c.features(plan, x, Precision.F32, Progress.NONE);
      if (f != null) {
        return f;
      }
    }
    return Sketches.features(b, plan, x, Progress.NONE);
  }

  private static String row(Map<String, String> a, int n, SketchPlan plan, String backend,
      String device, double seconds, double speedup, double err, String note) {
    return String.format(Locale.ROOT, "\"%s\",%d,%s,%s,%s,%d,%s,\"%s\",%.4f,%.1f,%.2f,%.3e,\"%s\"",
        a.get("arch"), n, a.get("d"), a.get("m"), a.get("kind"), plan.outputDim(), backend,
        device.replace("\"", "'"), seconds, n / seconds, speedup, err, note.replace("\"", "'"));
  }

  private static void print(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
