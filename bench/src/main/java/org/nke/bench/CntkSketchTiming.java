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
import org.nke.io.ImageBatch;
import org.nke.sketch.CntkSketch;
import org.nke.spi.Backend;
import org.nke.spi.BackendOptions;
import org.nke.spi.Backends;
import org.nke.spi.Precision;
import org.nke.spi.Progress;

/**
 * Timing of the CNTK sketch features (Myrtle-5 NTK by default) on random 32 × 32 × 3 images, CPU
 * against CUDA on the same machine, the same plan (the same random draws) on every backend: one CSV
 * row per (images, backend) with seconds, images per second, the speed-up over the CPU and the
 * relative Frobenius difference of the feature matrix from the CPU's. {@code cuda} is float64,
 * {@code cuda-f32} float32 feature rows. Used by {@code bench/gpu/run.sh}. Arguments
 * {@code key=value}: {@code n=64,512 cpuMaxN=64 m=2048 hw=32 c=3 kind=ntk
 * backends=cpu,cuda,cuda-f32 arch=Myrtle5 out=cntk-sketch.csv}.
 */
public final class CntkSketchTiming {
  private CntkSketchTiming() {
  }

  /** @param args {@code key=value} settings (see the class comment) */
  public static void main(String[] args) throws IOException {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("n", "64,512");
    a.put("cpuMaxN", "64");
    a.put("m", "2048");
    a.put("hw", "32");
    a.put("c", "3");
    a.put("kind", "ntk");
    a.put("backends", "cpu,cuda,cuda-f32");
    a.put("arch", "Myrtle5");
    a.put("out", "cntk-sketch.csv");
    for (String s : args) {
      int eq = s.indexOf('=');
      a.put(s.substring(0, eq), s.substring(eq + 1));
    }
    int hw = Integer.parseInt(a.get("hw"));
    int c = Integer.parseInt(a.get("c"));
    int cpuMax = Integer.parseInt(a.get("cpuMaxN"));
    boolean ntk = a.get("kind").equalsIgnoreCase("ntk");
    List<String> rows = new ArrayList<>();
    rows.add("arch,images,m,kind,features,backend,device,seconds,images_per_second,"
        + "speedup_vs_cpu,rel_frobenius_vs_cpu,note");
    print(rows.get(0));
    for (String ns : a.get("n").split(",")) {
      int n = Integer.parseInt(ns.trim());
      ImageBatch x = CntkTiming.images(n, hw, c);
      CntkSketch plan = Sketches.of(a.get("arch")).withDim(Integer.parseInt(a.get("m"))).withSeed(1)
          .plan(x, ntk);
      double cpuSeconds = Double.NaN;
      double[][] cpu = null;
      for (String backend : a.get("backends").split(",")) {
        String row;
        if (backend.equals("cpu") && n > cpuMax) {
          row = row(a, n, plan, backend, "", Double.NaN, Double.NaN, Double.NaN,
              "skipped: n > cpuMaxN");
        } else {
          boolean f32 = backend.endsWith("-f32");
          try (Backends.Selection s = Backends.open(f32 ? backend.substring(0, backend.length() - 4)
              : backend, BackendOptions.defaults())) {
            Backend b = s.backend();
            features(b, plan, x.slice(0, Math.min(n, 2)), f32);
            long t0 = System.nanoTime();
            double[][] f = features(b, plan, x, f32);
            double seconds = (System.nanoTime() - t0) * 1e-9;
            if (backend.equals("cpu")) {
              cpuSeconds = seconds;
              cpu = f;
            }
            double err = cpu == null || backend.equals("cpu") ? Double.NaN
                : Frobenius.relative(cpu, f);
            String note = b instanceof CudaBackend cb && !cb.fallbacks().isEmpty()
                ? String.join("; ", cb.fallbacks()) : "";
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

  private static double[][] features(Backend b, CntkSketch plan, ImageBatch x, boolean f32) {
    if (f32 && b instanceof CudaBackend c) {
      double[][] f = c.features(plan, x, Precision.F32, Progress.NONE);
      if (f != null) {
        return f;
      }
    }
    return Sketches.features(b, plan, x, Progress.NONE);
  }

  private static String row(Map<String, String> a, int n, CntkSketch plan, String backend,
      String device, double seconds, double speedup, double err, String note) {
    return String.format(Locale.ROOT, "\"%s\",%d,%s,%s,%d,%s,\"%s\",%.4f,%.2f,%.2f,%.3e,\"%s\"",
        a.get("arch"), n, a.get("m"), a.get("kind"), plan.outputDim(), backend,
        device.replace("\"", "'"), seconds, n / seconds, speedup, err, note.replace("\"", "'"));
  }

  private static void print(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
