package org.nke.hermite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nke.dual.Activations;
import org.nke.dual.ActivationFunction;
import org.nke.dual.PolynomialDual;
import org.nke.dual.SpecialFunctions;

/** Parseval, finite expansions of polynomials, decreasing truncation error, Stein's identity. */
class HermiteExpansionTest {
  @Test
  void parsevalHoldsForSmoothActivations() {
    HermiteExpansion e = HermiteExpansion.of(Activations.tanh(), 200);
    for (double a : new double[] {0.1, 0.5, 1, 1.7}) {
      double[] c = e.coefficients(a);
      double sum = 0;
      for (double v : c) {
        sum += v * v;
      }
      assertEquals(e.secondMoment(a), sum, 1e-10 * e.secondMoment(a), "scale " + a);
    }
  }

  @Test
  void polynomialsHaveFinitelyManyCoefficients() {
    ActivationFunction cubic = PolynomialDual.of(new double[] {1, -2, 0.5, 0.25}).function()
        .orElseThrow();
    HermiteExpansion e = HermiteExpansion.of(cubic, 20);
    double[] c = e.coefficients(1.3);
    for (int k = 4; k <= 20; k++) {
      assertEquals(0, c[k], 1e-12, "coefficient " + k);
    }
    // x³ at scale a: c_3 = a³ √6
    assertEquals(0.25 * Math.pow(1.3, 3) * Math.sqrt(6), c[3], 1e-12);
  }

  @Test
  void normalisedHermitePolynomialHasAUnitCoefficient() {
    for (int n = 0; n <= 10; n++) {
      final int deg = n;
      HermiteExpansion e = HermiteExpansion.of(new ActivationFunction() {
        @Override
        public double value(double x) {
          return HermitePolynomials.value(deg, x);
        }

        @Override
        public double derivative(double x) {
          return 0;
        }
      }, 12);
      double[] c = e.coefficients(1.0);
      for (int k = 0; k <= 12; k++) {
        assertEquals(k == n ? 1 : 0, c[k], 1e-12, "h_" + n + " coefficient " + k);
      }
    }
  }

  @Test
  void truncationErrorDecreasesWithDegree() {
    HermiteExpansion e = HermiteExpansion.of(Activations.tanh(), 120);
    double[] c = e.coefficients(1.0);
    double m = e.secondMoment(1.0);
    int q6 = HermiteExpansion.truncationDegree(c, m, 1e-3);
    int q10 = HermiteExpansion.truncationDegree(c, m, 1e-5);
    assertTrue(q6 > 0 && q10 > q6, "degrees " + q6 + ", " + q10);
    double previous = Double.POSITIVE_INFINITY;
    double partial = 0;
    for (int q = 0; q < c.length; q += 2) {
      partial += c[q] * c[q] + (q + 1 < c.length ? c[q + 1] * c[q + 1] : 0);
      double tail = m - partial;
      assertTrue(tail <= previous + 1e-15, "tail must not grow at q = " + q);
      previous = tail;
    }
  }

  @Test
  void derivativeCoefficientsSatisfySteinsIdentity() {
    // E[φ'(az) h_k(z)] = √(k+1) c_{k+1}(a) / a
    HermiteExpansion e = HermiteExpansion.of(new ActivationFunction() {
      @Override
      public double value(double x) {
        return SpecialFunctions.erf(x);
      }

      @Override
      public double derivative(double x) {
        return 2 / Math.sqrt(Math.PI) * Math.exp(-x * x);
      }
    }, 40);
    double a = 0.8;
    double[] c = e.coefficients(a);
    double[] d = e.derivativeCoefficients(a);
    for (int k = 0; k < 39; k++) {
      assertEquals(Math.sqrt(k + 1) * c[k + 1] / a, d[k], 1e-13, "k = " + k);
    }
  }
}
