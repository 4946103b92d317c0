package org.nke.sketch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nke.Kernels;
import org.nke.arch.Architecture;
import org.nke.exact.ExactKernel.Kind;
import org.nke.io.SparseMatrix;

class EmbeddingDimensionTest {
  private static final Architecture RELU2 = Architecture.parse(
      "Dense(W_std=1.5), Relu(), Dense(W_std=1.5), Relu(), Dense()");

  @Test
  void statisticalDimensionMatchesTheExactKernelWhenEveryPointIsSampled() {
    SparseMatrix x = SubspaceCheck.topical(300, 5000, 100, 6, 11);
    for (boolean ntk : new boolean[] {false, true}) {
      double[][] k = exact(x, ntk);
      double lambda = 0.1 * meanDiagonal(k);
      EmbeddingDimension.Estimate e = EmbeddingDimension.of(RELU2, x, x.rows(), ntk, 0.5, 0.1);
      double truth = SubspaceCheck.statisticalDimension(k, lambda);
      // the estimate uses the power series truncated at degree 96; the NTK's derivative-kernel
      // coefficients decay only like k^(-3/2), which costs about 1% of s_λ
      assertEquals(truth, e.statisticalDimension(), (ntk ? 2e-2 : 1e-3) * truth, ntk ? "NTK" : "NNGP");
      assertEquals(300, e.sampled());
      assertFalse(e.capped());
    }
  }

  @Test
  void theChosenDimensionDeliversTheRequestedSpectralAccuracy() {
    SparseMatrix x = SubspaceCheck.topical(300, 20000, 200, 8, 5);
    double epsilon = 0.6;
    EmbeddingDimension.Estimate e = EmbeddingDimension.of(RELU2, x, x.rows(), true, epsilon, 0.1);
    SubspaceEmbedding emb = SubspaceEmbedding.build(RELU2, 20000,
        SketchOptions.of(e.features(), 3, true));
    double[][] f = new double[x.rows()][];
    for (int i = 0; i < x.rows(); i++) {
      f[i] = emb.features(x, i);
    }
    double[][] k = exact(x, true);
    double[] range = SubspaceCheck.spectralRange(k, f, 0.1 * meanDiagonal(k));
    assertTrue(range[0] >= 1 - epsilon && range[1] <= 1 + epsilon, "eigenvalues in [" + range[0]
        + ", " + range[1] + "] at " + f[0].length + " features for epsilon " + epsilon);
  }

  @Test
  void nearlyOrthogonalPointsSaturateTheSample() {
    // 200 random sparse points in R^100000 barely overlap: K ≈ diagonal, s_λ ≈ n
    SparseMatrix x = SubspaceCheck.sparse(200, 100_000, 50, 2);
    EmbeddingDimension.Estimate e = EmbeddingDimension.of(RELU2, x, x.rows(), false, 0.5, 0.01);
    assertTrue(e.saturated(), "s_lambda " + e.statisticalDimension());
  }

  @Test
  void badArgumentsAreRejected() {
    SparseMatrix x = SubspaceCheck.sparse(10, 100, 5, 2);
    assertThrows(IllegalArgumentException.class, () -> EmbeddingDimension.of(RELU2, x, 10, false, 1.5,
        0.1));
    assertThrows(IllegalArgumentException.class, () -> EmbeddingDimension.of(RELU2, x, 10, false, 0.5,
        0));
  }

  private static double[][] exact(SparseMatrix x, boolean ntk) {
    var pair = Kernels.of(RELU2).withBackend("cpu").compute(x.toDense(), null,
        ntk ? Kind.NTK : Kind.NNGP);
    return (ntk ? pair.ntk() : pair.nngp()).toArray();
  }

  private static double meanDiagonal(double[][] k) {
    double mean = 0;
    for (int i = 0; i < k.length; i++) {
      mean += k[i][i] / k.length;
    }
    return mean;
  }
}
