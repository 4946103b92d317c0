package org.nke.dual;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nke.testing.Tolerances;

/** Known identities between duals, exact up to rounding. */
class DualIdentitiesTest {
  private final Random rnd = new Random(345);

  private double[] randomCovariance() {
    double kxx = Math.exp(4 * rnd.nextGaussian());
    double kyy = Math.exp(4 * rnd.nextGaussian());
    double rho = 2 * rnd.nextDouble() - 1;
    return new double[] {kxx, kyy, rho * Math.sqrt(kxx * kyy)};
  }

  @Test
  void reluNngpOnTheDiagonalIsHalfTheVariance() {
    for (int t = 0; t < 100; t++) {
      double k = Math.exp(5 * rnd.nextGaussian());
      assertEquals(k / 2, ABReluDual.relu().value(k, k, k), Tolerances.F64_IDENTITY * k);
      assertEquals(k / 2, ABReluDual.relu().diagonal(k), Tolerances.F64_IDENTITY * k);
      assertEquals(0.5, ABReluDual.relu().derivative(k, k, k), Tolerances.F64_IDENTITY);
    }
  }

  @Test
  void monomialOfDegreeOneIsLinear() {
    DualActivation m1 = PolynomialDual.monomial(1);
    for (int t = 0; t < 100; t++) {
      double[] c = randomCovariance();
      assertEquals(c[2], m1.value(c[0], c[1], c[2]), Tolerances.F64_IDENTITY * Math.abs(c[2]));
      assertEquals(1.0, m1.derivative(c[0], c[1], c[2]), 0.0);
    }
  }

  @Test
  void absIsABReluMinusOneOne() {
    DualActivation abs = ABReluDual.abs();
    DualActivation ab = new ABReluDual(-1, 1, "ABRelu(-1, 1)");
    for (int t = 0; t < 100; t++) {
      double[] c = randomCovariance();
      assertEquals(ab.value(c[0], c[1], c[2]), abs.value(c[0], c[1], c[2]), 0.0);
      assertEquals(ab.derivative(c[0], c[1], c[2]), abs.derivative(c[0], c[1], c[2]), 0.0);
    }
  }

  @Test
  void reluIsABReluZeroOneAndLeakyIsABReluAlphaOne() {
    for (int t = 0; t < 100; t++) {
      double[] c = randomCovariance();
      assertEquals(new ABReluDual(0, 1, "").value(c[0], c[1], c[2]),
          ABReluDual.relu().value(c[0], c[1], c[2]), 0.0);
      assertEquals(new ABReluDual(0.1, 1, "").value(c[0], c[1], c[2]),
          ABReluDual.leakyRelu(0.1).value(c[0], c[1], c[2]), 0.0);
    }
  }

  @Test
  void reluIsRectifiedMonomialOfDegreeOne() {
    DualActivation rm = new RectifiedMonomialDual(1);
    for (int t = 0; t < 100; t++) {
      double[] c = randomCovariance();
      double scale = Math.sqrt(c[0] * c[1]);
      assertEquals(ABReluDual.relu().value(c[0], c[1], c[2]), rm.value(c[0], c[1], c[2]),
          1e-14 * scale);
      assertEquals(ABReluDual.relu().derivative(c[0], c[1], c[2]), rm.derivative(c[0], c[1], c[2]),
          1e-14);
    }
  }

  @Test
  void cosIsSinShiftedByHalfPi() {
    DualActivation cos = TrigDual.cos(1.2, 0.7, 0.3);
    DualActivation sin = TrigDual.sin(1.2, 0.7, 0.3 + Math.PI / 2);
    for (int t = 0; t < 50; t++) {
      double[] c = randomCovariance();
      if (c[0] + c[1] > 20) {
        continue;
      }
      assertEquals(sin.value(c[0], c[1], c[2]), cos.value(c[0], c[1], c[2]), 0.0);
    }
  }

  @Test
  void hermiteDualAtUnitVarianceIsThePowerOfTheCorrelation() {
    for (int n = 0; n <= 8; n++) {
      DualActivation h = PolynomialDual.hermite(n);
      for (double rho : new double[] {-1, -0.7, 0, 0.3, 0.95, 1}) {
        assertEquals(Math.pow(rho, n), h.value(1, 1, rho), 1e-12, "h_" + n + " at rho " + rho);
        assertEquals(n == 0 ? 0 : n * Math.pow(rho, n - 1), h.derivative(1, 1, rho), 1e-11);
      }
    }
  }

  @Test
  void signDualOnTheDiagonalIsOneAndZeroAtZeroVariance() {
    SignDual sign = new SignDual();
    assertEquals(1.0, sign.diagonal(3.7), 0.0);
    assertEquals(0.0, sign.diagonal(0.0), 0.0);
    assertEquals(0.0, sign.derivative(1, 1, 0.3), 0.0);
  }

  @Test
  void rectifiedMonomialDiagonalIsDoubleFactorialTimesPowerOverTwo() {
    double[] doubleFactorial = {1, 1, 3, 15, 105};
    for (int n = 0; n <= 4; n++) {
      double k = 1.7;
      assertEquals(doubleFactorial[n] * Math.pow(k, n) / 2, new RectifiedMonomialDual(n).diagonal(k),
          1e-13 * Math.pow(k, n) * doubleFactorial[n]);
    }
  }

  @Test
  void expNormalizedIsHomogeneous() {
    ExpNormalizedDual e = new ExpNormalizedDual(1.3, -1, false);
    for (int t = 0; t < 50; t++) {
      double[] c = randomCovariance();
      double s = 3.5;
      assertEquals(s * e.value(c[0], c[1], c[2]), e.value(s * c[0], s * c[1], s * c[2]),
          1e-13 * s * Math.abs(e.value(c[0], c[1], c[2])));
    }
    assertEquals(2.0, e.diagonal(2.0), 1e-15);
  }

  @Test
  void erfDualIsOddInTheCovarianceWhenCentred() {
    ErfDual erf = ErfDual.of(1, 1, 0);
    for (int t = 0; t < 50; t++) {
      double[] c = randomCovariance();
      assertEquals(-erf.value(c[0], c[1], c[2]), erf.value(c[0], c[1], -c[2]), 1e-15);
    }
  }
}
