package org.nke.bench;

import org.nke.spi.KernelMatrix;

/** The relative Frobenius difference {@code ‖A − E‖_F / ‖E‖_F} reported by the timing rows. */
final class Frobenius {
  private Frobenius() {
  }

  /**
   * @param e reference
   * @param a compared
   * @return the relative difference
   */
  static double relative(KernelMatrix e, KernelMatrix a) {
    double num = 0;
    double den = 0;
    double[] re = new double[e.cols()];
    double[] ra = new double[a.cols()];
    for (int i = 0; i < e.rows(); i++) {
      e.copyRow(i, re);
      a.copyRow(i, ra);
      for (int j = 0; j < re.length; j++) {
        num += (ra[j] - re[j]) * (ra[j] - re[j]);
        den += re[j] * re[j];
      }
    }
    return Math.sqrt(num / den);
  }

  /**
   * @param e reference rows
   * @param a compared rows (same shape)
   * @return the relative difference
   */
  static double relative(double[][] e, double[][] a) {
    double num = 0;
    double den = 0;
    for (int i = 0; i < e.length; i++) {
      for (int j = 0; j < e[i].length; j++) {
        num += (a[i][j] - e[i][j]) * (a[i][j] - e[i][j]);
        den += e[i][j] * e[i][j];
      }
    }
    return Math.sqrt(num / den);
  }
}
