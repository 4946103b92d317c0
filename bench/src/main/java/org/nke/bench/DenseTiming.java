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
import org.nke.exact.ExactKernel;
import org.nke.exact.KernelPair;
import org.nke.spi.BackendOptions;
import org.nke.spi.Backends;
import org.nke.spi.KernelMatrix;
import org.nke.spi.Precision;
import org.nke.spi.Progress;

/**
 * Timing of the exact dense kernel, CPU against CUDA on the same machine, one CSV row per
 * (architecture, n, backend): seconds, speed-up over the CPU and the relative Frobenius difference
 * from the CPU's result. Used by {@code bench/gpu/run.sh}. Arguments are {@code key=value}:
 * {@code n=2000,20000 d=64 dtype=float32 kind=ntk backends=cpu,cuda cpuMaxN=20000 out=rows.csv
 * arch=<architecture>;<architecture>} (architectures separated by ';').
 */
public final class DenseTiming {
  private DenseTiming() {
  }

  /** @param args {@code key=value} settings (see the class comment) */
  public static void main(String[] args) throws IOException {
    Map<String, String> a = FeatureTiming.settings(args, "n", "2000,10000,20000", "d", "64",
        "dtype", "float32", "kind", "ntk", "backends", "cpu,cuda", "cpuMaxN", "20000",
        "out", "dense-timing.csv",
        "arch", "Dense(W_std=1.5, b_std=0.1), Relu(), Dense(W_std=1.5, b_std=0.1), Relu(), "
            + "Dense(W_std=1.5);Dense(W_std=1.2, b_std=0.2), Erf(), Dense(W_std=1.2), Gelu(), Dense();"
            + "Dense(W_std=1.3, b_std=0.1), Tanh(), Dense(W_std=1.3)");
    Precision p = Precision.parse(a.get("dtype"));
    ExactKernel.Kind kind = ExactKernel.Kind.parse(a.get("kind"));
    int d = Integer.parseInt(a.get("d"));
    int cpuMax = Integer.parseInt(a.get("cpuMaxN"));
    List<String> rows = new ArrayList<>();
    rows.add("arch,n,d,dtype,kind,backend,device,seconds,speedup_vs_cpu,rel_frobenius_vs_cpu,note");
    FeatureTiming.print(rows.get(0));
    for (String arch : a.get("arch").split(";")) {
      Architecture net = Architecture.parse(arch);
      for (String ns : a.get("n").split(",")) {
        int n = Integer.parseInt(ns.trim());
        double[][] x = points(n, d);
        double cpuSeconds = Double.NaN;
        KernelMatrix cpuResult = null;
        for (String backend : a.get("backends").split(",")) {
          String row;
          if (backend.equals("cpu") && n > cpuMax) {
            row = row(arch, n, d, p, kind, backend, "", Double.NaN, Double.NaN, Double.NaN,
                "skipped: n > cpuMaxN");
          } else {
            Result r = run(net, arch, x, d, p, kind, backend, cpuSeconds, cpuResult);
            row = r.row();
            if (backend.equals("cpu") && r.matrix() != null) {
              cpuSeconds = r.seconds();
              cpuResult = r.matrix();
            }
          }
          rows.add(row);
          FeatureTiming.print(row);
        }
      }
    }
    Files.write(Path.of(a.get("out")), rows);
  }

  /** One timing: the CSV row, the result (null on failure) and the seconds. */
  private record Result(String row, KernelMatrix matrix, double seconds) {
  }

  private static Result run(Architecture net, String arch, double[][] x, int d, Precision p,
      ExactKernel.Kind kind, String backend, double cpuSeconds, KernelMatrix cpuResult) {
    try (Backends.Selection s = Backends.open(backend, BackendOptions.defaults())) {
      // warm-up: JIT, PTX load, cuBLAS handle, first allocations
      ExactKernel.compute(net, points(64, d), null, kind, s.backend(), p, Progress.NONE);
      long t0 = System.nanoTime();
      KernelPair k = ExactKernel.compute(net, x, null, kind, s.backend(), p, Progress.NONE);
      double seconds = (System.nanoTime() - t0) * 1e-9;
      KernelMatrix m = kind == ExactKernel.Kind.NNGP ? k.nngp() : k.ntk();
      double err = cpuResult == null ? Double.NaN : Frobenius.relative(cpuResult, m);
      return new Result(row(arch, x.length, d, p, kind, backend, s.backend().device(), seconds,
          cpuSeconds / seconds, err, ""), m, seconds);
    } catch (RuntimeException e) {
      return new Result(row(arch, x.length, d, p, kind, backend, "", Double.NaN, Double.NaN,
          Double.NaN, "failed: " + e.getMessage()), null, Double.NaN);
    }
  }

  private static double[][] points(int n, int d) {
    Random r = new Random(20_000 + n);
    double[][] x = new double[n][d];
    for (double[] row : x) {
      for (int k = 0; k < d; k++) {
        row[k] = r.nextGaussian();
      }
    }
    return x;
  }

  private static String row(String arch, int n, int d, Precision p, ExactKernel.Kind kind,
      String backend, String device, double seconds, double speedup, double err, String note) {
    return String.format(Locale.ROOT, "\"%s\",%d,%d,%s,%s,%s,\"%s\",%.4f,%.2f,%.3e,\"%s\"",
        arch.replace("\"", "'"), n, d, p.dtype(), kind.name().toLowerCase(Locale.ROOT), backend,
        device, seconds, speedup, err, note.replace("\"", "'"));
  }
}
