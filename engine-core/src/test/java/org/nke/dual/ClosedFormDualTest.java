package org.nke.dual;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nke.testing.KernelAsserts;
import org.nke.testing.ReferenceIntegrals;

/**
 * Every closed-form dual against quadrature of its defining integral, {@code E[φ(u)φ(v)]} and
 * {@code E[φ'(u)φ'(v)]}, at random covariances including {@code ρ} near ±1 and tiny and large
 * variances. Tolerance 1e−10 relative to {@code √(K(x,x) K(y,y))}.
 */
class ClosedFormDualTest {
  private static final double TOL = 1e-10;
  private static final ReferenceIntegrals REF = new ReferenceIntegrals(24);

  /**
   * @param dual the dual under test
   * @param maxVar largest variance at which the reference integral is trustworthy for it
   */
  private static Arguments dual(DualActivation dual, double maxVar) {
    return Arguments.of(dual.describe(), dual, maxVar);
  }

  static Stream<Arguments> duals() {
    return Stream.of(
        dual(ABReluDual.relu(), 100),
        dual(ABReluDual.leakyRelu(0.2), 100),
        dual(ABReluDual.abs(), 100),
        dual(new ABReluDual(-0.3, 1.7, "ABRelu(a=-0.3, b=1.7)"), 100),
        dual(ErfDual.of(1, 1, 0), 100),
        dual(ErfDual.of(1.5, 0.7, 0.3), 100),
        dual(ErfDual.sigmoidLike(), 100),
        dual(new GeluDual(false), 100),
        dual(TrigDual.sin(1, 1, 0), 10),
        dual(TrigDual.sin(1.3, 0.8, 0.4), 10),
        dual(TrigDual.cos(1, 1, 0), 10),
        dual(new RbfDual(0.7), 10),
        dual(new ExpDual(1, 1), 3),
        dual(new ExpDual(0.5, -0.7), 3),
        dual(new GaussianDual(1, -1), 20),
        dual(new GaussianDual(2, 0.1), 1),
        dual(new SignDual(), 100),
        dual(PolynomialDual.monomial(0), 100),
        dual(PolynomialDual.monomial(1), 100),
        dual(PolynomialDual.monomial(2), 30),
        dual(PolynomialDual.monomial(5), 10),
        dual(PolynomialDual.hermite(3), 10),
        dual(PolynomialDual.hermite(6), 5),
        dual(PolynomialDual.of(new double[] {0.5, -1, 0.25, 0.1}), 10),
        dual(new RectifiedMonomialDual(0), 100),
        dual(new RectifiedMonomialDual(1), 100),
        dual(new RectifiedMonomialDual(2), 30),
        dual(new RectifiedMonomialDual(3), 10));
  }

  /** Random covariances: log-uniform variances in [1e−3, maxVar], assorted ρ including ±1 and near it. */
  static List<double[]> covariances(double maxVar, long seed) {
    Random rnd = new Random(seed);
    List<double[]> out = new ArrayList<>();
    double[] rhos = {0.0, 0.5, -0.5, 0.999999, -0.999999, 1.0, -1.0, 0.9, -0.3, 0.1};
    for (double rho : rhos) {
      double kxx = Math.exp(Math.log(1e-3) + rnd.nextDouble() * (Math.log(maxVar) - Math.log(1e-3)));
      double kyy = Math.exp(Math.log(1e-3) + rnd.nextDouble() * (Math.log(maxVar) - Math.log(1e-3)));
      if (Math.abs(rho) == 1) {
        // at ρ = ±1 the arc-cosine duals are not Lipschitz, so a rounded k_xy would be ambiguous at
        // 1e−8: use equal variances, for which ρ = ±1 is exact in floating point
        kyy = kxx;
      }
      out.add(new double[] {kxx, kyy, rho * Math.sqrt(kxx * kyy)});
    }
    out.add(new double[] {maxVar, maxVar, 0.7 * maxVar});
    out.add(new double[] {1e-3, maxVar, 0.2 * Math.sqrt(1e-3 * maxVar)});
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("duals")
  void closedFormMatchesQuadratureOfDefiningIntegral(String name, DualActivation dual, double maxVar) {
    ActivationFunction fn = dual.function().orElseThrow();
    for (double[] c : covariances(maxVar, name.hashCode())) {
      double kxx = c[0];
      double kyy = c[1];
      double kxy = c[2];
      double value = REF.expectation(fn::value, fn::value, kxx, kyy, kxy);
      double scale = Math.sqrt(REF.expectation(z -> fn.value(z) * fn.value(z), kxx)
          * REF.expectation(z -> fn.value(z) * fn.value(z), kyy));
      String at = String.format("%s at (%.4g, %.4g, %.4g)", name, kxx, kyy, kxy);
      KernelAsserts.assertCloseScaled(value, dual.value(kxx, kyy, kxy), scale, TOL, "value of " + at);
      double deriv = REF.expectation(fn::derivative, fn::derivative, kxx, kyy, kxy);
      double dscale = Math.sqrt(REF.expectation(z -> fn.derivative(z) * fn.derivative(z), kxx)
          * REF.expectation(z -> fn.derivative(z) * fn.derivative(z), kyy));
      if (!(dual instanceof SignDual) && !(dual instanceof RectifiedMonomialDual r
          && r.describe().contains("=0"))) {
        KernelAsserts.assertCloseScaled(deriv, dual.derivative(kxx, kyy, kxy), dscale, TOL,
            "derivative of " + at);
      }
      assertEquals(dual.value(kxx, kxx, kxx), dual.diagonal(kxx), 1e-14 * Math.abs(dual.diagonal(kxx)));
    }
  }
}
