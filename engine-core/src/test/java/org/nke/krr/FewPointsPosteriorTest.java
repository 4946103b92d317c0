package org.nke.krr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nke.krr.EnsemblePosteriorTest.scaledError;
import static org.nke.krr.FeatureEnsemblePosteriorTest.gaussian;
import static org.nke.krr.FeatureEnsemblePosteriorTest.outer;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link FeatureEnsemblePosterior} with fewer training points than features ({@code n = 10},
 * {@code p = 60}, {@code q = 70}): the eigenbasis is then taken on the range of {@code EᵀE} only
 * ({@link GradientFlow#rangeEigen}, {@code O(d² n)} — a 20-point sketch model with 8,191 features no
 * longer waits for an 8,191 × 8,191 eigendecomposition), and its mean, covariance and variance must
 * equal the dual {@link EnsemblePosterior}'s with {@code K = F Fᵀ}, {@code Θ = G Gᵀ} and the full
 * eigenbasis's.
 */
class FewPointsPosteriorTest {
  static final int N = 10;
  static final int P = 60;
  static final int Q = 70;
  static final int M = 5;

  @ParameterizedTest(name = "{0} ridge={1} t={2}")
  @CsvSource({"NNGP, 0.001, 0", "NNGP, 0.001, 1", "NNGP, 0.1, 10", "NNGP, 0.1, Infinity",
      "NTK, 0.001, 0", "NTK, 0.001, 1", "NTK, 0.1, 10", "NTK, 0.1, Infinity"})
  void rangeEigenbasisEqualsTheDualAndTheFullBasis(EnsembleKind kind, double ridge, double t) {
    Random rng = new Random(5);
    double[][] f = gaussian(rng, N, P);
    double[][] g = gaussian(rng, N, Q);
    double[][] ft = gaussian(rng, M, P);
    double[][] gt = gaussian(rng, M, Q);
    double[][] y = gaussian(rng, N, 2);
    FeatureEnsemblePosterior range = posterior(kind, f, g, y, ridge, true);
    FeatureEnsemblePosterior full = posterior(kind, f, g, y, ridge, false);
    assertTrue(range.state().values().length < (kind == EnsembleKind.NTK ? Q : P),
        "few points: the eigenbasis spans the range only");
    assertEquals(range.state().values().length, posterior(kind, f, g, y, ridge, null).state()
        .values().length, "chosen by default for n + 8 < d / 2");
    double[][] nngpTd = outer(ft, f);
    double[][] nngpTt = outer(ft, ft);
    EnsemblePosterior dual = kind == EnsembleKind.NNGP ? EnsemblePosterior.nngp(outer(f, f), y, ridge)
        : EnsemblePosterior.ntk(outer(g, g), outer(f, f), y, ridge);
    double[][] td = kind == EnsembleKind.NNGP ? nngpTd : outer(gt, g);
    double[][] test = kind == EnsembleKind.NNGP ? ft : gt;
    double[] diag = new double[M];
    double prior = 0;
    for (int i = 0; i < M; i++) {
      diag[i] = nngpTt[i][i];
      prior = Math.max(prior, diag[i]);
    }
    for (FeatureEnsemblePosterior p : new FeatureEnsemblePosterior[] {range, full}) {
      assertTrue(scaledError(dual.mean(t, td), p.mean(t, test)) <= 1e-9, "mean");
      assertTrue(scaledError(dual.covariance(t, td, nngpTd, nngpTt), p.covariance(t, test, ft), prior)
          <= 1e-9, "covariance");
      assertTrue(scaledError(new double[][] {dual.variance(t, td, nngpTd, diag)},
          new double[][] {p.variance(t, test, ft)}, prior) <= 1e-9, "variance");
    }
  }

  private static FeatureEnsemblePosterior posterior(EnsembleKind kind, double[][] f, double[][] g,
      double[][] y, double ridge, Boolean onRange) {
    PosteriorSums acc = FeatureEnsemblePosterior.accumulator(kind, P, Q, 2);
    acc.add(f, g, y);
    return onRange == null ? acc.build(ridge) : new FeatureEnsemblePosterior(acc, ridge, onRange);
  }
}
