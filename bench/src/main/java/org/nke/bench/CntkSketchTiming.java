package org.nke.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nke.Sketches;
import org.nke.ir.ImageBatch;
import org.nke.sketch.CntkSketch;
import org.nke.spi.Backend;
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
    Map<String, String> a = FeatureTiming.settings(args, "n", "64,512", "cpuMaxN", "64",
        "m", "2048", "hw", "32", "c", "3", "kind", "ntk", "backends", "cpu,cuda,cuda-f32",
        "arch", "Myrtle5", "out", "cntk-sketch.csv");
    int hw = Integer.parseInt(a.get("hw"));
    int c = Integer.parseInt(a.get("c"));
    int cpuMax = Integer.parseInt(a.get("cpuMaxN"));
    boolean ntk = a.get("kind").equalsIgnoreCase("ntk");
    List<String> rows = new ArrayList<>();
    rows.add("arch,images,m,kind,features,backend,device,seconds,images_per_second,"
        + "speedup_vs_cpu,rel_frobenius_vs_cpu,note");
    FeatureTiming.print(rows.get(0));
    for (String ns : a.get("n").split(",")) {
      int n = Integer.parseInt(ns.trim());
      ImageBatch x = CntkTiming.images(n, hw, c);
      CntkSketch plan = Sketches.of(a.get("arch")).withDim(Integer.parseInt(a.get("m"))).withSeed(1)
          .plan(x, ntk);
      for (FeatureTiming.Measured r : FeatureTiming.acrossBackends(a.get("backends"), n, cpuMax,
          (b, f32, warmUp) -> features(b, plan, warmUp ? x.slice(0, Math.min(n, 2)) : x, f32))) {
        String row = String.format(Locale.ROOT, "%s,%d,%s,%s,%d,%s,%s,%.4f,%.2f,%.2f,%.3e,%s",
            FeatureTiming.quoted(a.get("arch")), n, a.get("m"), a.get("kind"), plan.outputDim(),
            r.backend(), FeatureTiming.quoted(r.device()), r.seconds(), n / r.seconds(),
            r.speedup(), r.err(), FeatureTiming.quoted(r.note()));
        rows.add(row);
        FeatureTiming.print(row);
      }
    }
    Files.write(Path.of(a.get("out")), rows);
  }

  private static double[][] features(Backend b, CntkSketch plan, ImageBatch x, boolean f32) {
    double[][] f = f32 ? b.features(plan, x, Precision.F32, Progress.NONE) : null;
    if (f != null) {
      return f;
    }
    return Sketches.features(b, plan, x, Progress.NONE);
  }
}
