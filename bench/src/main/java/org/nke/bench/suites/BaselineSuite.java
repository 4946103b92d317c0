package org.nke.bench.suites;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.nke.Kernels;
import org.nke.bench.BenchCase;
import org.nke.bench.BenchResult;
import org.nke.bench.Cases;
import org.nke.bench.Suite;
import org.nke.exact.ExactKernel.Kind;
import org.nke.io.MatrixWriter;
import org.nke.io.NpyReader;
import org.nke.spi.KernelMatrix;
import org.nke.spi.Precision;

/**
 * What a user might write instead, on the exact NTK of a 3-hidden-layer ReLU network: a
 * straightforward per-pair loop in Java (one thread, the diagonal recomputed per pair), and
 * vectorised numpy when {@code python3} with numpy is on the machine; against nke on all cores and
 * on one. The baselines' results are checked against nke's (max relative difference).
 */
public final class BaselineSuite implements Suite {
  private static final String ARCH = DenseSuite.arch("Relu()");
  private static final double W2 = 2.25;
  private static final double B2 = 0.01;

  @Override
  public String name() {
    return "baseline";
  }

  @Override
  public String description() {
    return "nke vs a naive Java per-pair loop and vectorised numpy, exact ReLU NTK";
  }

  @Override
  public List<BenchCase> cases(boolean quick) {
    int[] ns = quick ? new int[] {1000} : new int[] {1000, 2000, 4000};
    List<BenchCase> cases = new ArrayList<>();
    for (int n : ns) {
      double[][] x = Cases.points(n, DenseSuite.D, 1, 5);
      double pairs = (double) n * n;
      KernelMatrix[] reference = new KernelMatrix[1];
      cases.add(Cases.of("nke cpu n=" + n, params("nke (all cores)", n), () -> {
        reference[0] = Kernels.of(ARCH).withBackend("cpu").ntk(x);
        return reference[0];
      }, r -> Map.of(), pairs, "pairs", Double.NaN, Double.NaN));
      cases.add(Cases.of("nke cpu 1 thread n=" + n, params("nke (1 thread)", n),
          () -> Kernels.of(ARCH).withBackend("cpu").withThreads(1).ntk(x), r -> Map.of(), pairs,
          "pairs", Double.NaN, Double.NaN));
      cases.add(Cases.of("naive java n=" + n, params("naive Java loop", n), () -> naive(x),
          r -> Map.of("max_rel_diff", diff(reference[0], (double[][]) r)), pairs, "pairs",
          Double.NaN, Double.NaN));
      if (numpyAvailable()) {
        cases.add(numpy(n, x, reference));
      }
    }
    return cases;
  }

  private static Map<String, Object> params(String impl, int n) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("implementation", impl);
    p.put("activation", "Relu()");
    p.put("n", n);
    p.put("d", DenseSuite.D);
    return p;
  }

  /** The per-pair loop a user might write first (ReLU arc-cosine kernel, NTK parameterisation). */
  static double[][] naive(double[][] x) {
    int n = x.length;
    int d = x[0].length;
    double[][] out = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double kxx = 0;
        double kyy = 0;
        double kxy = 0;
        for (int t = 0; t < d; t++) {
          kxx += x[i][t] * x[i][t];
          kyy += x[j][t] * x[j][t];
          kxy += x[i][t] * x[j][t];
        }
        kxx /= d;
        kyy /= d;
        kxy /= d;
        double theta = 0;
        for (int layer = 0; layer < 3; layer++) {
          kxx = W2 * kxx + B2;
          kyy = W2 * kyy + B2;
          kxy = W2 * kxy + B2;
          theta = kxy + W2 * theta;
          double c = Math.max(-1, Math.min(1, kxy / Math.sqrt(kxx * kyy)));
          double angle = Math.acos(c);
          theta *= (Math.PI - angle) / (2 * Math.PI);
          kxy = Math.sqrt(kxx * kyy) * (Math.sin(angle) + (Math.PI - angle) * c) / (2 * Math.PI);
          kxx /= 2;
          kyy /= 2;
        }
        out[i][j] = kxy + theta;
      }
    }
    return out;
  }

  private static double diff(KernelMatrix ref, double[][] got) {
    if (ref == null) {
      return Double.NaN;
    }
    double worst = 0;
    for (int i = 0; i < got.length; i++) {
      for (int j = 0; j < got.length; j++) {
        double r = ref.get(i, j);
        worst = Math.max(worst, Math.abs(got[i][j] - r) / Math.max(Math.abs(r), 1e-300));
      }
    }
    return worst;
  }

  static boolean numpyAvailable() {
    try {
      Process p = new ProcessBuilder("python3", "-c", "import numpy").redirectErrorStream(true).start();
      return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  private static final String NUMPY = String.join("\n",
      "import sys, time, numpy as np",
      "x = np.load(sys.argv[1]); d = x.shape[1]",
      "t0 = time.perf_counter()",
      "k = x @ x.T / d; t = np.zeros_like(k)",
      "for _ in range(3):",
      "    k = 2.25 * k + 0.01; t = k + 2.25 * t",
      "    s = np.sqrt(np.outer(np.diag(k), np.diag(k)))",
      "    c = np.clip(k / s, -1, 1); a = np.arccos(c)",
      "    t = t * (np.pi - a) / (2 * np.pi)",
      "    k = s * (np.sin(a) + (np.pi - a) * c) / (2 * np.pi)",
      "out = k + t",
      "print(time.perf_counter() - t0)",
      "np.save(sys.argv[2], out)", "");

  private static BenchCase numpy(int n, double[][] x, KernelMatrix[] reference) {
    return Cases.of("numpy n=" + n, params("numpy (vectorised)", n), () -> {
      Path dir = Files.createTempDirectory("nke-numpy");
      try {
        Path in = dir.resolve("x.npy");
        try (OutputStream os = Files.newOutputStream(in)) {
          MatrixWriter.write(os, in, Precision.F64, n, x[0].length,
              (i, row) -> System.arraycopy(x[i], 0, row, 0, row.length));
        }
        Path script = dir.resolve("ntk.py");
        Files.writeString(script, NUMPY, StandardCharsets.UTF_8);
        Process p = new ProcessBuilder("python3", script.toString(), in.toString(),
            dir.resolve("k.npy").toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) {
          throw new IllegalStateException("numpy baseline failed: " + output);
        }
        double[][] k = NpyReader.read(dir.resolve("k.npy")).toMatrix("numpy result");
        return new Object[] {Double.parseDouble(output.lines().reduce((a, b) -> b).orElseThrow()), k};
      } finally {
        try (var files = Files.list(dir)) {
          for (Path f : files.toList()) {
            Files.deleteIfExists(f);
          }
        }
        Files.deleteIfExists(dir);
      }
    }, r -> {
      Object[] o = (Object[]) r;
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("numpy_compute_seconds", o[0]);
      m.put("max_rel_diff", diff(reference[0], (double[][]) o[1]));
      return m;
    }, (double) n * n, "pairs", Double.NaN, Double.NaN);
  }

  @Override
  public void plot(List<BenchResult> results, Path dir) {
    // the table says it all: one row per implementation
  }
}
