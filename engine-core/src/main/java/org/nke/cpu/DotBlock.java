package org.nke.cpu;

/**
 * The 4 × 4 register block of the CPU's dense products ({@code X Yᵀ} Gram blocks, the ridge systems'
 * {@code Tᵀ T}, the sketches' Gram check): sixteen dot products of four rows with four rows, each
 * with its own accumulator summing {@code k = 0, 1, …} in order — so every entry is bit for bit the
 * plain loop {@code Σ_k a[k] b[k]}, on any blocking and any number of threads. Each of the eight
 * loaded values is used four times, which is what makes it several times faster than separate dot
 * products.
 */
public final class DotBlock {
  private DotBlock() {
  }

  /**
   * {@code c[4u + v] = Σ_{k < len} a_u[k] b_v[k]} (overwritten, not accumulated).
   *
   * @param a0 first row of the left four, not modified (repeat a row to compute fewer)
   * @param a1 second
   * @param a2 third
   * @param a3 fourth
   * @param b0 first row of the right four, not modified
   * @param b1 second
   * @param b2 third
   * @param b3 fourth
   * @param len the number of terms
   * @param c receives the sixteen sums, row-major; length at least 16
   */
  public static void dot4x4(double[] a0, double[] a1, double[] a2, double[] a3, double[] b0,
      double[] b1, double[] b2, double[] b3, int len, double[] c) {
    double c00 = 0, c01 = 0, c02 = 0, c03 = 0;
    double c10 = 0, c11 = 0, c12 = 0, c13 = 0;
    double c20 = 0, c21 = 0, c22 = 0, c23 = 0;
    double c30 = 0, c31 = 0, c32 = 0, c33 = 0;
    for (int k = 0; k < len; k++) {
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
    c[0] = c00;
    c[1] = c01;
    c[2] = c02;
    c[3] = c03;
    c[4] = c10;
    c[5] = c11;
    c[6] = c12;
    c[7] = c13;
    c[8] = c20;
    c[9] = c21;
    c[10] = c22;
    c[11] = c23;
    c[12] = c30;
    c[13] = c31;
    c[14] = c32;
    c[15] = c33;
  }
}
