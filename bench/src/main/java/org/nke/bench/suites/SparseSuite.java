package org.nke.bench.suites;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nke.bench.report.LineChart;
import org.nke.arch.Architecture;
import org.nke.bench.BenchCase;
import org.nke.bench.BenchResult;
import org.nke.bench.Cases;
import org.nke.bench.Suite;
import org.nke.bench.report.Charts;
import org.nke.io.SparseMatrix;
import org.nke.sketch.SketchOptions;
import org.nke.sketch.SubspaceEmbedding;

/**
 * The input-sparsity-time subspace embedding: time per point against the number of non-zeros at a
 * fixed dimension, and against the dimension at a fixed number of non-zeros (it should not grow).
 */
public final class SparseSuite implements Suite {
  private static final String ARCH = "Dense(W_std=1.5), Relu(), Dense(W_std=1.5), Relu(), Dense()";

  @Override
  public String name() {
    return "sparse";
  }

  @Override
  public String description() {
    return "subspace embedding (NTK, m = 2048): time vs non-zeros per point and vs dimension";
  }

  static SparseMatrix data(int n, int d, int nnz, long seed) {
    Random r = new Random(seed);
    int[] ptr = new int[n + 1];
    int[] idx = new int[n * nnz];
    double[] val = new double[n * nnz];
    for (int i = 0; i < n; i++) {
      int[] cols = r.ints(0, d).distinct().limit(nnz).sorted().toArray();
      for (int k = 0; k < nnz; k++) {
        idx[i * nnz + k] = cols[k];
        val[i * nnz + k] = r.nextGaussian();
      }
      ptr[i + 1] = (i + 1) * nnz;
    }
    return new SparseMatrix(n, d, ptr, idx, val);
  }

  @Override
  public List<BenchCase> cases(boolean quick) {
    int n = quick ? 1000 : 5000;
    List<BenchCase> cases = new ArrayList<>();
    int[][] grid = quick
        ? new int[][] {{100_000, 250}, {100_000, 1000}, {100_000, 4000}, {10_000, 1000}, {1_000_000, 1000}}
        : new int[][] {{100_000, 125}, {100_000, 250}, {100_000, 500}, {100_000, 1000}, {100_000, 2000},
            {100_000, 4000}, {100_000, 8000}, {10_000, 1000}, {1_000_000, 1000}, {10_000_000, 1000}};
    for (int[] g : grid) {
      int d = g[0];
      int nnz = g[1];
      SparseMatrix x = data(n, d, nnz, d + nnz);
      SubspaceEmbedding e = SubspaceEmbedding.build(Architecture.parse(ARCH), d,
          SketchOptions.of(2048, 1, true));
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("backend", "cpu");
      p.put("n", n);
      p.put("d", d);
      p.put("nnz_per_point", nnz);
      p.put("m", 2048);
      cases.add(Cases.of("subspace d=" + d + " nnz=" + nnz, p, () -> {
        double[][] f = new double[n][];
        java.util.stream.IntStream.range(0, n).parallel().forEach(i -> f[i] = e.features(x, i));
        return f;
      }, r -> Map.of("features", e.outputDim(), "degree", e.degree()), n, "points", Double.NaN,
          Double.NaN));
    }
    return cases;
  }

  @Override
  public void plot(List<BenchResult> results, Path dir) throws IOException {
    LineChart c = Charts.chart("Subspace embedding: seconds per 1,000 points", "non-zeros per point",
        "seconds per 1,000 points", true, true);
    List<double[]> atD = new ArrayList<>();
    for (BenchResult r : results) {
      if (r.failure() == null && ((Integer) r.params().get("d")) == 100_000) {
        atD.add(new double[] {((Integer) r.params().get("nnz_per_point")).doubleValue(),
            1000 * r.seconds() / ((Integer) r.params().get("n"))});
      }
    }
    if (!atD.isEmpty()) {
      Charts.series(c, "d = 100,000", DenseSuite.col(atD, 0), DenseSuite.col(atD, 1), false);
      Charts.save(List.of(c), dir.resolve("sparse.png"));
    }
  }
}
