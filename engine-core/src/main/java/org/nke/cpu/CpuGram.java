package org.nke.cpu;

/**
 * The input Gram block {@code K⁰ = X Yᵀ / d} on the CPU, 4 × 4 register-blocked. Every entry
 * accumulates {@code Σ_k x_ik y_jk} in index order with its own accumulator, exactly as
 * {@link org.nke.exact.InputKernel#of} does, so diagonal entries equal the diagonal recursion's
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
        double c00 = 0, c01 = 0, c02 = 0, c03 = 0;
        double c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        double c20 = 0, c21 = 0, c22 = 0, c23 = 0;
        double c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (int k = 0; k < d; k++) {
          double v0 = a0[k];
          double v1 = a1[k];
          double v2 = a2[k];
          double v3 = a3[k];
          double w0 = b0[k];
          double w1 = b1[k];
          double w2 = b2[k];
          double w3 = b3[k];
          c00 += v0 * w0;
          c01 += v0 * w1;
          c02 += v0 * w2;
          c03 += v0 * w3;
          c10 += v1 * w0;
          c11 += v1 * w1;
          c12 += v1 * w2;
          c13 += v1 * w3;
          c20 += v2 * w0;
          c21 += v2 * w1;
          c22 += v2 * w2;
          c23 += v2 * w3;
          c30 += v3 * w0;
          c31 += v3 * w1;
          c32 += v3 * w2;
          c33 += v3 * w3;
        }
        store(out[i], j, c00, c01, c02, c03, d);
        store(out[i + 1], j, c10, c11, c12, c13, d);
        store(out[i + 2], j, c20, c21, c22, c23, d);
        store(out[i + 3], j, c30, c31, c32, c33, d);
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

  private static void store(double[] row, int j, double c0, double c1, double c2, double c3, int d) {
    row[j] = c0 / d;
    row[j + 1] = c1 / d;
    row[j + 2] = c2 / d;
    row[j + 3] = c3 / d;
  }

  private static double dot(double[] a, double[] b, int d) {
    double s = 0;
    for (int k = 0; k < d; k++) {
      s += a[k] * b[k];
    }
    return s / d;
  }
}
