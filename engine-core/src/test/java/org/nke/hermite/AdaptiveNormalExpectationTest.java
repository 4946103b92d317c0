package org.nke.hermite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * {@link AdaptiveNormalExpectation} against closed forms and against mpmath ({@code mpmath.quad} at
 * 30 digits, split at {@code 0, ±1/a, ±4/a}; mpmath 1.3.0, 2026-12-03; the same integrals as
 * {@code e1} in {@code tools/reference/numerics_edges.py}).
 */
class AdaptiveNormalExpectationTest {
  private static final double TOL = 1e-13;

  @Test
  void gaussianMomentsAndAbsoluteValueAreExact() {
    assertEquals(1.0, AdaptiveNormalExpectation.of(z -> z * z, 1), TOL);
    assertEquals(3.0, AdaptiveNormalExpectation.of(z -> z * z * z * z, 1), 3 * TOL);
    assertEquals(Math.sqrt(2 / Math.PI), AdaptiveNormalExpectation.of(Math::abs, 1), TOL);
  }

  @Test
  void tanhMomentsAtLargeVarianceMatchMpmath() {
    // {variance, E[tanh(a z)²], E[tanh'(a z)²]}, a = √variance
    double[][] ref = {
        {14, 0.79266575916766314791, 0.14055815033535477965},
        {100, 0.92053686343051667121, 0.053106787748115834101}};
    for (double[] r : ref) {
      double a = Math.sqrt(r[0]);
      double value = AdaptiveNormalExpectation.of(z -> Math.pow(Math.tanh(a * z), 2), 1 / a);
      double deriv = AdaptiveNormalExpectation.of(z -> {
        double t = Math.tanh(a * z);
        return (1 - t * t) * (1 - t * t);
      }, 1 / a);
      assertEquals(r[1], value, TOL * r[1], "E[tanh²] at variance " + r[0]);
      assertEquals(r[2], deriv, TOL * r[2], "E[tanh'²] at variance " + r[0]);
    }
  }

  @Test
  void kinksAndJumpsAtTheOriginAreExact() {
    // activations are kinked (or their derivatives jump) at z = 0, which is a panel boundary
    assertEquals(1 / Math.sqrt(2 * Math.PI), AdaptiveNormalExpectation.of(z -> Math.max(z, 0), 1),
        TOL);
    assertEquals(0.5, AdaptiveNormalExpectation.of(z -> z > 0 ? 1 : 0, 1), TOL);
    // a sharp smooth feature of width 1e−3 at the origin: E[tanh(1000 z)²] (mpmath, 30 digits)
    double v = AdaptiveNormalExpectation.of(z -> Math.pow(Math.tanh(1000 * z), 2), 1e-3);
    assertEquals(0.9992021157673137251551, v, TOL);
  }
}
