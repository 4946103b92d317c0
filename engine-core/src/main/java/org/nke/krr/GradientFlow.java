package org.nke.krr;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.nke.error.InvalidInputException;
import org.nke.error.NumericalException;

/**
 * The spectral filters of gradient flow on the MSE loss {@code ‖f − y‖² / (2 n_y)} (learning rate 1),
 * shared by {@link EnsemblePosterior} (kernel matrices) and {@link FeatureEnsemblePosterior} (features).
 *
 * <p>With a symmetric matrix {@code A = V diag(s) Vᵀ}, the train-set residual after time {@code t} is
 * {@code exp(−t A / n_y) y} and every posterior quantity is {@code V diag(φ_t(s)) Vᵀ} with
 *
 * <pre>{@code φ_t(s) = (1 − e^{−s t / n_y}) / s = −expm1(−s t / n_y) / s}</pre>
 *
 * (computed with {@code expm1}, exact to a few ulps even when {@code s t / n_y} is tiny). The limits:
 * {@code φ_0 = 0}, {@code φ_∞(s) = 1/s}. As in neural-tangents ({@code _make_inv_expm1_fn}), negative
 * eigenvalues (round-off of a positive semi-definite matrix) are clamped to 0 in the exponent, which
 * makes their filter 0; an exactly zero eigenvalue also gets 0 (neural-tangents gives NaN there), the
 * pseudo-inverse convention — its eigenvector is orthogonal to every quantity it multiplies when the
 * kernel is exactly singular.
 */
final class GradientFlow {
  private GradientFlow() {
  }

  /**
   * @param s an eigenvalue of the regularised training kernel
   * @param t training time, {@code ≥ 0}, possibly {@code +∞}
   * @param labelCount {@code n_y}, the number of training label entries
   * @return {@code φ_t(s) = (1 − e^{−s t / n_y}) / s}
   */
  static double filter(double s, double t, double labelCount) {
    if (t == 0 || !(s > 0)) {
      return 0;
    }
    if (t == Double.POSITIVE_INFINITY) {
      return 1 / s;
    }
    return -Math.expm1(-s * t / labelCount) / s;
  }

  /**
   * @param t a training time
   * @throws InvalidInputException unless {@code t} is {@code ≥ 0} (or {@code +∞})
   */
  static void checkTime(double t) {
    if (!(t >= 0)) {
      throw new InvalidInputException("the training time must be >= 0 (or infinity), got " + t);
    }
  }

  /**
   * @param ridge a relative ridge
   * @throws InvalidInputException unless {@code ridge} is finite and {@code ≥ 0}
   */
  static void checkRidge(double ridge) {
    if (!(ridge >= 0) || ridge == Double.POSITIVE_INFINITY) {
      throw new InvalidInputException("the ridge must be finite and >= 0, got " + ridge);
    }
  }

  /**
   * Symmetric eigendecomposition {@code A = Σ_e s_e v_e v_eᵀ} (EJML).
   *
   * @param a a symmetric matrix, not modified
   * @param shift added to the diagonal before decomposing
   * @return the eigenvalues and eigenvectors of {@code A + shift·I}
   */
  static Spectrum eigen(double[][] a, double shift) {
    int n = a.length;
    DMatrixRMaj m = new DMatrixRMaj(n, n);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        // symmetrise exactly: EJML's symmetric solver reads both triangles
        m.data[i * n + j] = 0.5 * (a[i][j] + a[j][i]);
      }
      m.data[i * n + i] += shift;
    }
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, true, true);
    if (!eig.decompose(m)) {
      throw new NumericalException("eigendecomposition of the training kernel failed");
    }
    double[] s = new double[n];
    double[][] v = new double[n][];
    for (int e = 0; e < n; e++) {
      s[e] = eig.getEigenvalue(e).getReal();
      v[e] = eig.getEigenVector(e).data.clone();
      if (!Double.isFinite(s[e])) {
        throw new NumericalException("the training kernel has a non-finite eigenvalue " + s[e]);
      }
    }
    return new Spectrum(s, v);
  }

  /**
   * The eigendecomposition of a positive semi-definite {@code A} ({@code d × d}) of rank at most
   * {@code r < d} on its range (Halko, Martinsson & Tropp 2011, Alg. 4.1 and 5.3, here exact rather
   * than approximate): {@code Y = A Ω} with a Gaussian {@code Ω} ({@code d × (r + 8)}, fixed seed),
   * {@code Q} an orthonormal basis of its columns (Gram–Schmidt, twice), then
   * {@code Qᵀ A Q = W diag(s) Wᵀ} and {@code u_e = Q w_e}. Since {@code range(A Ω) = range(A)} with
   * probability one, {@code A = Σ_e s_e u_e u_eᵀ} up to round-off, in {@code O(d² r)} operations
   * instead of the {@code O(d³)} of {@link #eigen}: the sketch posterior of few training points
   * ({@code A = EᵀE} has rank at most {@code n}) with many features.
   *
   * @param a a symmetric positive semi-definite matrix, not modified
   * @param rank a bound on its rank, {@code rank + 8 < d}
   * @return its eigenpairs on (a basis containing) its range: fewer vectors than {@code d}
   */
  static Spectrum rangeEigen(double[][] a, int rank) {
    int d = a.length;
    int k = rank + 8;
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(0x6e6b65L);
    double[][] omega = new double[d][k];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < k; j++) {
        omega[i][j] = gaussian(rnd);
      }
    }
    double[][] y = multiply(a, omega);
    java.util.List<double[]> basis = new java.util.ArrayList<>();
    for (int j = 0; j < k; j++) {
      double[] v = new double[d];
      for (int i = 0; i < d; i++) {
        v[i] = y[i][j];
      }
      double before = Math.sqrt(dot(v, v));
      for (int pass = 0; pass < 2; pass++) {
        for (double[] q : basis) {
          double c = dot(q, v);
          for (int i = 0; i < d; i++) {
            v[i] -= c * q[i];
          }
        }
      }
      double norm = Math.sqrt(dot(v, v));
      if (norm > 1e-13 * before && norm > 0) {
        for (int i = 0; i < d; i++) {
          v[i] /= norm;
        }
        basis.add(v);
      }
    }
    int b = basis.size();
    double[][] aq = new double[b][];
    for (int e = 0; e < b; e++) {
      aq[e] = new double[d];
      double[] q = basis.get(e);
      for (int i = 0; i < d; i++) {
        aq[e][i] = dot(a[i], q);
      }
    }
    double[][] small = new double[b][b];
    for (int e = 0; e < b; e++) {
      for (int f = 0; f < b; f++) {
        small[e][f] = dot(basis.get(e), aq[f]);
      }
    }
    Spectrum inner = eigen(small, 0);
    double[][] vectors = new double[b][d];
    for (int e = 0; e < b; e++) {
      double[] w = inner.vectors()[e];
      for (int f = 0; f < b; f++) {
        double[] q = basis.get(f);
        for (int i = 0; i < d; i++) {
          vectors[e][i] += w[f] * q[i];
        }
      }
    }
    return new Spectrum(inner.values(), vectors);
  }

  private static double gaussian(java.util.SplittableRandom rnd) {
    // Box–Muller: any fixed continuous distribution works, Gaussian is the textbook choice
    double u = 1 - rnd.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd.nextDouble());
  }

  /**
   * An eigendecomposition.
   *
   * @param values the eigenvalues {@code s_e}
   * @param vectors {@code vectors[e]} is the unit eigenvector of {@code s_e}
   */
  record Spectrum(double[] values, double[][] vectors) implements java.io.Serializable {
    /**
     * @param y a matrix with as many rows as the decomposed matrix, not modified
     * @return {@code Vᵀ y}, row {@code e} = {@code v_eᵀ y}
     */
    double[][] project(double[][] y) {
      int n = vectors.length;
      int c = y[0].length;
      double[][] out = new double[n][c];
      for (int e = 0; e < n; e++) {
        double[] ve = vectors[e];
        for (int i = 0; i < ve.length; i++) {
          double w = ve[i];
          for (int k = 0; k < c; k++) {
            out[e][k] += w * y[i][k];
          }
        }
      }
      return out;
    }

    /**
     * @param rows a matrix with as many columns as the decomposed matrix, not modified
     * @return {@code rows · V}, entry {@code (a, e)} = {@code rows_a · v_e}
     */
    double[][] coordinates(double[][] rows) {
      int n = vectors.length;
      double[][] out = new double[rows.length][n];
      for (int a = 0; a < rows.length; a++) {
        for (int e = 0; e < n; e++) {
          out[a][e] = dot(rows[a], vectors[e]);
        }
      }
      return out;
    }

    /**
     * @param filter {@code φ(s_e)} for every eigenvalue
     * @param coefficients {@code Vᵀ y}, not modified
     * @return {@code V diag(φ) Vᵀ y}
     */
    double[][] apply(double[] filter, double[][] coefficients) {
      int n = vectors.length;
      int dim = vectors[0].length;
      int c = coefficients[0].length;
      double[][] out = new double[dim][c];
      double[][] w = new double[n][];
      for (int e = 0; e < n; e++) {
        if (filter[e] != 0) {
          w[e] = new double[c];
          for (int k = 0; k < c; k++) {
            w[e][k] = filter[e] * coefficients[e][k];
          }
        }
      }
      // row by row of the output (contiguous rows of w), each entry summed over e in order
      for (int i = 0; i < dim; i++) {
        double[] oi = out[i];
        for (int e = 0; e < n; e++) {
          if (w[e] == null) {
            continue;
          }
          double v = vectors[e][i];
          double[] we = w[e];
          for (int k = 0; k < c; k++) {
            oi[k] += v * we[k];
          }
        }
      }
      return out;
    }
  }

  /**
   * @param a a vector, not modified
   * @param b a vector of the same length, not modified
   * @return {@code a · b}
   */
  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  /**
   * @param a an {@code m × n} matrix, not modified
   * @param b an {@code n × c} matrix, not modified
   * @return {@code a b}
   */
  static double[][] multiply(double[][] a, double[][] b) {
    int c = b[0].length;
    double[][] out = new double[a.length][c];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < b.length; j++) {
        double w = a[i][j];
        if (w == 0) {
          continue;
        }
        for (int k = 0; k < c; k++) {
          out[i][k] += w * b[j][k];
        }
      }
    }
    return out;
  }
}
