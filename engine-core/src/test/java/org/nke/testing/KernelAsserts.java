package org.nke.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Locale;
import org.nke.spi.KernelMatrix;

/**
 * Matrix comparisons reporting the relative Frobenius error, the max-abs error and the worst entry
 * with both values (cf. neural-tangents' {@code assert_close_matrices}).
 */
public final class KernelAsserts {
  private KernelAsserts() {
  }

  /**
   * @param expected reference
   * @param actual tested
   * @return {@code ‖A − E‖_F / ‖E‖_F}
   */
  public static double relativeFrobenius(double[][] expected, double[][] actual) {
    double num = 0;
    double den = 0;
    for (int i = 0; i < expected.length; i++) {
      for (int j = 0; j < expected[i].length; j++) {
        double d = actual[i][j] - expected[i][j];
        num += d * d;
        den += expected[i][j] * expected[i][j];
      }
    }
    return Math.sqrt(num) / Math.max(Math.sqrt(den), 1e-300);
  }

  /**
   * Asserts {@code ‖A − E‖_F ≤ rtol ‖E‖_F + atol} and reports the worst entry otherwise.
   *
   * @param expected reference
   * @param actual tested
   * @param rtol relative tolerance
   * @param atol absolute tolerance on the Frobenius difference
   */
  public static void assertCloseMatrices(double[][] expected, double[][] actual, double rtol,
      double atol) {
    if (expected.length != actual.length || expected[0].length != actual[0].length) {
      fail("shapes differ: expected " + expected.length + "x" + expected[0].length + ", got "
          + actual.length + "x" + actual[0].length);
    }
    double num = 0;
    double den = 0;
    double worst = -1;
    int wi = 0;
    int wj = 0;
    for (int i = 0; i < expected.length; i++) {
      for (int j = 0; j < expected[i].length; j++) {
        double d = Math.abs(actual[i][j] - expected[i][j]);
        if (!(d <= worst) && !Double.isNaN(worst)) {
          worst = Double.isNaN(d) ? Double.NaN : d;
          wi = i;
          wj = j;
        }
        num += d * d;
        den += expected[i][j] * expected[i][j];
      }
    }
    double fro = Math.sqrt(num);
    if (!(fro <= rtol * Math.sqrt(den) + atol)) {
      fail(String.format(Locale.ROOT, "relative Frobenius error %.3e > rtol %.1e (max abs error %.3e "
          + "at (%d, %d): expected %.17g, got %.17g)", fro / Math.sqrt(den), rtol, worst, wi, wj,
          expected[wi][wj], actual[wi][wj]));
    }
  }

  /**
   * @param expected reference
   * @param actual tested
   * @param rtol relative tolerance
   */
  public static void assertCloseMatrices(KernelMatrix expected, KernelMatrix actual, double rtol) {
    assertCloseMatrices(expected.toArray(), actual.toArray(), rtol, 0);
  }

  /**
   * Asserts {@code |a − e| ≤ tol · scale}.
   *
   * @param expected reference
   * @param actual tested
   * @param scale the scale the tolerance is relative to (e.g. {@code √(K_xx K_yy)})
   * @param tol relative tolerance
   * @param what description for the failure message
   */
  public static void assertCloseScaled(double expected, double actual, double scale, double tol,
      String what) {
    double err = Math.abs(actual - expected);
    if (!(err <= tol * Math.max(scale, 1e-300))) {
      fail(String.format(Locale.ROOT, "%s: expected %.17g, got %.17g (error %.3e, %.3e relative to "
          + "scale %.3e, tolerance %.1e)", what, expected, actual, err, err / scale, scale, tol));
    }
  }
}
