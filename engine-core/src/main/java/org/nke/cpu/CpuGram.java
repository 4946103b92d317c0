package org.nke.cpu;

/**
 * The input Gram block {@code K⁰ = X Yᵀ / d} on the CPU, 4 × 4 register-blocked ({@link DotBlock}). Every entry
 * accumulates {@code Σ_k x_ik y_jk} in index order with its own accumulator, exactly as
 * {@link org.nke.ir.InputKernel#of} does, so diagonal entries equal the diagonal recursion's
 * variances bit for bit.
 */
final class CpuGram {
  private CpuGram() {
  }

  /**
   * Computes rows {@code i0 … i1−1}, columns {@code j ≥ jStart(i)} (all columns when
   * {@code !upperOnly}) into {@code out[i][j]}.
   *
   * @param x row points, not modified
   * @param y column points, not modified
   * @param i0 first row
   * @param i1 end row
   * @param upperOnly compute only {@code j ≥ i} (entries just below the diagonal may be written too)
   * @param out destination rows; modified
   */
  static void rows(double[][] x, double[][] y, int i0, int i1, boolean upperOnly, double[][] out) {
    int d = x[0].length;
    int m = y.length;
    double[] c = new double[16];
    int i = i0;
    for (; i + 3 < i1; i += 4) {
      double[] a0 = x[i];
      double[] a1 = x[i + 1];
      double[] a2 = x[i + 2];
      double[] a3 = x[i + 3];
      int j = upperOnly ? i : 0;
      for (; j + 3 < m; j += 4) {
        double[] b0 = y[j];
        double[] b1 = y[j + 1];
        double[] b2 = y[j + 2];
        double[] b3 = y[j + 3];
        DotBlock.dot4x4(a0, a1, a2, a3, b0, b1, b2, b3, d, c);
        for (int u = 0; u < 4; u++) {
          double[] row = out[i + u];
          for (int v = 0; v < 4; v++) {
            row[j + v] = c[4 * u + v] / d;
          }
        }
      }
      for (int r = i; r < i + 4; r++) {
        for (int jj = j; jj < m; jj++) {
          out[r][jj] = dot(x[r], y[jj], d);
        }
      }
    }
    for (; i < i1; i++) {
      for (int j = upperOnly ? i : 0; j < m; j++) {
        out[i][j] = dot(x[i], y[j], d);
      }
    }
  }

  private static double dot(double[] a, double[] b, int d) {
    double s = 0;
    for (int k = 0; k < d; k++) {
      s += a[k] * b[k];
    }
    return s / d;
  }
}
