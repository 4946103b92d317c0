package org.nke.krr;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.nke.error.NumericalException;

/**
 * Kernel ridge regression on an exact kernel matrix:
 *
 * <pre>{@code α = (K + λ s I)^{−1} Y,   f(x) = K(x, X) α,   s = mean_i K(x_i, x_i)}</pre>
 *
 * (the ridge {@code λ} is relative to the mean diagonal, so one grid fits every kernel scale). The
 * ridge can be chosen by exact leave-one-out: with {@code K = Q Λ Qᵀ},
 * {@code H_λ = K (K + λ s I)^{−1}} and the LOO residual {@code (y_i − ŷ_i)/(1 − H_ii)} (Rifkin &amp;
 * Lippert 2007), every {@code λ} costs {@code O(n²c)} after one {@code O(n³)} eigendecomposition.
 */
public final class ExactRidge {
  /** Default ridge grid (relative): {@code 10^−7 … 10^1}. */
  public static final double[] GRID = {1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 10};

  private ExactRidge() {
  }

  /**
   * @param k a square kernel matrix, not modified
   * @return {@code mean_i K_ii}
   */
  public static double diagonalScale(double[][] k) {
    double s = 0;
    for (int i = 0; i < k.length; i++) {
      s += k[i][i];
    }
    return s / k.length;
  }

  /**
   * @param k the training kernel {@code K(X, X)}, not modified
   * @param y targets {@code n × c}, not modified
   * @param lambda relative ridge
   * @return the dual coefficients {@code α}, {@code n × c}
   */
  public static double[][] fit(double[][] k, double[][] y, double lambda) {
    return SpdSolver.solve(k, lambda * diagonalScale(k), y);
  }

  /**
   * @param kTestTrain {@code K(X*, X)}, rows = test points, not modified
   * @param alpha dual coefficients, not modified
   * @return scores {@code K(X*, X) α}
   */
  public static double[][] scores(double[][] kTestTrain, double[][] alpha) {
    int c = alpha[0].length;
    double[][] out = new double[kTestTrain.length][c];
    for (int i = 0; i < kTestTrain.length; i++) {
      double[] row = kTestTrain[i];
      for (int j = 0; j < row.length; j++) {
        double v = row[j];
        for (int t = 0; t < c; t++) {
          out[i][t] += v * alpha[j][t];
        }
      }
    }
    return out;
  }

  /**
   * Chooses the ridge by exact leave-one-out over a grid.
   *
   * @param k a (sub-)sample's kernel matrix, not modified (at most a few thousand points: costs
   *     {@code O(n³)})
   * @param targets the sample's targets
   * @param truth the sample's labels (for the metric)
   * @param grid relative ridges to try
   * @return {@code {best λ, its LOO metric}}
   */
  public static double[] looSelect(double[][] k, Targets targets, double[] truth, double[] grid) {
    Loo r = looScores(k, targets, truth, grid);
    return new double[] {r.ridge(), r.metric()};
  }

  /**
   * The result of leave-one-out ridge selection.
   *
   * @param ridge the best relative ridge
   * @param metric its LOO metric
   * @param scores the exact LOO scores at that ridge ({@code n × c}: row {@code i} predicted without
   *     point {@code i})
   */
  public record Loo(double ridge, double metric, double[][] scores) {
  }

  /**
   * As {@link #looSelect}, also returning the LOO scores at the chosen ridge.
   *
   * @param k a (sub-)sample's kernel matrix, not modified
   * @param targets the sample's targets
   * @param truth the sample's labels (for the metric; {@code null} for several regression columns)
   * @param grid relative ridges to try
   * @return the best ridge, its metric and LOO scores
   */
  public static Loo looScores(double[][] k, Targets targets, double[] truth, double[] grid) {
    int n = k.length;
    DMatrixRMaj m = new DMatrixRMaj(k);
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, true, true);
    if (!eig.decompose(m)) {
      throw new NumericalException("eigendecomposition of the kernel failed while choosing the ridge");
    }
    double[] lam = new double[n];
    double[][] q = new double[n][];
    for (int i = 0; i < n; i++) {
      lam[i] = eig.getEigenvalue(i).getReal();
      q[i] = eig.getEigenVector(i).data;
    }
    double[][] y = targets.y();
    int c = y[0].length;
    double[][] qty = new double[n][c];
    for (int e = 0; e < n; e++) {
      for (int i = 0; i < n; i++) {
        for (int t = 0; t < c; t++) {
          qty[e][t] += q[e][i] * y[i][t];
        }
      }
    }
    double scale = diagonalScale(k);
    double best = grid[0];
    double bestMetric = Double.NaN;
    double[][] bestLoo = null;
    for (double l : grid) {
      double shift = l * scale;
      double[][] fitted = new double[n][c];
      double[] h = new double[n];
      for (int e = 0; e < n; e++) {
        double f = lam[e] / (lam[e] + shift);
        for (int i = 0; i < n; i++) {
          double qi = q[e][i];
          h[i] += f * qi * qi;
          for (int t = 0; t < c; t++) {
            fitted[i][t] += f * qi * qty[e][t];
          }
        }
      }
      double[][] loo = new double[n][c];
      for (int i = 0; i < n; i++) {
        for (int t = 0; t < c; t++) {
          loo[i][t] = y[i][t] - (y[i][t] - fitted[i][t]) / Math.max(1 - h[i], 1e-12);
        }
      }
      double metric = targets.scoreMetric(loo, truth);
      if (Double.isNaN(bestMetric) || targets.better(metric, bestMetric)) {
        bestMetric = metric;
        best = l;
        bestLoo = loo;
      }
    }
    return new Loo(best, bestMetric, bestLoo);
  }
}
