package org.nke.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nke.Sketches;
import org.nke.sketch.SketchPlan;
import org.nke.spi.Backend;
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
    Map<String, String> a = FeatureTiming.settings(args, "n", "10000,50000", "cpuMaxN", "10000",
        "d", "100", "m", "4096", "kind", "ntk", "backends", "cpu,cuda,cuda-f32",
        "arch", "Dense(W_std=1.5, b_std=0.1), Relu(), Dense(W_std=1.5, b_std=0.1), Relu(), "
            + "Dense(W_std=1.5, b_std=0.1), Relu(), Dense(W_std=1.5)",
        "out", "sketch.csv");
    int d = Integer.parseInt(a.get("d"));
    int m = Integer.parseInt(a.get("m"));
    boolean ntk = a.get("kind").equalsIgnoreCase("ntk");
    int cpuMax = Integer.parseInt(a.get("cpuMaxN"));
    List<String> rows = new ArrayList<>();
    rows.add("arch,n,d,m,kind,features,backend,device,seconds,points_per_second,speedup_vs_cpu,"
        + "rel_frobenius_vs_cpu,note");
    FeatureTiming.print(rows.get(0));
    for (String ns : a.get("n").split(",")) {
      int n = Integer.parseInt(ns.trim());
      double[][] x = Cases.points(n, d, 1, 7);
      SketchPlan plan = Sketches.of(a.get("arch")).withDim(m).plan(x, ntk);
      for (FeatureTiming.Measured r : FeatureTiming.acrossBackends(a.get("backends"), n, cpuMax,
          (b, f32, warmUp) -> features(b, plan, warmUp ? java.util.Arrays.copyOf(x, 64) : x, f32))) {
        String row = String.format(Locale.ROOT, "%s,%d,%s,%s,%s,%d,%s,%s,%.4f,%.1f,%.2f,%.3e,%s",
            FeatureTiming.quoted(a.get("arch")), n, a.get("d"), a.get("m"), a.get("kind"),
            plan.outputDim(), r.backend(), FeatureTiming.quoted(r.device()), r.seconds(),
            n / r.seconds(), r.speedup(), r.err(), FeatureTiming.quoted(r.note()));
        rows.add(row);
        FeatureTiming.print(row);
      }
    }
    Files.write(Path.of(a.get("out")), rows);
  }

  private static double[][] features(Backend b, SketchPlan plan, double[][] x, boolean f32) {
    double[][] f = f32 ? b.features(plan, x, Precision.F32, Progress.NONE) : null;
    if (f != null) {
      return f;
    }
    return Sketches.features(b, plan, x, Progress.NONE);
  }
}
