package org.nke.dual;

/**
 * The error function and the standard normal distribution, which {@code java.lang.Math} lacks.
 *
 * <p>{@code erf(x) = 2/√π ∫_0^x e^{−t²} dt} (DLMF 7.2.1). For {@code |x| < 2.5} the everywhere-positive
 * series {@code erf x = 2/√π e^{−x²} Σ_n 2^n x^{2n+1} / (2n+1)!!} (DLMF 7.6.2) is summed; beyond it
 * {@code erfc} comes from the continued fraction
 * {@code erfc x = e^{−x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …))))} (DLMF 7.9.2) evaluated by
 * the modified Lentz method. Relative accuracy about 1e−15 for both {@code erf} and {@code erfc}.
 */
public final class SpecialFunctions {
  private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);
  private static final double INV_SQRT_PI = 1.0 / Math.sqrt(Math.PI);
  /** Where the series hands over to the continued fraction. */
  private static final double SERIES_LIMIT = 2.5;
  /**
   * From here on {@code erfc(x) < 2.2e−17}, below half an ulp of 1: {@code 1 − erfc(x)} and
   * {@code 2 − erfc(x)} round to exactly 1 and 2, so {@code erf} and {@code erfc(−x)} skip the
   * continued fraction with the same result.
   */
  private static final double SATURATION = 6.0;

  private SpecialFunctions() {
  }

  /**
   * @param x the argument
   * @return {@code erf(x)}
   */
  public static double erf(double x) {
    double ax = Math.abs(x);
    if (ax < SERIES_LIMIT) {
      return series(x);
    }
    double r = ax >= SATURATION ? 1.0 : 1.0 - erfcPositive(ax);
    return x < 0 ? -r : r;
  }

  /**
   * @param x the argument
   * @return {@code erfc(x) = 1 − erf(x)}, accurate also where it is tiny
   */
  public static double erfc(double x) {
    if (x >= SERIES_LIMIT) {
      return erfcPositive(x);
    }
    if (x <= -SERIES_LIMIT) {
      return x <= -SATURATION ? 2.0 : 2.0 - erfcPositive(-x);
    }
    return 1.0 - series(x);
  }

  /**
   * @param x the argument
   * @return the standard normal distribution function {@code Φ(x) = erfc(−x/√2) / 2}
   */
  public static double normalCdf(double x) {
    return 0.5 * erfc(-x / Math.sqrt(2.0));
  }

  /**
   * @param x the argument
   * @return the standard normal density {@code e^{−x²/2} / √(2π)}
   */
  public static double normalPdf(double x) {
    return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
  }

  private static double series(double x) {
    double x2 = x * x;
    double term = x;
    double sum = x;
    for (int n = 1; n < 200; n++) {
      // term_n = term_{n−1} · 2x² / (2n+1)
      term *= 2.0 * x2 / (2 * n + 1);
      sum += term;
      if (Math.abs(term) <= 1e-17 * Math.abs(sum)) {
        break;
      }
    }
    return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
  }

  static double erfcPositive(double x) {
    if (x > 27) {
      return 0.0;
    }
    // Lentz evaluation of x + a1/(x + a2/(x + …)) with a_n = n/2.
    final double tiny = 1e-300;
    double f = x;
    double c = x;
    double d = 0;
    for (int n = 1; n < 500; n++) {
      double an = n * 0.5;
      d = x + an * d;
      d = d == 0 ? tiny : d;
      c = x + an / c;
      c = c == 0 ? tiny : c;
      d = 1.0 / d;
      double delta = c * d;
      f *= delta;
      if (Math.abs(delta - 1.0) < 1e-16) {
        break;
      }
    }
    return INV_SQRT_PI * Math.exp(-x * x) / f;
  }
}
