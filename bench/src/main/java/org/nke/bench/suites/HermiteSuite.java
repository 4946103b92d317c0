package org.nke.bench.suites;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nke.bench.BenchCase;
import org.nke.bench.BenchResult;
import org.nke.bench.Cases;
import org.nke.bench.Suite;
import org.nke.bench.report.Charts;
import org.nke.bench.report.LineChart;
import org.nke.dual.DualActivation;
import org.nke.dual.DualCatalog;
import org.nke.hermite.HermiteSource;
import org.nke.ir.InputKernel;
import org.nke.sketch.SketchPlan;

/**
 * Truncation error of the Hermite series of the dual against the degree, as in Figure 1 of Han et al.
 * 2022: {@code n} points in {@code ℝ^256} with unit pre-activation variance, the dual kernel matrix
 * {@code K'_ij = E[φ(u_i)φ(u_j)]} against {@code Σ_{k≤q} c_k(a_i) c_k(a_j) ρ_ij^k}, relative
 * Frobenius error, plain truncation and with the tail folded.
 */
public final class HermiteSuite implements Suite {
  @Override
  public String name() {
    return "hermite";
  }

  @Override
  public String description() {
    return "truncation error of the Hermite-series dual vs degree (paper's Figure 1 setting)";
  }

  @Override
  public List<BenchCase> cases(boolean quick) {
    int n = quick ? 300 : 1000;
    // entries N(0, 1): with stax's input kernel x·y/d the pre-activation variances are ≈ 1, the
    // paper's setting (‖x‖ ≈ 1 with the plain inner product)
    double[][] x = Cases.points(n, 256, 0, 3);
    String[] acts = {"Relu", "Abs", "Sin", "Gaussian", "Erf", "Gelu", "Tanh"};
    List<BenchCase> cases = new ArrayList<>();
    for (String act : acts) {
      DualActivation dual = DualCatalog.byName(act);
      HermiteSource src = SketchPlan.hermiteSource(dual);
      double[][] k0 = new double[n][n];
      double[] v = new double[n];
      for (int i = 0; i < n; i++) {
        v[i] = InputKernel.of(x[i], x[i]);
        for (int j = 0; j < n; j++) {
          k0[i][j] = InputKernel.of(x[i], x[j]);
        }
      }
      // the exact dual matrix (numerical for Tanh: seconds) is computed when first evaluated, so
      // that building the grid is cheap
      double[][][] exactOnce = new double[1][][];
      java.util.function.Supplier<double[][]> exact = () -> {
        if (exactOnce[0] == null) {
          double[][] e = new double[n][n];
          for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
              e[i][j] = dual.value(v[i], v[j], k0[i][j]);
            }
          }
          exactOnce[0] = e;
        }
        return exactOnce[0];
      };
      for (int q = 1; q <= 20; q++) {
        final int deg = q;
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("activation", act);
        p.put("degree", q);
        p.put("n", n);
        cases.add(Cases.of(act + " q=" + q, p, () -> new double[][][] {
            truncated(src, v, k0, deg, false), truncated(src, v, k0, deg, true)},
            r -> {
              double[][][] t = (double[][][]) r;
              Map<String, Object> m = new LinkedHashMap<>();
              m.put("truncation_error", relative(exact.get(), t[0]));
              m.put("folded_error", relative(exact.get(), t[1]));
              return m;
            }, (double) n * n, "pairs", Double.NaN, Double.NaN));
      }
    }
    return cases;
  }

  private static double[][] truncated(HermiteSource src, double[] v, double[][] k0, int q,
      boolean fold) {
    int n = v.length;
    double[][] c = new double[n][];
    for (int i = 0; i < n; i++) {
      c[i] = src.coefficients(Math.sqrt(v[i]), q, false, fold);
    }
    double[][] out = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double rho = k0[i][j] / Math.sqrt(v[i] * v[j]);
        double s = 0;
        for (int k = q; k >= 0; k--) {
          s = s * rho + c[i][k] * c[j][k];
        }
        out[i][j] = s;
      }
    }
    return out;
  }

  private static double relative(double[][] e, double[][] a) {
    double num = 0;
    double den = 0;
    for (int i = 0; i < e.length; i++) {
      for (int j = 0; j < e.length; j++) {
        num += (a[i][j] - e[i][j]) * (a[i][j] - e[i][j]);
        den += e[i][j] * e[i][j];
      }
    }
    return Math.sqrt(num / den);
  }

  @Override
  public void plot(List<BenchResult> results, Path dir) throws IOException {
    LineChart plain = Charts.chart("Hermite truncation error (dual kernel)", "degree q",
        "relative Frobenius error", false, true);
    LineChart folded = Charts.chart("With the tail folded onto degrees q-1, q", "degree q",
        "relative Frobenius error", false, true);
    Map<String, List<double[]>> a = new LinkedHashMap<>();
    Map<String, List<double[]>> b = new LinkedHashMap<>();
    for (BenchResult r : results) {
      if (r.failure() == null) {
        String act = (String) r.params().get("activation");
        double q = ((Integer) r.params().get("degree")).doubleValue();
        a.computeIfAbsent(act, k -> new ArrayList<>()).add(new double[] {q,
            Math.max(1e-17, (Double) r.metrics().get("truncation_error"))});
        b.computeIfAbsent(act, k -> new ArrayList<>()).add(new double[] {q,
            Math.max(1e-17, (Double) r.metrics().get("folded_error"))});
      }
    }
    a.forEach((k, v) -> Charts.series(plain, k, DenseSuite.col(v, 0), DenseSuite.col(v, 1), false));
    b.forEach((k, v) -> Charts.series(folded, k, DenseSuite.col(v, 0), DenseSuite.col(v, 1), false));
    Charts.save(List.of(plain, folded), dir.resolve("hermite.png"));
  }
}
