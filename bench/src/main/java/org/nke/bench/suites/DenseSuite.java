package org.nke.bench.suites;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nke.Kernels;
import org.nke.Sketches;
import org.nke.bench.BenchCase;
import org.nke.bench.BenchResult;
import org.nke.bench.Cases;
import org.nke.bench.Suite;
import org.nke.bench.report.Charts;
import org.nke.bench.report.LineChart;
import org.nke.exact.ExactKernel.Kind;

/**
 * Exact NTK against NTK sketches for 3-hidden-layer networks of several activations: time against
 * {@code n} (quadratic against linear) and the sketch's Gram error against {@code m}, with the
 * oblivious floor beside it.
 */
public final class DenseSuite implements Suite {
  /** Input dimension. */
  static final int D = 100;

  static String arch(String act) {
    return "Dense(W_std=1.5, b_std=0.1), " + act + ", Dense(W_std=1.5, b_std=0.1), " + act
        + ", Dense(W_std=1.5, b_std=0.1), " + act + ", Dense()";
  }

  @Override
  public String name() {
    return "dense";
  }

  @Override
  public String description() {
    return "exact NTK vs NTK sketch, 3 hidden layers, R^100, several activations";
  }

  @Override
  public List<BenchCase> cases(boolean quick) {
    String[] acts = quick ? new String[] {"Relu()", "Gelu()", "Erf()", "Tanh()"}
        : new String[] {"Relu()", "Gelu()", "Erf()", "Tanh()", "Sin()", "Swish()"};
    int[] ns = quick ? new int[] {1000, 2000, 4000} : new int[] {1000, 2000, 4000, 8000, 16000};
    int[] ms = quick ? new int[] {1024, 4096} : new int[] {1024, 2048, 4096, 8192};
    int errorN = quick ? 1000 : 2000;
    Map<String, double[][]> exactCache = new HashMap<>();
    List<BenchCase> cases = new ArrayList<>();
    for (String act : acts) {
      String a = arch(act);
      for (int n : ns) {
        double[][] x = Cases.points(n, D, 1, n);
        Map<String, Object> p = params(act, n, 0, "exact");
        double pairs = (double) n * (n + 1) / 2;
        // Gram 2d flops per pair, ~40 per pair per layer for dual maps and affine updates
        cases.add(Cases.of("exact " + act + " n=" + n, p, () -> Kernels.of(a).withBackend("cpu")
            .compute(x, null, Kind.NTK).ntk(), r -> {
              if (n == errorN) {
                exactCache.put(act, ((org.nke.spi.KernelMatrix) r).toArray());
              }
              return Map.of();
            }, pairs, "pairs", pairs * (2.0 * D + 3 * 40), pairs * 8.0 * 2 * 2 * 7));
        for (int m : ms) {
          Map<String, Object> q = params(act, n, m, "sketch");
          cases.add(Cases.of("sketch " + act + " n=" + n + " m=" + m, q,
              () -> Sketches.of(a).withDim(m).withBackend("cpu").ntk(x),
              r -> error(exactCache.get(act), (double[][]) r, n == errorN), n, "points",
              Double.NaN, Double.NaN));
        }
      }
    }
    return cases;
  }

  private static Map<String, Object> params(String act, int n, int m, String method) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("backend", "cpu");
    p.put("dtype", "float64");
    p.put("method", method);
    p.put("activation", act);
    p.put("n", n);
    p.put("d", D);
    p.put("m", m);
    return p;
  }

  private static Map<String, Object> error(double[][] exact, double[][] f, boolean measure) {
    if (!measure || exact == null) {
      return Map.of();
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("features", f[0].length);
    m.put("gram_error", Cases.gramError(exact, f));
    m.put("oblivious_floor", Cases.obliviousFloor(exact, f[0].length));
    return m;
  }

  @Override
  public void plot(List<BenchResult> results, Path dir) throws IOException {
    LineChart time = Charts.chart("Exact NTK vs sketch (CPU)", "points n", "seconds", true, true);
    LineChart error = Charts.chart("Sketch Gram error (NTK)", "sketch dimension m",
        "relative Frobenius error", true, true);
    Map<String, List<double[]>> lines = new LinkedHashMap<>();
    Map<String, List<double[]>> errors = new LinkedHashMap<>();
    for (BenchResult r : results) {
      if (r.failure() != null) {
        continue;
      }
      String act = (String) r.params().get("activation");
      int m = (Integer) r.params().get("m");
      String key = (m == 0 ? "exact " : "sketch m=" + m + " ") + act;
      if (act.equals("Gelu()")) {
        lines.computeIfAbsent(key, k -> new ArrayList<>()).add(new double[] {
            ((Integer) r.params().get("n")).doubleValue(), r.seconds()});
      }
      if (r.metrics().containsKey("gram_error")) {
        errors.computeIfAbsent(act, k -> new ArrayList<>()).add(new double[] {m,
            (Double) r.metrics().get("gram_error")});
        errors.computeIfAbsent("floor " + act, k -> new ArrayList<>()).add(new double[] {m,
            (Double) r.metrics().get("oblivious_floor")});
      }
    }
    lines.forEach((k, v) -> Charts.series(time, k, col(v, 0), col(v, 1), false));
    errors.forEach((k, v) -> Charts.series(error, k, col(v, 0), col(v, 1), k.startsWith("floor")));
    Charts.save(List.of(time, error), dir.resolve("dense.png"));
  }

  static double[] col(List<double[]> rows, int c) {
    return rows.stream().mapToDouble(r -> r[c]).toArray();
  }
}
