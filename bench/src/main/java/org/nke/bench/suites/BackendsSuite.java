package org.nke.bench.suites;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.nke.Kernels;
import org.nke.Sketches;
import org.nke.bench.BenchCase;
import org.nke.bench.BenchResult;
import org.nke.bench.Cases;
import org.nke.bench.Suite;
import org.nke.exact.ExactKernel.Kind;
import org.nke.ir.ImageBatch;
import org.nke.spi.Availability;
import org.nke.spi.BackendProvider;
import org.nke.spi.Backends;
import org.nke.spi.Precision;

/**
 * The same rows on every backend that probes available (CPU and CUDA), float64 and float32, so the
 * ratio is measured in one run; an unavailable backend gives a failed row with its reason.
 */
public final class BackendsSuite implements Suite {
  @Override
  public String name() {
    return "backends";
  }

  @Override
  public String description() {
    return "exact dense NTK, NTK sketch and exact Myrtle-5 CNTK on each backend (CPU, CUDA when "
        + "present), ratio in one run";
  }

  @Override
  public List<BenchCase> cases(boolean quick) {
    int[] ns = quick ? new int[] {2000, 4000} : new int[] {4000, 10000, 20000};
    String arch = DenseSuite.arch("Relu()");
    List<BenchCase> cases = new ArrayList<>();
    for (BackendProvider provider : Backends.providers()) {
      Availability a = provider.probe();
      for (Precision p : Precision.values()) {
        for (int n : ns) {
          double[][] x = Cases.points(n, DenseSuite.D, 1, n);
          Map<String, Object> params = params(provider.name(), p, n, 0);
          double pairs = (double) n * (n + 1) / 2;
          cases.add(Cases.of(provider.name() + " " + p.dtype() + " exact n=" + n, params, () -> {
            if (!a.available()) {
              throw new IllegalStateException("unavailable: " + a.reason());
            }
            return Kernels.of(arch).withBackend(provider.name()).withPrecision(p)
                .compute(x, null, Kind.NTK).ntk();
          }, r -> Map.of(), pairs, "pairs", pairs * (2.0 * DenseSuite.D + 3 * 40),
              pairs * p.bytes() * 2 * 2 * 7));
        }
        int n = ns[0];
        double[][] x = Cases.points(n, DenseSuite.D, 1, n);
        cases.add(Cases.of(provider.name() + " " + p.dtype() + " sketch n=" + n, params(provider.name(),
            p, n, 4096), () -> {
              if (!a.available()) {
                throw new IllegalStateException("unavailable: " + a.reason());
              }
              return Sketches.of(arch).withDim(4096).withBackend(provider.name()).ntk(x);
            }, r -> Map.of(), n, "points", Double.NaN, Double.NaN));
      }
      // the exact Myrtle-5 CNTK (computed in float64 on every backend), per image pair
      int images = quick ? 4 : 16;
      ImageBatch imgs = myrtleImages(images);
      double pairs = images * (images + 1) / 2.0;
      Map<String, Object> params = params(provider.name(), Precision.F64, images, 0);
      params.put("method", "cntk");
      params.put("activation", "Myrtle5");
      params.put("d", 32 * 32 * 3);
      cases.add(Cases.of(provider.name() + " float64 cntk Myrtle5 images=" + images, params, () -> {
        if (!a.available()) {
          throw new IllegalStateException("unavailable: " + a.reason());
        }
        return Kernels.of("Myrtle5").withBackend(provider.name()).compute(imgs, null, Kind.NTK).ntk();
      }, r -> Map.of(), pairs, "pairs", Double.NaN, Double.NaN));
    }
    return cases;
  }

  /** Standard-normal 32 × 32 × 3 images (the CIFAR-10 shape). */
  private static ImageBatch myrtleImages(int n) {
    java.util.Random r = new java.util.Random(32);
    double[] v = new double[n * 32 * 32 * 3];
    for (int k = 0; k < v.length; k++) {
      v[k] = r.nextGaussian();
    }
    return ImageBatch.of(v, n, 32, 32, 3);
  }

  private static Map<String, Object> params(String backend, Precision p, int n, int m) {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("backend", backend);
    params.put("dtype", p.dtype());
    params.put("method", m == 0 ? "exact" : "sketch");
    params.put("activation", "Relu()");
    params.put("n", n);
    params.put("d", DenseSuite.D);
    params.put("m", m);
    return params;
  }

  @Override
  public void plot(List<BenchResult> results, Path dir) throws IOException {
    System.setProperty("java.awt.headless", "true");
    CategoryChart c = new CategoryChartBuilder().width(800).height(420)
        .title("Backends: seconds per case (lower is better)").xAxisTitle("case").yAxisTitle("seconds")
        .build();
    Map<String, List<String>> names = new LinkedHashMap<>();
    Map<String, List<Double>> values = new LinkedHashMap<>();
    for (BenchResult r : results) {
      if (r.failure() != null) {
        continue;
      }
      String backend = (String) r.params().get("backend");
      String label = r.params().get("dtype") + " " + r.params().get("method") + " n=" + r.params().get("n");
      names.computeIfAbsent(backend, k -> new ArrayList<>()).add(label);
      values.computeIfAbsent(backend, k -> new ArrayList<>()).add(r.seconds());
    }
    if (names.isEmpty()) {
      return;
    }
    names.forEach((b, l) -> c.addSeries(b, l, values.get(b)));
    org.knowm.xchart.BitmapEncoder.saveBitmap(c, dir.resolve("backends.png").toString(),
        org.knowm.xchart.BitmapEncoder.BitmapFormat.PNG);
  }
}
