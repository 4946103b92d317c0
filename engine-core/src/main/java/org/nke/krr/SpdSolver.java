package org.nke.krr;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_MT_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;
import org.nke.error.NumericalException;

/** Solves {@code (A + λI) X = B} for symmetric positive semi-definite {@code A} by Cholesky (EJML). */
public final class SpdSolver {
  /** Systems at least this large use the multithreaded solver. */
  static final int PARALLEL_SIZE = 1024;

  private SpdSolver() {
  }

  /**
   * @param a the matrix {@code A}, {@code n × n} (only read)
   * @param lambda the shift {@code λ > 0}
   * @param b right-hand sides {@code n × c}, not modified
   * @return {@code X}, {@code n × c}
   * @throws NumericalException when the shifted matrix is not positive definite
   */
  public static double[][] solve(double[][] a, double lambda, double[][] b) {
    int n = a.length;
    int c = b[0].length;
    DMatrixRMaj m = new DMatrixRMaj(n, n);
    for (int i = 0; i < n; i++) {
      System.arraycopy(a[i], 0, m.data, i * n, n);
      m.data[i * n + i] += lambda;
    }
    DMatrixRMaj rhs = new DMatrixRMaj(n, c);
    for (int i = 0; i < n; i++) {
      System.arraycopy(b[i], 0, rhs.data, i * c, c);
    }
    // EJML's block Cholesky, multithreaded for large systems (its own pool; block updates in a fixed
    // order, so the result does not depend on the thread count)
    LinearSolverDense<DMatrixRMaj> chol = n >= PARALLEL_SIZE ? LinearSolverFactory_MT_DDRM.symmPosDef(n)
        : LinearSolverFactory_DDRM.symmPosDef(n);
    if (!chol.setA(m)) {
      throw new NumericalException("the ridge system is not positive definite at ridge " + lambda
          + "; use a larger --ridge");
    }
    DMatrixRMaj x = new DMatrixRMaj(n, c);
    chol.solve(rhs, x);
    double[][] out = new double[n][c];
    for (int i = 0; i < n; i++) {
      System.arraycopy(x.data, i * c, out[i], 0, c);
      for (int k = 0; k < c; k++) {
        if (!Double.isFinite(out[i][k])) {
          throw new NumericalException("the ridge solution is not finite at ridge " + lambda
              + "; use a larger --ridge");
        }
      }
    }
    return out;
  }
}
