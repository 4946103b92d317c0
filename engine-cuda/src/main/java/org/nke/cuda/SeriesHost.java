package org.nke.cuda;

import java.util.Arrays;
import org.nke.dual.HermiteSeriesDual;
import org.nke.dual.PolynomialDual;
import org.nke.dual.SeriesTables;

/**
 * Host-side preparation of the series map {@code nke_dual_series_*}: per-point coefficient tables
 * (row tables row-major, column tables transposed so that a warp reads consecutive addresses) and
 * the truncation table that makes the device stop each pair at the same degree as
 * {@link HermiteSeriesDual#truncationDegree}.
 */
final class SeriesHost {
  private SeriesHost() {
  }

  /**
   * Tables for the device (see {@link DualKernels.Series}).
   *
   * @param stride coefficients per point
   * @param coefX rows × stride
   * @param coefYT stride × cols
   * @param derivX rows × stride, or {@code null}
   * @param derivYT stride × cols, or {@code null}
   * @param weights stride, or {@code null}
   * @param invX rows
   * @param invY cols
   */
  record Tables(int stride, double[] coefX, double[] coefYT, double[] derivX, double[] derivYT,
      double[] weights, double[] invX, double[] invY) {
  }

  /**
   * {@code K' = Σ_l r_l(k_xx) r_l(k_yy) k_xy^l}, {@code K̇ = Σ_k (k+1) r_{k+1}(k_xx) r_{k+1}(k_yy)
   * k_xy^k}, as {@link PolynomialDual} evaluates them (Horner from the top degree, the weight
   * multiplying the product).
   */
  static Tables polynomial(PolynomialDual d, double[] varX, double[] varY, boolean withDerivative) {
    int stride = d.degree() + 1;
    double[] cx = new double[varX.length * stride];
    double[] dx = withDerivative ? new double[varX.length * stride] : null;
    for (int i = 0; i < varX.length; i++) {
      double[] r = d.scaledCoefficients(varX[i]);
      System.arraycopy(r, 0, cx, i * stride, stride);
      if (dx != null) {
        System.arraycopy(r, 1, dx, i * stride, stride - 1);
      }
    }
    double[] cy = new double[varY.length * stride];
    double[] dy = withDerivative ? new double[varY.length * stride] : null;
    for (int j = 0; j < varY.length; j++) {
      double[] r = d.scaledCoefficients(varY[j]);
      System.arraycopy(r, 0, cy, j * stride, stride);
      if (dy != null) {
        System.arraycopy(r, 1, dy, j * stride, stride - 1);
      }
    }
    double[] w = null;
    if (withDerivative) {
      w = new double[stride];
      for (int k = 0; k + 1 < stride; k++) {
        w[k] = k + 1;
      }
    }
    double[] ones = new double[varX.length];
    Arrays.fill(ones, 1.0);
    double[] onesY = new double[varY.length];
    Arrays.fill(onesY, 1.0);
    return new Tables(stride, cx, transpose(cy, varY.length, stride), dx,
        dy == null ? null : transpose(dy, varY.length, stride), w, ones, onesY);
  }

  /** The exported tables of a {@link HermiteSeriesDual} binding, column tables transposed. */
  static Tables hermite(SeriesTables s, int rows, int cols, boolean withDerivative) {
    int stride = s.stride();
    boolean d = withDerivative && s.derivX() != null;
    return new Tables(stride, s.coefX(), transpose(s.coefY(), cols, stride),
        d ? s.derivX() : null, d ? transpose(s.derivY(), cols, stride) : null, null,
        Arrays.copyOf(s.invScaleX(), rows), Arrays.copyOf(s.invScaleY(), cols));
  }

  /**
   * The truncation table: {@code bounds[m]} is the largest {@code a ≥ 0} with
   * {@code truncationDegree(a) ≤ m} (found by bisection over the bit patterns of doubles in
   * {@code [0, 0.999]}, which is exact because the rule is non-decreasing in {@code a}), and
   * {@code +∞} for the top degree. The device sums a pair to the first {@code m} with
   * {@code |ρ| ≤ bounds[m]}, which is then exactly the CPU's degree.
   *
   * @param stride coefficients per point (top degree + 1)
   * @param logTol {@code ln(tol)}
   * @return the table, {@code stride} entries
   */
  static double[] truncationBounds(int stride, double logTol) {
    int max = stride - 1;
    double[] b = new double[stride];
    long hiBits = Double.doubleToLongBits(0.999);
    for (int m = 0; m < max; m++) {
      long lo = 0;
      long hi = hiBits;
      if (HermiteSeriesDual.truncationDegree(Double.longBitsToDouble(hi), max, logTol) <= m) {
        lo = hi;
      }
      while (hi - lo > 1) {
        long mid = (lo + hi) >>> 1;
        if (HermiteSeriesDual.truncationDegree(Double.longBitsToDouble(mid), max, logTol) <= m) {
          lo = mid;
        } else {
          hi = mid;
        }
      }
      b[m] = Double.longBitsToDouble(lo);
    }
    b[max] = Double.POSITIVE_INFINITY;
    return b;
  }

  /** @return {@code t} ({@code n × stride}) as {@code stride × n} */
  static double[] transpose(double[] t, int n, int stride) {
    double[] out = new double[t.length];
    for (int j = 0; j < n; j++) {
      for (int k = 0; k < stride; k++) {
        out[k * n + j] = t[j * stride + k];
      }
    }
    return out;
  }

  /** @return the arrays back to back */
  static double[] concat(double[]... parts) {
    int n = 0;
    for (double[] p : parts) {
      n += p.length;
    }
    double[] out = new double[n];
    int at = 0;
    for (double[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
