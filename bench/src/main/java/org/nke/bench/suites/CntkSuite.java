package org.nke.bench.suites;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.nke.Kernels;
import org.nke.Sketches;
import org.nke.bench.BenchCase;
import org.nke.bench.BenchResult;
import org.nke.bench.Cases;
import org.nke.bench.Suite;
import org.nke.bench.report.Charts;
import org.nke.bench.report.LineChart;
import org.nke.bench.report.MarkdownReport;
import org.nke.exact.ExactKernel.Kind;
import org.nke.ir.ImageBatch;
import org.nke.sketch.CntkSketch;
import org.nke.spi.BackendOptions;
import org.nke.spi.Backends;
import org.nke.spi.KernelMatrix;
import org.nke.spi.Progress;

/**
 * The CNTK issue's headline measurement: Myrtle-5 with ReLU on CIFAR-shaped images
 * ({@code 32 × 32 × 3}, synthetic), the exact NTK's time per image pair against the CNTK sketch's time
 * per image (features of a prebuilt plan; the plan's one-off cost is reported beside it) for several
 * budgets {@code m}, the sketch's Gram error against the exact CNTK of the same images (mean over
 * {@value #SEEDS} seeds), each budget with the exact diagonal (the default) and the sketched one (the
 * same draws, timed in the same run), and the speedup extrapolated to the full CIFAR-10
 * ({@value #CIFAR} images):
 *
 * <pre>{@code speedup = (N(N+1)/2 · t_pair) / (N · t_image)}</pre>
 */
public final class CntkSuite implements Suite {
  /** Images of CIFAR-10 (train and test). */
  static final int CIFAR = 60_000;
  static final String ARCH = "Myrtle5";
  /** Seeds the Gram error is averaged over. */
  static final int SEEDS = 3;

  @Override
  public String name() {
    return "cntk";
  }

  @Override
  public String description() {
    return "Myrtle-5 ReLU on 32x32x3: exact NTK per image pair vs CNTK sketch per image, Gram "
        + "error, extrapolated CIFAR-10 speedup";
  }

  /**
   * CIFAR-like images, about standardised: per channel, white noise smoothed by a 3 × 3 box
   * (neighbouring pixels correlated, unit variance) plus a colour cast per image; the first {@code k}
   * images of a batch do not depend on {@code n}.
   *
   * @param n images
   * @param seed seed
   * @return the images
   */
  static ImageBatch images(int n, long seed) {
    Random r = new Random(seed);
    int s = 32;
    double[] v = new double[n * s * s * 3];
    double[] noise = new double[s * s * 3];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < noise.length; k++) {
        noise[k] = r.nextGaussian();
      }
      double[] cast = {r.nextGaussian(), r.nextGaussian(), r.nextGaussian()};
      for (int y = 0; y < s; y++) {
        for (int x = 0; x < s; x++) {
          for (int c = 0; c < 3; c++) {
            double sum = 0;
            for (int dy = -1; dy <= 1; dy++) {
              for (int dx = -1; dx <= 1; dx++) {
                sum += noise[(Math.floorMod(y + dy, s) * s + Math.floorMod(x + dx, s)) * 3 + c];
              }
            }
            v[((i * s + y) * s + x) * 3 + c] = sum / 3 + 0.5 * cast[c];
          }
        }
      }
    }
    return ImageBatch.of(v, n, s, s, 3);
  }

  @Override
  public List<BenchCase> cases(boolean quick) {
    int[] exactNs = quick ? new int[] {16} : new int[] {16, 48};
    int errorN = 16;
    int[] ms = quick ? new int[] {1024, 4096, 8192} : new int[] {1024, 2048, 4096, 8192};
    int timeN = quick ? 16 : 48;
    Map<String, double[][]> exact = new LinkedHashMap<>();
    List<BenchCase> cases = new ArrayList<>();
    for (int n : exactNs) {
      ImageBatch x = images(n, 1);
      double pairs = (double) n * (n + 1) / 2;
      cases.add(ScaleSuite.one(Cases.of("exact NTK n=" + n, params("exact", n, 0), () ->
          Kernels.of(ARCH).withBackend("cpu").compute(x, null, Kind.NTK).ntk(), r -> {
            if (n == errorN) {
              exact.put("ntk", ((KernelMatrix) r).toArray());
            }
            return Map.of();
          }, pairs, "pairs", Double.NaN, Double.NaN)));
    }
    ImageBatch timed = images(timeN, 1);
    for (int m : ms) {
      long t0 = System.nanoTime();
      CntkSketch built = Sketches.of(ARCH).withDim(m).withSeed(1).plan(timed, true);
      double build = (System.nanoTime() - t0) / 1e9;
      for (boolean diagonal : new boolean[] {true, false}) {
        CntkSketch plan = built.withExactDiagonal(diagonal);
        Map<String, Object> params = params("sketch", timeN, m);
        params.put("diagonal", diagonal ? "exact" : "sketched");
        BenchCase c = Cases.of("sketch NTK m=" + m + " n=" + timeN + " " + params.get("diagonal")
            + " diagonal", params, () -> {
              try (Backends.Selection s = Backends.open("cpu", BackendOptions.defaults())) {
                return Sketches.features(s.backend(), plan, timed, Progress.NONE);
              }
            }, r -> metrics(exact.get("ntk"), (double[][]) r, timed.slice(0, errorN), build, plan),
            timeN, "images", Double.NaN, Double.NaN);
        cases.add(m >= 4096 ? ScaleSuite.one(c) : c);
      }
    }
    return cases;
  }

  private static Map<String, Object> params(String method, int n, int m) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("backend", "cpu");
    p.put("dtype", "float64");
    p.put("method", method);
    p.put("arch", ARCH);
    p.put("activation", "Relu()");
    p.put("images", "32x32x3");
    p.put("n", n);
    p.put("m", m);
    return p;
  }

  /**
   * Untimed: the Gram error on the exact case's images, averaged over {@value #SEEDS} seeds (the
   * timed run's and fresh plans for the others; NTK errors have seed-to-seed common-mode swings).
   */
  private static Map<String, Object> metrics(double[][] exact, double[][] f, ImageBatch errorImages,
      double build, CntkSketch plan) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("features", f[0].length);
    m.put("plan_seconds", build);
    m.put("degree", plan.layers().get(0).degree());
    int n = errorImages.count();
    if (exact != null && f.length >= n) {
      double[][] g = new double[n][];
      System.arraycopy(f, 0, g, 0, n);
      double sum = Cases.gramError(exact, g);
      double max = sum;
      for (int seed = 2; seed <= SEEDS; seed++) {
        Sketches s = Sketches.of(ARCH).withDim(plan.options().dim()).withSeed(seed).withBackend("cpu");
        double e = Cases.gramError(exact, s.features(s.plan(errorImages, true)
            .withExactDiagonal(plan.exactDiagonal()), errorImages));
        sum += e;
        max = Math.max(max, e);
      }
      m.put("gram_error", sum / SEEDS);
      m.put("gram_error_max", max);
      m.put("oblivious_floor", Cases.obliviousFloor(exact, f[0].length));
    }
    return m;
  }

  /**
   * @param results this suite's results
   * @return {@code t_pair} (seconds per exact image pair, from the largest exact case), or NaN
   */
  static double secondsPerPair(List<BenchResult> results) {
    double best = Double.NaN;
    int largest = 0;
    for (BenchResult r : results) {
      int n = (Integer) r.params().get("n");
      if (r.failure() == null && r.params().get("method").equals("exact") && n > largest) {
        largest = n;
        best = r.seconds() / r.units();
      }
    }
    return best;
  }

  @Override
  public String summary(List<BenchResult> results) {
    double pair = secondsPerPair(results);
    double pairs = (double) CIFAR * (CIFAR + 1) / 2;
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%nFull CIFAR-10 (%,d images), "
        + "extrapolated: exact NTK %s s per pair x %.3e pairs = %s hours on this machine.%n%n", CIFAR,
        MarkdownReport.num(pair), pairs, MarkdownReport.num(pair * pairs / 3600)));
    sb.append("| sketch m | diagonal | features | s per image | sketch hours | speedup (N+1)/2 * "
        + "t_pair / t_image | Gram error, mean of " + SEEDS + " seeds (floor) |\n"
        + "|---|---|---|---|---|---|---|\n");
    for (BenchResult r : results) {
      if (r.failure() != null || !r.params().get("method").equals("sketch")) {
        continue;
      }
      double image = r.seconds() / r.units();
      Object e = r.metrics().get("gram_error");
      sb.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %s | %s |%n",
          r.params().get("m"), r.params().getOrDefault("diagonal", "sketched"),
          r.metrics().get("features"), MarkdownReport.num(image),
          MarkdownReport.num(image * CIFAR / 3600), MarkdownReport.num((CIFAR + 1) / 2.0 * pair / image),
          e == null ? "" : MarkdownReport.num((Double) e) + " (" + MarkdownReport.num(
              (Double) r.metrics().get("oblivious_floor")) + ")"));
    }
    return sb.toString();
  }

  @Override
  public void plot(List<BenchResult> results, Path dir) throws IOException {
    LineChart time = Charts.chart("Myrtle-5 CNTK sketch: seconds per image (CPU)", "sketch dimension m",
        "seconds per image", true, true);
    LineChart error = Charts.chart("Myrtle-5 CNTK sketch: Gram error (NTK)", "sketch dimension m",
        "relative Frobenius error", true, true);
    List<double[]> t = new ArrayList<>();
    List<double[]> e = new ArrayList<>();
    List<double[]> f = new ArrayList<>();
    for (BenchResult r : results) {
      // the default, exact diagonal (the sketched one is in the tables)
      if (r.failure() == null && r.params().get("method").equals("sketch")
          && !"sketched".equals(r.params().get("diagonal"))) {
        double m = ((Integer) r.params().get("m")).doubleValue();
        t.add(new double[] {m, r.seconds() / r.units()});
        if (r.metrics().containsKey("gram_error")) {
          e.add(new double[] {m, (Double) r.metrics().get("gram_error")});
          f.add(new double[] {m, (Double) r.metrics().get("oblivious_floor")});
        }
      }
    }
    if (!t.isEmpty()) {
      Charts.series(time, "sketch", DenseSuite.col(t, 0), DenseSuite.col(t, 1), false);
    }
    if (!e.isEmpty()) {
      Charts.series(error, "sketch", DenseSuite.col(e, 0), DenseSuite.col(e, 1), false);
      Charts.series(error, "oblivious floor", DenseSuite.col(f, 0), DenseSuite.col(f, 1), true);
    }
    Charts.save(List.of(time, error), dir.resolve("cntk.png"));
  }
}
