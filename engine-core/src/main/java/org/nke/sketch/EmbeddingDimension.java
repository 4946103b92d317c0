package org.nke.sketch;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.nke.arch.Architecture;
import org.nke.io.SparseMatrix;

/**
 * The number of features the subspace embedding needs for a requested accuracy: with the statistical
 * dimension {@code s_λ = tr(K (K + λI)^{−1})} of the kernel of the {@code n} points at ridge {@code λ},
 * {@code m' = ⌈C s_λ / ε²⌉} features make {@code Φ Φᵀ + λI} a {@code (1 ± ε)} spectral approximation of
 * {@code K + λI} ({@link #CONSTANT} measured for nke's embedding, see {@link SubspaceEmbedding}).
 * {@code s_λ} is estimated from the exact kernel of a sample of {@code n_s} points — computed from the
 * power series of the network with sparse dot products, {@code O(n_s² nnz)} — whose eigenvalues, scaled
 * by {@code n/n_s}, stand for the top eigenvalues of the full kernel (Nyström-style scaling; the
 * smallest eigenvalues are not seen, so this slightly underestimates {@code s_λ}).
 */
public final class EmbeddingDimension {
  /** {@code C} in {@code m' = C s_λ/ε²} (about 4 for a Gaussian projection of an exact factor). */
  public static final double CONSTANT = 25;
  /** Largest sample used for the estimate. */
  public static final int SAMPLE = 1000;

  private EmbeddingDimension() {
  }

  /**
   * The estimate.
   *
   * @param statisticalDimension {@code s_λ} for the full data
   * @param features the feature budget {@code m} to pass to the embedding (NNGP: m features, NTK:
   *     2m)
   * @param sampled the number of points whose kernel was computed
   * @param capped whether the budget hit {@link #MAX_BUDGET}
   */
  public record Estimate(double statisticalDimension, int features, int sampled, boolean capped) {
    /**
     * Whether {@code s_λ} is close to the sample size: the kernel is then nearly diagonal at this
     * ridge (typical of sparse, nearly orthogonal inputs), the estimate is only a lower bound, and a
     * {@code (1 ± ε)} guarantee needs a dimension comparable to the number of points.
     *
     * @return {@code s_λ} above 90% of the sample
     */
    public boolean saturated() {
      return statisticalDimension > 0.9 * sampled;
    }
  }

  /** Largest budget chosen. */
  public static final int MAX_BUDGET = 65536;

  /**
   * @param arch a bias-free homogeneous network
   * @param x the points (only the first {@link #SAMPLE} rows are used)
   * @param n the total number of points the embedding will see
   * @param ntk NTK (else NNGP)
   * @param epsilon requested spectral accuracy, in (0, 1)
   * @param ridge relative ridge {@code λ} (times the mean kernel diagonal)
   * @return the estimate, with an even budget in {@code [64, MAX_BUDGET]}
   */
  public static Estimate of(Architecture arch, SparseMatrix x, long n, boolean ntk, double epsilon,
      double ridge) {
    if (!(epsilon > 0 && epsilon < 1) || !(ridge > 0)) {
      throw new IllegalArgumentException("epsilon must be in (0, 1) and the ridge positive, got "
          + epsilon + " and " + ridge);
    }
    HomogeneousSeries series = HomogeneousSeries.of(arch, x.cols(), SubspaceEmbedding.SERIES_DEGREE);
    double[] c = ntk ? series.ntk() : series.nngp();
    int s = Math.min(SAMPLE, x.rows());
    double[] sq = new double[s];
    for (int i = 0; i < s; i++) {
      sq[i] = x.squaredNorm(i);
    }
    double[][] k = new double[s][s];
    double mean = 0;
    for (int i = 0; i < s; i++) {
      for (int j = i; j < s; j++) {
        double dot = dot(x, i, j);
        double norms = Math.sqrt(sq[i] * sq[j]);
        double rho = norms > 0 ? Math.max(-1, Math.min(1, dot / norms)) : 0;
        double v = 0;
        for (int t = c.length - 1; t >= 0; t--) {
          v = v * rho + c[t];
        }
        k[i][j] = Math.pow(norms / x.cols(), series.homogeneity()) * v;
        k[j][i] = k[i][j];
      }
      mean += k[i][i] / s;
    }
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(s, false, true);
    eig.decompose(new DMatrixRMaj(k));
    double scale = (double) n / s;
    double lambda = ridge * mean;
    double sd = 0;
    for (int i = 0; i < s; i++) {
      double mu = Math.max(eig.getEigenvalue(i).getReal(), 0) * scale;
      sd += mu / (mu + lambda);
    }
    double features = CONSTANT * sd / (epsilon * epsilon);
    int budget = (int) Math.ceil(ntk ? features / 2 : features);
    budget += budget & 1;
    boolean capped = budget > MAX_BUDGET;
    budget = Math.max(64, Math.min(MAX_BUDGET, budget));
    return new Estimate(sd, budget, s, capped);
  }

  private static double dot(SparseMatrix x, int a, int b) {
    int[] idx = x.indices();
    double[] val = x.values();
    int p = x.indptr()[a];
    int pe = x.indptr()[a + 1];
    int q = x.indptr()[b];
    int qe = x.indptr()[b + 1];
    double s = 0;
    while (p < pe && q < qe) {
      if (idx[p] == idx[q]) {
        s += val[p++] * val[q++];
      } else if (idx[p] < idx[q]) {
        p++;
      } else {
        q++;
      }
    }
    return s;
  }
}
