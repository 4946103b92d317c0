package org.nke.krr;

import org.nke.error.InvalidInputException;

/**
 * The Gaussian of an infinite ensemble of infinite-width networks trained for time {@code t} by
 * gradient descent on {@code ‖f − y‖² / (2 n_y)} (learning rate 1), from kernel matrices — the
 * quantities of neural-tangents' {@code predict.gradient_descent_mse_ensemble} (Lee et al. 2019,
 * "Wide neural networks of any depth evolve as linear models under gradient descent", eq. 14–16).
 *
 * <p>Notation: {@code n} training points, {@code k} output columns, {@code n_y = n k} label entries,
 * {@code K} the NNGP and {@code Θ} the NTK ({@code dd} train–train, {@code td} test–train,
 * {@code tt} test–test), {@code λ ≥ 0} the relative ridge. The kernel {@code D} driving the dynamics
 * ({@code K} for {@link EnsembleKind#NNGP}, {@code Θ} for {@link EnsembleKind#NTK}) is regularised as
 * neural-tangents' {@code diag_reg} (relative scale):
 *
 * <pre>{@code D_r = D_dd + λ·mean(diag D_dd)·I = V diag(s) Vᵀ,
 * φ_t(s) = (1 − e^{−s t / n_y}) / s        (φ_0 = 0, φ_∞ = 1/s, see GradientFlow),
 * A_t = D_r⁻¹ (I − e^{−t D_r / n_y}) = V diag(φ_t(s)) Vᵀ.}</pre>
 *
 * <p><b>Mean.</b> The linearised network {@code f_t} solves {@code ḟ_t(X) = −D_dd (f_t(X) − y)/n_y}
 * on the training set (with the ridge: {@code D_r} in place of {@code D_dd}), so
 * {@code f_t(X) − y = e^{−t D_r/n_y} (f_0(X) − y)}, and on test points
 * {@code f_t(x) = f_0(x) + D_td A_t (y − f_0(X))}. Averaging over the initialisation
 * ({@code E f_0 = 0}):
 *
 * <pre>{@code μ_t = D_td A_t y = (D_td V) diag(φ_t(s)) (Vᵀ y)          (m × k)}</pre>
 *
 * ({@code t = ∞}: the ridge predictor {@code D_td D_r⁻¹ y}; {@code t = 0}: 0).
 *
 * <p><b>Covariance, NNGP.</b> Only the readout is trained: {@code f_t(x) − μ_t(x) = f_0(x) − K_td A_t
 * f_0(X)} with {@code f_0 ~ GP(0, K)}, whose covariance is
 * {@code K_tt − 2 K_td A_t K_dt + K_td A_t K_dd A_t K_dt}. neural-tangents evaluates it with the
 * regularised {@code K_r} in the last term (exactly so when {@code λ = 0}), which collapses it to one
 * filter at time {@code 2t}: {@code 2φ_t − s φ_t² = (1 − e^{−2st/n_y})/s = φ_{2t}}. We follow it:
 *
 * <pre>{@code Σ_t = K_tt − K_td A_{2t} K_dt = K_tt − P diag(φ_{2t}(s)) Pᵀ,   P = K_td V}</pre>
 *
 * ({@code t = ∞}: the GP posterior {@code K_tt − K_td K_r⁻¹ K_dt}).
 *
 * <p><b>Covariance, NTK.</b> With {@code B_t = Θ_td A_t} ({@code m × n}) and {@code f_0 ~ GP(0, K)}:
 *
 * <pre>{@code Σ_t = K_tt − B_t K_dt − K_td B_tᵀ + B_t K_dd B_tᵀ,
 *     B_t = Q diag(φ_t) Vᵀ,  Q = Θ_td V,  R = K_td V,  M = Vᵀ K_dd V:
 * Σ_t = K_tt − Q diag(φ_t) Rᵀ − R diag(φ_t) Qᵀ + Q diag(φ_t) M diag(φ_t) Qᵀ}</pre>
 *
 * with {@code K_dd} unregularised, as neural-tangents does. Variances are the diagonals of these
 * forms, {@code O(m n²)} without forming the {@code m × m} matrix. Building costs one
 * {@code O(n³)} eigendecomposition (and {@code O(n³)} for {@code M}); each time {@code t} then costs
 * {@code O(n² k + m n k)} for the mean, {@code O(m n²)} for variances and {@code O(m² n)} more for
 * the covariance.
 */
public final class EnsemblePosterior {
  private final EnsembleKind kind;
  private final int points;
  private final double labelCount;
  private final GradientFlow.Spectrum spectrum;
  private final double[][] projectedTargets;
  private final double[][] projectedNngp;

  private EnsemblePosterior(EnsembleKind kind, double[][] dynamics, double[][] nngp, double[][] y,
      double ridge) {
    GradientFlow.checkRidge(ridge);
    int n = dynamics.length;
    checkShape("the training kernel", dynamics, n, n);
    checkShape("the training targets", y, n, y.length == 0 ? 0 : y[0].length);
    if (y[0].length == 0) {
      throw new InvalidInputException("the training targets must have at least one column, got 0");
    }
    this.kind = kind;
    this.points = n;
    this.labelCount = (double) n * y[0].length;
    this.spectrum = GradientFlow.eigen(dynamics, ridge * ExactRidge.diagonalScale(dynamics));
    this.projectedTargets = spectrum.project(y);
    if (kind == EnsembleKind.NTK) {
      checkShape("the training NNGP", nngp, n, n);
      // M = Vᵀ K_dd V
      double[][] kv = spectrum.coordinates(nngp);
      this.projectedNngp = spectrum.coordinates(Syrk.transpose(kv));
    } else {
      this.projectedNngp = null;
    }
  }

  /**
   * @param nngpTrain {@code K_dd}, {@code n × n} symmetric, not modified
   * @param y training targets {@code n × k}, not modified
   * @param ridge relative ridge {@code λ ≥ 0} (neural-tangents' {@code diag_reg})
   * @return the posterior of networks whose readout alone is trained
   */
  public static EnsemblePosterior nngp(double[][] nngpTrain, double[][] y, double ridge) {
    return new EnsemblePosterior(EnsembleKind.NNGP, nngpTrain, null, y, ridge);
  }

  /**
   * @param ntkTrain {@code Θ_dd}, {@code n × n} symmetric, not modified
   * @param nngpTrain {@code K_dd}, not modified (used by the covariance only)
   * @param y training targets {@code n × k}, not modified
   * @param ridge relative ridge {@code λ ≥ 0}, relative to {@code mean(diag Θ_dd)}
   * @return the posterior of networks all of whose layers are trained
   */
  public static EnsemblePosterior ntk(double[][] ntkTrain, double[][] nngpTrain, double[][] y,
      double ridge) {
    return new EnsemblePosterior(EnsembleKind.NTK, ntkTrain, nngpTrain, y, ridge);
  }

  /** @return which kernel drives the dynamics */
  public EnsembleKind kind() {
    return kind;
  }

  /**
   * @param t training time {@code ≥ 0}, {@code +∞} for the converged (ridge) predictor
   * @param testTrain {@code D_td} ({@code K_td} or {@code Θ_td} by {@link #kind()}), {@code m × n},
   *     not modified
   * @return the mean {@code μ_t = D_td A_t y}, {@code m × k}
   */
  public double[][] mean(double t, double[][] testTrain) {
    GradientFlow.checkTime(t);
    checkShape("the test-train kernel", testTrain, testTrain.length, points);
    double[][] w = spectrum.apply(filters(t), projectedTargets);
    return GradientFlow.multiply(testTrain, w);
  }

  /**
   * @param t training time {@code ≥ 0} or {@code +∞}
   * @param testTrain {@code D_td}, {@code m × n}, not modified
   * @param nngpTestTrain {@code K_td}, not modified (NTK only; ignored, may be {@code null}, for NNGP)
   * @param nngpTestTest {@code K_tt}, {@code m × m}, not modified
   * @return the covariance {@code Σ_t}, {@code m × m} (shared by every output column)
   */
  public double[][] covariance(double t, double[][] testTrain, double[][] nngpTestTrain,
      double[][] nngpTestTest) {
    GradientFlow.checkTime(t);
    int m = testTrain.length;
    checkShape("the test-test kernel", nngpTestTest, m, m);
    double[][] cov = new double[m][m];
    if (kind == EnsembleKind.NNGP) {
      double[][] p = coordinates(testTrain);
      double[] f2 = filters(2 * t);
      for (int a = 0; a < m; a++) {
        for (int b = 0; b <= a; b++) {
          double s = 0;
          for (int e = 0; e < points; e++) {
            s += p[a][e] * f2[e] * p[b][e];
          }
          cov[a][b] = nngpTestTest[a][b] - s;
        }
      }
    } else {
      double[][] q = scaled(coordinates(testTrain), filters(t));
      double[][] r = coordinates(nngpTestTrain);
      double[][] qm = GradientFlow.multiply(q, projectedNngp);
      for (int a = 0; a < m; a++) {
        for (int b = 0; b <= a; b++) {
          double s = GradientFlow.dot(qm[a], q[b]) - GradientFlow.dot(q[a], r[b])
              - GradientFlow.dot(r[a], q[b]);
          cov[a][b] = nngpTestTest[a][b] + s;
        }
      }
    }
    // the result is symmetric by construction; mirror the computed lower triangle
    for (int a = 0; a < m; a++) {
      for (int b = a + 1; b < m; b++) {
        cov[a][b] = cov[b][a];
      }
    }
    return cov;
  }

  /**
   * The diagonal of {@link #covariance}, without forming the {@code m × m} matrix.
   *
   * @param t training time {@code ≥ 0} or {@code +∞}
   * @param testTrain {@code D_td}, {@code m × n}, not modified
   * @param nngpTestTrain {@code K_td}, not modified (NTK only; ignored, may be {@code null}, for NNGP)
   * @param nngpTestDiagonal {@code diag K_tt}, length {@code m}, not modified
   * @return the variances {@code diag Σ_t}, length {@code m}
   */
  public double[] variance(double t, double[][] testTrain, double[][] nngpTestTrain,
      double[] nngpTestDiagonal) {
    GradientFlow.checkTime(t);
    int m = testTrain.length;
    if (nngpTestDiagonal.length != m) {
      throw new InvalidInputException("the test diagonal must have " + m + " entries, got "
          + nngpTestDiagonal.length);
    }
    double[] var = new double[m];
    if (kind == EnsembleKind.NNGP) {
      double[][] p = coordinates(testTrain);
      double[] f2 = filters(2 * t);
      for (int a = 0; a < m; a++) {
        double s = 0;
        for (int e = 0; e < points; e++) {
          s += p[a][e] * f2[e] * p[a][e];
        }
        var[a] = nngpTestDiagonal[a] - s;
      }
    } else {
      double[][] q = scaled(coordinates(testTrain), filters(t));
      double[][] r = coordinates(nngpTestTrain);
      for (int a = 0; a < m; a++) {
        double[] qm = GradientFlow.multiply(new double[][] {q[a]}, projectedNngp)[0];
        var[a] = nngpTestDiagonal[a] + GradientFlow.dot(qm, q[a]) - 2 * GradientFlow.dot(q[a], r[a]);
      }
    }
    return var;
  }

  private double[] filters(double t) {
    double[] s = spectrum.values();
    double[] f = new double[points];
    for (int e = 0; e < points; e++) {
      f[e] = GradientFlow.filter(s[e], t, labelCount);
    }
    return f;
  }

  private double[][] coordinates(double[][] testTrain) {
    checkShape("the test-train kernel", testTrain, testTrain.length, points);
    return spectrum.coordinates(testTrain);
  }

  private static double[][] scaled(double[][] rows, double[] f) {
    for (double[] row : rows) {
      for (int e = 0; e < f.length; e++) {
        row[e] *= f[e];
      }
    }
    return rows;
  }

  private static void checkShape(String what, double[][] a, int rows, int cols) {
    if (a == null || a.length != rows) {
      throw new InvalidInputException(what + " must have " + rows + " rows, got "
          + (a == null ? 0 : a.length));
    }
    for (int i = 0; i < rows; i++) {
      if (a[i].length != cols) {
        throw new InvalidInputException(what + " must have " + cols + " columns, got "
            + a[i].length + " at row " + (i + 1));
      }
    }
  }
}
