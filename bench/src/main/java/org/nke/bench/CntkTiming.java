package org.nke.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.nke.arch.Architecture;
import org.nke.cntk.ExactCntk;
import org.nke.exact.ExactKernel;
import org.nke.exact.KernelPair;
import org.nke.ir.ImageBatch;
import org.nke.spi.BackendOptions;
import org.nke.spi.Backends;
import org.nke.spi.KernelMatrix;
import org.nke.spi.Precision;
import org.nke.spi.Progress;

/**
 * Timing of the exact CNTK (Myrtle-5 by default) on random 32 × 32 × 3 images, CPU against CUDA on
 * the same machine, one CSV row per (images, backend): seconds, seconds per image pair (the
 * {@code n(n+1)/2} pairs of the symmetric kernel), the speed-up per pair over the CPU, and the
 * relative Frobenius difference from the CPU's result where both ran on the same images. Used by
 * {@code bench/gpu/run.sh}. Arguments {@code key=value}: {@code n=32,128 cpuMaxN=32 hw=32 c=3
 * kind=ntk backends=cpu,cuda arch=Myrtle5 out=cntk.csv}.
 */
public final class CntkTiming {
  private CntkTiming() {
  }

  /** @param args {@code key=value} settings (see the class comment) */
  public static void main(String[] args) throws IOException {
    Map<String, String> a = FeatureTiming.settings(args, "n", "32,128", "cpuMaxN", "32", "hw", "32",
        "c", "3", "kind", "ntk", "backends", "cpu,cuda", "arch", "Myrtle5", "out", "cntk.csv");
    ExactKernel.Kind kind = ExactKernel.Kind.parse(a.get("kind"));
    int hw = Integer.parseInt(a.get("hw"));
    int c = Integer.parseInt(a.get("c"));
    int cpuMax = Integer.parseInt(a.get("cpuMaxN"));
    Architecture arch = Architecture.parse(a.get("arch"));
    List<String> rows = new ArrayList<>();
    rows.add("arch,images,pairs,hw,c,kind,backend,device,seconds,seconds_per_pair,"
        + "speedup_per_pair_vs_cpu,rel_frobenius_vs_cpu,note");
    FeatureTiming.print(rows.get(0));
    double cpuPerPair = Double.NaN;
    for (String ns : a.get("n").split(",")) {
      int n = Integer.parseInt(ns.trim());
      ImageBatch x = images(n, hw, c);
      KernelMatrix cpu = null;
      for (String backend : a.get("backends").split(",")) {
        String row;
        if (backend.equals("cpu") && n > cpuMax) {
          row = row(a.get("arch"), n, hw, c, kind, backend, "", Double.NaN, Double.NaN, Double.NaN,
              "skipped: n > cpuMaxN");
        } else {
          try (Backends.Selection s = Backends.open(backend, BackendOptions.defaults())) {
            // warm-up: JIT, PTX load, first allocations
            ExactCntk.compute(arch, images(2, hw, c), null, kind, s.backend(), Precision.F64,
                Progress.NONE, e -> { });
            long t0 = System.nanoTime();
            KernelPair k = ExactCntk.compute(arch, x, null, kind, s.backend(), Precision.F64,
                Progress.NONE, e -> { });
            double seconds = (System.nanoTime() - t0) * 1e-9;
            KernelMatrix m = kind == ExactKernel.Kind.NNGP ? k.nngp() : k.ntk();
            double perPair = seconds / pairs(n);
            if (backend.equals("cpu")) {
              cpuPerPair = perPair;
              cpu = m;
            }
            double err = cpu == null || backend.equals("cpu") ? Double.NaN : Frobenius.relative(cpu, m);
            row = row(a.get("arch"), n, hw, c, kind, backend, s.backend().device() + " [" + k.backend()
                + "]", seconds, cpuPerPair / perPair, err, "");
          } catch (RuntimeException e) {
            row = row(a.get("arch"), n, hw, c, kind, backend, "", Double.NaN, Double.NaN, Double.NaN,
                "failed: " + e);
          }
        }
        rows.add(row);
        FeatureTiming.print(row);
      }
    }
    Files.write(Path.of(a.get("out")), rows);
  }

  private static long pairs(long n) {
    return n * (n + 1) / 2;
  }

  /** Reproducible standard-normal images. */
  static ImageBatch images(int n, int hw, int c) {
    Random r = new Random(32_000 + n);
    double[] v = new double[n * hw * hw * c];
    for (int k = 0; k < v.length; k++) {
      v[k] = r.nextGaussian();
    }
    return ImageBatch.of(v, n, hw, hw, c);
  }

  private static String row(String arch, int n, int hw, int c, ExactKernel.Kind kind, String backend,
      String device, double seconds, double speedup, double err, String note) {
    return String.format(Locale.ROOT, "\"%s\",%d,%d,%d,%d,%s,%s,\"%s\",%.4f,%.3e,%.2f,%.3e,\"%s\"", arch,
        n, pairs(n), hw, c, kind.name().toLowerCase(Locale.ROOT), backend, device.replace("\"", "'"),
        seconds, seconds / pairs(n), speedup, err, note.replace("\"", "'"));
  }
}
