package org.nke.krr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nke.krr.EnsemblePosteriorTest.scaledError;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link FeatureEnsemblePosterior} (primal, features) against {@link EnsemblePosterior} (dual) with
 * {@code K = F Fᵀ}, {@code Θ = G Gᵀ}, for {@code n > p, q} (singular kernels, so the ridge and the
 * null space both matter).
 */
class FeatureEnsemblePosteriorTest {
  /** Primal vs dual, relative to the largest entry. */
  static final double PRIMAL_DUAL = 1e-9;
  static final int N = 40;
  static final int P = 7;
  static final int Q = 11;
  static final int K = 2;
  static final int M = 6;

  final double[][] f;
  final double[][] g;
  final double[][] ft;
  final double[][] gt;
  final double[][] y;

  FeatureEnsemblePosteriorTest() {
    Random rng = new Random(17);
    f = gaussian(rng, N, P);
    g = gaussian(rng, N, Q);
    ft = gaussian(rng, M, P);
    gt = gaussian(rng, M, Q);
    y = gaussian(rng, N, K);
  }

  static double[][] gaussian(Random rng, int rows, int cols) {
    double[][] a = new double[rows][cols];
    for (double[] row : a) {
      for (int j = 0; j < cols; j++) {
        row[j] = rng.nextGaussian();
      }
    }
    return a;
  }

  static double[][] outer(double[][] a, double[][] b) {
    return GradientFlow.multiply(a, Syrk.transpose(b));
  }

  FeatureEnsemblePosterior primal(EnsembleKind kind, double ridge, int block) {
    PosteriorSums acc = FeatureEnsemblePosterior.accumulator(kind, P, Q, K);
    for (int start = 0; start < N; start += block) {
      int end = Math.min(N, start + block);
      acc.add(java.util.Arrays.copyOfRange(f, start, end), java.util.Arrays.copyOfRange(g, start, end),
          java.util.Arrays.copyOfRange(y, start, end));
    }
    return acc.build(ridge);
  }

  static Stream<Arguments> grid() {
    Stream.Builder<Arguments> b = Stream.builder();
    for (EnsembleKind kind : EnsembleKind.values()) {
      for (double ridge : new double[] {0, 1e-3, 0.1}) {
        for (double t : EnsemblePosteriorTest.TIMES) {
          // without a ridge the singular kernel has no inverse: finite times only
          if (ridge > 0 || t < Double.POSITIVE_INFINITY) {
            b.add(Arguments.of(kind, ridge, t));
          }
        }
      }
    }
    return b.build();
  }

  @ParameterizedTest(name = "{0} ridge={1} t={2}")
  @MethodSource("grid")
  void primalEqualsDual(EnsembleKind kind, double ridge, double t) {
    double[][] nngpTrain = outer(f, f);
    double[][] nngpTd = outer(ft, f);
    double[][] nngpTt = outer(ft, ft);
    EnsemblePosterior dual;
    double[][] td;
    double[][] testFeatures;
    if (kind == EnsembleKind.NNGP) {
      dual = EnsemblePosterior.nngp(nngpTrain, y, ridge);
      td = nngpTd;
      testFeatures = ft;
    } else {
      dual = EnsemblePosterior.ntk(outer(g, g), nngpTrain, y, ridge);
      td = outer(gt, g);
      testFeatures = gt;
    }
    FeatureEnsemblePosterior p = primal(kind, ridge, 9);
    double[] diag = new double[M];
    for (int i = 0; i < M; i++) {
      diag[i] = nngpTt[i][i];
    }
    double meanErr = scaledError(dual.mean(t, td), p.mean(t, testFeatures));
    // the posterior covariance can be orders of magnitude below the prior (no ridge, long times),
    // where the dual form K_tt − (…) cancels: errors relative to the prior's scale
    double prior = 0;
    for (double v : diag) {
      prior = Math.max(prior, v);
    }
    double covErr = scaledError(dual.covariance(t, td, nngpTd, nngpTt),
        p.covariance(t, testFeatures, ft), prior);
    double varErr = scaledError(new double[][] {dual.variance(t, td, nngpTd, diag)},
        new double[][] {p.variance(t, testFeatures, ft)}, prior);
    assertTrue(meanErr <= PRIMAL_DUAL, "mean error " + meanErr);
    assertTrue(covErr <= PRIMAL_DUAL, "covariance error " + covErr);
    assertTrue(varErr <= PRIMAL_DUAL, "variance error " + varErr);
  }

  @Test
  void blockSizeDoesNotMatter() {
    for (EnsembleKind kind : EnsembleKind.values()) {
      FeatureEnsemblePosterior one = primal(kind, 1e-3, N);
      FeatureEnsemblePosterior many = primal(kind, 1e-3, 3);
      double[][] tf = kind == EnsembleKind.NNGP ? ft : gt;
      assertTrue(scaledError(one.mean(10, tf), many.mean(10, tf)) <= 1e-12);
      assertTrue(scaledError(one.covariance(10, tf, ft), many.covariance(10, tf, ft)) <= 1e-12);
    }
  }

  @Test
  void ridgeIsRelativeToTheMeanDiagonal() {
    double trace = 0;
    for (double[] row : g) {
      trace += GradientFlow.dot(row, row);
    }
    assertEquals(0.1 * trace / N, primal(EnsembleKind.NTK, 0.1, 5).shift(), 1e-12 * trace);
  }

  @Test
  void varianceIsTheDiagonalOfTheCovariance() {
    for (EnsembleKind kind : EnsembleKind.values()) {
      FeatureEnsemblePosterior p = primal(kind, 1e-3, 8);
      double[][] tf = kind == EnsembleKind.NNGP ? ft : gt;
      for (double t : EnsemblePosteriorTest.TIMES) {
        double[][] cov = p.covariance(t, tf, ft);
        double[] var = p.variance(t, tf, ft);
        for (int i = 0; i < M; i++) {
          assertEquals(cov[i][i], var[i], 1e-14 * Math.max(1, cov[i][i]));
        }
      }
    }
  }
}
