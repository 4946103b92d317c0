package org.nke.bench.suites;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nke.bench.report.LineChart;
import org.nke.Kernels;
import org.nke.Sketches;
import org.nke.bench.BenchCase;
import org.nke.bench.BenchResult;
import org.nke.bench.Cases;
import org.nke.bench.Suite;
import org.nke.bench.report.Charts;
import org.nke.exact.ExactKernel.Kind;
import org.nke.sketch.SketchPlan;
import org.nke.spi.BackendOptions;
import org.nke.spi.Backends;
import org.nke.spi.Progress;

/**
 * How the NTK sketch scales with {@code n} (points streamed in blocks of 1,024, generated on the fly,
 * features discarded — the memory of {@code nke features} without the disk) against the exact NTK
 * where it fits; the crossover {@code n*} where the sketch becomes cheaper is reported from a fit of
 * the exact time to {@code a n²} and the sketch time to {@code b n}.
 */
public final class ScaleSuite implements Suite {
  static final int M = 4096;
  static final int BLOCK = 1024;

  @Override
  public String name() {
    return "scale";
  }

  @Override
  public String description() {
    return "NTK sketch time and peak memory vs n (streamed), exact NTK where it fits, crossover n*";
  }

  @Override
  public List<BenchCase> cases(boolean quick) {
    String arch = DenseSuite.arch("Gelu()");
    int[] ns = quick ? new int[] {10_000, 20_000, 40_000}
        : new int[] {10_000, 20_000, 40_000, 80_000, 160_000};
    int[] exactNs = quick ? new int[] {2_000, 5_000, 10_000} : new int[] {2_000, 5_000, 10_000, 20_000};
    List<BenchCase> cases = new ArrayList<>();
    for (int n : exactNs) {
      Map<String, Object> p = params("exact", n);
      double[][] x = Cases.points(n, DenseSuite.D, 1, 17);
      cases.add(one(Cases.of("exact NTK n=" + n, p, () -> {
        Kernels.of(arch).withBackend("cpu").compute(x, null, Kind.NTK);
        return null;
      }, r -> Map.of(), (double) n * (n + 1) / 2, "pairs", Double.NaN, Double.NaN)));
    }
    SketchPlan plan = Sketches.of(arch).withDim(M).plan(Cases.points(256, DenseSuite.D, 1, 17), true);
    for (int n : ns) {
      Map<String, Object> p = params("sketch", n);
      cases.add(one(Cases.of("sketch NTK n=" + n, p, () -> {
        try (Backends.Selection s = Backends.open("cpu", BackendOptions.defaults())) {
          for (int start = 0; start < n; start += BLOCK) {
            double[][] block = Cases.points(Math.min(BLOCK, n - start), DenseSuite.D, 1, 1000 + start);
            Sketches.features(s.backend(), plan, block, Progress.NONE);
          }
        }
        return null;
      }, r -> Map.of("features", plan.outputDim()), n, "points", Double.NaN, Double.NaN)));
    }
    return cases;
  }

  /** Long cases run once after the warm-up. */
  static BenchCase one(BenchCase c) {
    return new BenchCase() {
      @Override
      public String name() {
        return c.name();
      }

      @Override
      public Map<String, Object> params() {
        return c.params();
      }

      @Override
      public Object run() throws Exception {
        return c.run();
      }

      @Override
      public Map<String, Object> evaluate(Object result) {
        return c.evaluate(result);
      }

      @Override
      public double units() {
        return c.units();
      }

      @Override
      public String unit() {
        return c.unit();
      }

      @Override
      public int repetitions() {
        return 1;
      }

      @Override
      public boolean warmUp() {
        return false;
      }
    };
  }

  private static Map<String, Object> params(String method, int n) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("backend", "cpu");
    p.put("dtype", "float64");
    p.put("method", method);
    p.put("activation", "Gelu()");
    p.put("n", n);
    p.put("d", DenseSuite.D);
    p.put("m", method.equals("sketch") ? M : 0);
    return p;
  }

  /**
   * @param results this suite's results
   * @return {@code {a, b, n*}} with exact time {@code a n²} and sketch time {@code b n}
   */
  public static double[] crossover(List<BenchResult> results) {
    double num = 0;
    double den = 0;
    double sb = 0;
    double sn = 0;
    for (BenchResult r : results) {
      if (r.failure() != null) {
        continue;
      }
      double n = ((Integer) r.params().get("n")).doubleValue();
      if (r.params().get("method").equals("exact")) {
        num += r.seconds() * n * n;
        den += n * n * n * n;
      } else {
        sb += r.seconds() * n;
        sn += n * n;
      }
    }
    double a = num / den;
    double b = sb / sn;
    return new double[] {a, b, b / a};
  }

  @Override
  public void plot(List<BenchResult> results, Path dir) throws IOException {
    LineChart c = Charts.chart("NTK: exact (quadratic) vs sketch m=" + M + " (linear), CPU", "points n",
        "seconds", true, true);
    Map<String, List<double[]>> lines = new LinkedHashMap<>();
    for (BenchResult r : results) {
      if (r.failure() == null) {
        lines.computeIfAbsent((String) r.params().get("method"), k -> new ArrayList<>())
            .add(new double[] {((Integer) r.params().get("n")).doubleValue(), r.seconds()});
      }
    }
    lines.forEach((k, v) -> Charts.series(c, k, DenseSuite.col(v, 0), DenseSuite.col(v, 1), false));
    double[] fit = crossover(results);
    double[] n = {1000, 320_000};
    Charts.series(c, "exact fit a n^2", n, new double[] {fit[0] * n[0] * n[0], fit[0] * n[1] * n[1]},
        true);
    Charts.series(c, "sketch fit b n", n, new double[] {fit[1] * n[0], fit[1] * n[1]}, true);
    Charts.save(List.of(c), dir.resolve("scale.png"));
  }
}
