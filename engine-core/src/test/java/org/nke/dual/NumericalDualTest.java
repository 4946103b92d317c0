package org.nke.dual;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nke.testing.KernelAsserts;
import org.nke.testing.ReferenceIntegrals;

/**
 * The numerical duals against independent quadrature: the Hermite-series dual (default for named
 * activations) reaches 1e−10 relative for smooth activations at moderate variances; the direct 2-D
 * quadrature converges to the closed forms as its degree grows.
 */
class NumericalDualTest {
  private static final ReferenceIntegrals REF = new ReferenceIntegrals(24);

  static Stream<Arguments> smooth() {
    return Stream.of(
        Arguments.of("Tanh", Activations.tanh(), 3.0),
        Arguments.of("Sigmoid", Activations.sigmoid(), 6.0),
        Arguments.of("Softplus", Activations.softplus(), 6.0),
        Arguments.of("Swish", Activations.swish(), 6.0),
        Arguments.of("Mish", Activations.mish(), 4.0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("smooth")
  void seriesDualMatchesQuadratureToTenDigitsForSmoothActivations(String name,
      ActivationFunction fn, double maxVar) {
    HermiteSeriesDual dual = new HermiteSeriesDual(name + "()", fn, HermiteSeriesDual.DEFAULT_TOL);
    double[] vars = {0.01, 0.3, 1.0, maxVar};
    double[] rhos = {-0.99, -0.4, 0.0, 0.5, 0.9, 0.999, 1.0};
    double[] nngp = new double[vars.length * vars.length * rhos.length];
    double[] ntk = new double[nngp.length];
    // one row per (variance, variance) pair through the bound dual, as the backends call it
    for (int a = 0; a < vars.length; a++) {
      for (int b = 0; b < vars.length; b++) {
        double[] vx = {vars[a]};
        double[] vy = new double[rhos.length];
        java.util.Arrays.fill(vy, vars[b]);
        double[] k = new double[rhos.length];
        double[] t = new double[rhos.length];
        for (int r = 0; r < rhos.length; r++) {
          k[r] = rhos[r] * Math.sqrt(vars[a] * vars[b]);
          t[r] = 1;
        }
        BoundDual bound = dual.bind(vx, vy, true);
        assertTrue(bound.errorBound() <= HermiteSeriesDual.DEFAULT_TOL, "bound " + bound.errorBound());
        bound.applyRow(0, 0, rhos.length, k, t, 0);
        for (int r = 0; r < rhos.length; r++) {
          double kxy = rhos[r] * Math.sqrt(vars[a] * vars[b]);
          double scale = Math.sqrt(dual.diagonal(vars[a]) * dual.diagonal(vars[b]));
          double ref = REF.expectation(fn::value, fn::value, vars[a], vars[b], kxy);
          String at = String.format("%s at (%.3g, %.3g, rho %.3g)", name, vars[a], vars[b], rhos[r]);
          KernelAsserts.assertCloseScaled(ref, k[r], scale, 1e-10, "NNGP of " + at);
          double dref = REF.expectation(fn::derivative, fn::derivative, vars[a], vars[b], kxy);
          double dscale = Math.sqrt(REF.expectation(z -> sq(fn.derivative(z)), vars[a])
              * REF.expectation(z -> sq(fn.derivative(z)), vars[b]));
          KernelAsserts.assertCloseScaled(dref, t[r], dscale, 1e-10, "derivative of " + at);
        }
      }
    }
  }

  private static double sq(double x) {
    return x * x;
  }

  @Test
  void seriesDualDiagonalIsExact() {
    HermiteSeriesDual dual = new HermiteSeriesDual("Tanh()", Activations.tanh(), 1e-11);
    for (double k : new double[] {0.001, 0.5, 2, 20, 200}) {
      double ref = REF.expectation(z -> sq(Math.tanh(z)), k);
      assertEquals(ref, dual.diagonal(k), 1e-13, "variance " + k);
    }
  }

  @Test
  void seriesDualReportsItsBoundWhenTheMaximumDegreeIsNotEnough() {
    // SELU has a jump in its derivative: the derivative series decays algebraically.
    HermiteSeriesDual dual = new HermiteSeriesDual("Selu()", Activations.selu(), 1e-11);
    BoundDual bound = dual.bind(new double[] {1.0}, new double[] {1.0}, true);
    assertTrue(bound.errorBound() > 1e-11 && bound.errorBound() < 1e-2,
        "bound " + bound.errorBound());
    double[] k = {0.5};
    double[] t = {1.0};
    bound.applyRow(0, 0, 1, k, t, 0);
    ActivationFunction f = Activations.selu();
    double ref = REF.expectation(f::value, f::value, 1, 1, 0.5);
    assertEquals(ref, k[0], bound.errorBound() * dual.diagonal(1.0));
  }

  @Test
  void seriesDualConvergesToTheClosedFormAsTheToleranceShrinks() {
    ActivationFunction gelu = new GeluDual(false).function().orElseThrow();
    GeluDual exact = new GeluDual(false);
    double previous = Double.POSITIVE_INFINITY;
    for (double tol : new double[] {1e-3, 1e-6, 1e-9, 1e-12}) {
      HermiteSeriesDual series = new HermiteSeriesDual("Gelu", gelu, tol);
      double err = Math.abs(series.value(2.0, 0.7, 0.9) - exact.value(2.0, 0.7, 0.9));
      assertTrue(err <= Math.max(tol * 2, 1e-14) && err <= previous + 1e-15,
          "tol " + tol + " error " + err);
      previous = err;
    }
  }

  @Test
  void directQuadratureConvergesToTheClosedFormWithDegree() {
    ErfDual erf = ErfDual.of(1, 1, 0);
    ActivationFunction f = erf.function().orElseThrow();
    double exact = erf.value(1.0, 0.6, 0.5);
    double err25 = Math.abs(new QuadratureDual("q25", f, 25).value(1.0, 0.6, 0.5) - exact);
    double err80 = Math.abs(new QuadratureDual("q80", f, 80).value(1.0, 0.6, 0.5) - exact);
    assertTrue(err80 < err25 && err80 < 1e-12, "errors " + err25 + ", " + err80);
    double dexact = erf.derivative(1.0, 0.6, 0.5);
    assertEquals(dexact, new QuadratureDual("q80", f, 80).derivative(1.0, 0.6, 0.5), 1e-12);
  }
}
