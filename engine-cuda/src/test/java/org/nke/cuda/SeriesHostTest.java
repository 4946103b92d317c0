package org.nke.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nke.dual.BoundDual;
import org.nke.dual.DualCatalog;
import org.nke.dual.HermiteSeriesDual;
import org.nke.dual.PolynomialDual;
import org.nke.dual.SeriesTables;

/**
 * The host side of the series map: the tables and the truncation table, evaluated by a Java
 * transcription of {@code nke_dual_series_f64} (same operations in the same order), reproduce the
 * CPU's series duals bit for bit.
 */
class SeriesHostTest {
  private final Random rnd = new Random(7);

  /** The device algorithm of nke_dual_series_f64 for one entry: {value, derivative}. */
  static double[] emulate(SeriesHost.Tables t, int i, int j, int cols, double kxy, boolean clip,
      double[] bounds) {
    int stride = t.stride();
    double rho = kxy * t.invX()[i] * t.invY()[j];
    if (clip) {
      rho = rho > 1 ? 1 : rho < -1 ? -1 : rho;
    }
    int top = stride - 1;
    if (bounds != null) {
      int lo = 0;
      int hi = top;
      double abs = Math.abs(rho);
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (abs <= bounds[mid]) {
          hi = mid;
        } else {
          lo = mid + 1;
        }
      }
      top = lo;
    }
    double v = 0;
    double d = 0;
    for (int k = top; k >= 0; k--) {
      v = v * rho + t.coefX()[i * stride + k] * t.coefYT()[k * cols + j];
      if (t.derivX() != null) {
        double p = t.derivX()[i * stride + k] * t.derivYT()[k * cols + j];
        if (t.weights() != null) {
          p = t.weights()[k] * p;
        }
        d = d * rho + p;
      }
    }
    return new double[] {v, d};
  }

  private double[] variances(int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = 0.05 + 3 * rnd.nextDouble();
    }
    return v;
  }

  private void assertReproduces(BoundDual bound, SeriesHost.Tables t, double[] vx, double[] vy,
      boolean clip, double[] bounds, String what) {
    for (int i = 0; i < vx.length; i++) {
      for (int j = 0; j < vy.length; j++) {
        double s = Math.sqrt(vx[i] * vy[j]);
        double kxy = s * (2.04 * rnd.nextDouble() - 1.02);
        if ((i + j) % 7 == 0) {
          kxy = s * (1 - Math.pow(10, -1 - 4 * rnd.nextDouble()));
        }
        double[] k = {kxy};
        double[] th = {1.0};
        bound.applyRow(i, j, 1, k, th, 0);
        double[] got = emulate(t, i, j, vy.length, kxy, clip, bounds);
        assertEquals(k[0], got[0], 0.0, what + " value at (" + i + ", " + j + ")");
        assertEquals(th[0], got[1], 0.0, what + " derivative at (" + i + ", " + j + ")");
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"Tanh()", "Softplus()", "Swish()"})
  void hermiteTablesReproduceTheCpuSeriesBitForBit(String activation) {
    HermiteSeriesDual dual = (HermiteSeriesDual) DualCatalog.byName(activation);
    double[] vx = variances(9);
    double[] vy = variances(7);
    BoundDual bound = dual.bind(vx, vy, true);
    SeriesTables s = bound.seriesTables().orElseThrow();
    SeriesHost.Tables t = SeriesHost.hermite(s, vx.length, vy.length, true);
    double[] bounds = SeriesHost.truncationBounds(s.stride(), s.logTolerance());
    assertReproduces(bound, t, vx, vy, true, bounds, activation);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Monomial(degree=0)", "Monomial(degree=3)", "Hermite(degree=5)",
      "Polynomial(coef=[0.1, -0.4, 0.3, 0.02])"})
  void polynomialTablesReproduceTheCpuDualBitForBit(String activation) {
    PolynomialDual dual = (PolynomialDual) DualCatalog.byName(activation);
    double[] vx = variances(6);
    double[] vy = variances(5);
    SeriesHost.Tables t = SeriesHost.polynomial(dual, vx, vy, true);
    assertReproduces(dual.bind(vx, vy, true), t, vx, vy, false, null, activation);
  }

  @Test
  void truncationTableGivesTheCpuDegreeEverywhere() {
    for (double tol : new double[] {1e-11, 1e-6, 0.3}) {
      double logTol = Math.log(tol);
      int max = 200;
      double[] b = SeriesHost.truncationBounds(max + 1, logTol);
      for (int k = 0; k < 20000; k++) {
        double a = k < 10000 ? rnd.nextDouble() : 1 - Math.pow(10, -6 * rnd.nextDouble());
        int want = HermiteSeriesDual.truncationDegree(a, max, logTol);
        int got = 0;
        while (got < max && !(a <= b[got])) {
          got++;
        }
        assertEquals(want, got, "degree at |rho| = " + a + ", tol " + tol);
      }
      for (int m = 0; m < max; m++) {
        double edge = b[m];
        assertTrue(HermiteSeriesDual.truncationDegree(edge, max, logTol) <= m);
        assertTrue(HermiteSeriesDual.truncationDegree(Math.nextUp(edge), max, logTol) > m
            || edge == b[max - 1]);
      }
      assertEquals(0, HermiteSeriesDual.truncationDegree(0, max, logTol));
    }
  }

  @Test
  void transposePutsEachDegreeInARow() {
    double[] t = {1, 2, 3, 4, 5, 6};
    assertEquals(java.util.List.of(1.0, 4.0, 2.0, 5.0, 3.0, 6.0),
        java.util.Arrays.stream(SeriesHost.transpose(t, 2, 3)).boxed().toList());
  }
}
