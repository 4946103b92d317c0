package org.nke.sketch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nke.Kernels;
import org.nke.arch.Architecture;
import org.nke.error.ArchException;
import org.nke.exact.ExactKernel.Kind;
import org.nke.exact.KernelPair;
import org.nke.io.SparseMatrix;

class SubspaceEmbeddingTest {
  private static final String RELU2 = "Dense(W_std=1.5), Relu(), Dense(W_std=1.5), Relu(), Dense()";

  @Test
  void homogeneousSeriesReproducesTheExactKernelsOfUnitVectors() {
    for (String arch : new String[] {RELU2, "Dense(W_std=1.2), LeakyRelu(0.2), Dense(), Abs(), Dense()",
        "Dense(), RectifiedMonomial(2), Dense(W_std=0.7)"}) {
      Architecture a = Architecture.parse(arch);
      HomogeneousSeries s = HomogeneousSeries.of(a, 2, 96);
      for (double rho : new double[] {-1, -0.6, 0, 0.3, 0.8, 0.95, 1}) {
        double[][] xy = {{Math.sqrt(2), 0}, {Math.sqrt(2) * rho, Math.sqrt(2 * (1 - rho * rho))}};
        KernelPair k = Kernels.of(a).withBackend("cpu").compute(new double[][] {xy[0]},
            new double[][] {xy[1]}, Kind.BOTH);
        double bk = 0;
        double bt = 0;
        double[] b = s.nngp();
        double[] g = s.ntk();
        for (int i = b.length - 1; i >= 0; i--) {
          bk = bk * rho + b[i];
          bt = bt * rho + g[i];
        }
        double tol = Math.abs(rho) == 1 ? 1e-12 : 2e-3;
        assertEquals(k.nngp().get(0, 0), bk, tol * Math.abs(k.nngp().get(0, 0)) + 1e-15,
            arch + " NNGP at rho " + rho);
        assertEquals(k.ntk().get(0, 0), bt, tol * Math.abs(k.ntk().get(0, 0)) + 1e-15,
            arch + " NTK at rho " + rho);
      }
      for (double c : s.nngp()) {
        assertTrue(c >= -1e-12, "non-negative coefficients: " + c);
      }
    }
  }

  @Test
  void sparseAndDenseInputsGiveBitIdenticalFeatures() {
    SparseMatrix x = SubspaceCheck.sparse(20, 5000, 50, 4);
    double[][] dense = x.toDense();
    SubspaceEmbedding e = SubspaceEmbedding.build(Architecture.parse(RELU2), 5000,
        SketchOptions.of(512, 9, true));
    for (int i = 0; i < 20; i++) {
      assertArrayEquals(e.features(dense[i]), e.features(x, i));
    }
  }

  @Test
  void embeddingIsASpectralApproximationAtTheDocumentedDimension() {
    // documented: eps ≤ 5 √(s_λ/m') + s_λ/m' (m' ≥ 25 s_λ/ε²) for the statistical dimension s_λ
    SparseMatrix x = SubspaceCheck.topical(300, 20000, 200, 8, 5);
    for (boolean ntk : new boolean[] {false, true}) {
      Architecture arch = Architecture.parse(RELU2);
      SubspaceEmbedding e = SubspaceEmbedding.build(arch, 20000, SketchOptions.of(4096, 2, ntk));
      double[][] f = new double[x.rows()][];
      for (int i = 0; i < x.rows(); i++) {
        f[i] = e.features(x, i);
      }
      KernelPair exact = Kernels.of(arch).withBackend("cpu").compute(x.toDense(), null,
          ntk ? Kind.NTK : Kind.NNGP);
      double[][] k = (ntk ? exact.ntk() : exact.nngp()).toArray();
      double mean = 0;
      for (int i = 0; i < k.length; i++) {
        mean += k[i][i] / k.length;
      }
      double lambda = 0.1 * mean;
      double[] range = SubspaceCheck.spectralRange(k, f, lambda);
      double s = SubspaceCheck.statisticalDimension(k, lambda);
      double bound = 5 * Math.sqrt(s / f[0].length) + s / f[0].length;
      assertTrue(range[0] >= 1 - bound && range[1] <= 1 + bound, (ntk ? "NTK" : "NNGP")
          + ": eigenvalues in [" + range[0] + ", " + range[1] + "], s_lambda " + s + ", bound " + bound);
      assertTrue(bound < 0.8, "the test is meaningful only with a bound below 0.8, got " + bound);
    }
  }

  @Test
  void onlyBiasFreeHomogeneousNetworksAreAccepted() {
    assertThrows(ArchException.class, () -> SubspaceEmbedding.build(Architecture.parse(
        "Dense(b_std=0.1), Relu(), Dense()"), 10, SketchOptions.of(256, 0, false)));
    assertThrows(ArchException.class, () -> SubspaceEmbedding.build(Architecture.parse(
        "Dense(), Gelu(), Dense()"), 10, SketchOptions.of(256, 0, false)));
  }

  @Test
  void theSmallestDimensionThatFitsIsFoundExactly() {
    org.nke.arch.Architecture arch = org.nke.arch.Architecture.parse(
        "Dense(W_std=1.5), Relu(), Dense(W_std=1.5), Relu(), Dense()");
    SketchOptions small = new SketchOptions(66, 1, true, 20, SketchOptions.DEFAULT_TAIL);
    int m = SubspaceEmbedding.smallestDim(arch, 500, small);
    org.junit.jupiter.api.Assertions.assertTrue(m > 66 && m % 2 == 0, "m = " + m);
    SubspaceEmbedding.build(arch, 500, new SketchOptions(m, 1, true, 20, SketchOptions.DEFAULT_TAIL));
    org.nke.error.NkeException e = org.junit.jupiter.api.Assertions.assertThrows(
        org.nke.error.NkeException.class, () -> SubspaceEmbedding.build(arch, 500,
            new SketchOptions(m - 2, 1, true, 20, SketchOptions.DEFAULT_TAIL)));
    org.junit.jupiter.api.Assertions.assertEquals(2, e.exitCode());
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("use --dim " + m + " or more"),
        e.getMessage());
    org.junit.jupiter.api.Assertions.assertEquals(m, SubspaceEmbedding.smallestDim(arch, 500,
        new SketchOptions(m, 1, true, 20, SketchOptions.DEFAULT_TAIL)));
  }
}
