package org.nke.cuda;

import org.nke.hermite.HermiteSource;

/**
 * The host's rows of the per-point coefficient tables uploaded for an activation sketch on the device
 * (float64, points × (q + 1)), for activations without an in-kernel quadrature: row {@code i} holds
 * the folded {@code c_0 … c_q} of {@code φ} at the point's scale and, for the NTK, those of
 * {@code φ'} — the CPU's own numbers ({@link HermiteSource#coefficientsWithDerivative}).
 */
final class CoefficientTables {
  private CoefficientTables() {
  }

  /**
   * @param source the activation's coefficients
   * @param scale the point's pre-activation standard deviation
   * @param q the degree
   * @param c the table of {@code φ}; row {@code i} written
   * @param d the table of {@code φ'}, or {@code null} (NNGP only); row {@code i} written
   * @param i the row
   */
  static void fill(HermiteSource source, double scale, int q, double[] c, double[] d, int i) {
    if (d == null) {
      System.arraycopy(source.coefficients(scale, q, false, true), 0, c, i * (q + 1), q + 1);
      return;
    }
    double[][] both = source.coefficientsWithDerivative(scale, q, true);
    System.arraycopy(both[0], 0, c, i * (q + 1), q + 1);
    System.arraycopy(both[1], 0, d, i * (q + 1), q + 1);
  }
}
