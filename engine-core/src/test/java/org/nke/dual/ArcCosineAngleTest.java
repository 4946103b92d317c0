package org.nke.dual;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * {@link ArcCosineAngle}: the angle form agrees with the covariance form of {@link ABReluDual} where
 * the latter is accurate (angles away from 0 and π), its series for {@code g} joins the direct
 * formula, and Kahan's input angle is exact on simple configurations. Accuracy near collinearity is
 * tested end to end against 50-digit references in {@code ExactKernelEdgeTest}.
 */
class ArcCosineAngleTest {
  @Test
  void angleFormMatchesTheCovarianceForm() {
    double[][] slopes = {{0, 1}, {-1, 1}, {0.2, 1}, {0.7, -0.3}};
    double[] out = new double[3];
    for (double[] ab : slopes) {
      ABReluDual dual = new ABReluDual(ab[0], ab[1], "ABRelu");
      for (double theta = 0.1; theta < Math.PI - 0.05; theta += 0.2) {
        double kxx = 2.0;
        double kyy = 0.5;
        double kxy = Math.cos(theta);
        ArcCosineAngle.step(ab[0], ab[1], theta, out);
        assertEquals(dual.value(kxx, kyy, kxy), out[0], 1e-14, "K' at θ = " + theta);
        assertEquals(dual.derivative(kxx, kyy, kxy), out[1], 1e-14, "K̇ at θ = " + theta);
        double next = dual.value(kxx, kyy, kxy) / Math.sqrt(dual.diagonal(kxx) * dual.diagonal(kyy));
        assertEquals(Math.acos(next), out[2], 1e-12, "θ' at θ = " + theta);
      }
    }
  }

  @Test
  void seriesForGJoinsTheDirectFormula() {
    double t = Math.nextDown(1.0);
    assertEquals(Math.sin(1.0) - Math.cos(1.0), ArcCosineAngle.g(t), 1e-15);
    assertEquals(1e-9 * 1e-9 * 1e-9 / 3, ArcCosineAngle.g(1e-9), 1e-42);
  }

  @Test
  void inputAnglesAreExactOnSimpleConfigurations() {
    double[] x = ArcCosineAngle.unit(new double[] {3, 4});
    assertEquals(0.0, ArcCosineAngle.between(x, ArcCosineAngle.unit(new double[] {6, 8})));
    assertEquals(Math.PI, ArcCosineAngle.between(x, ArcCosineAngle.unit(new double[] {-3, -4})), 1e-15);
    assertEquals(Math.PI / 2, ArcCosineAngle.between(x, ArcCosineAngle.unit(new double[] {-4, 3})),
        1e-15);
    assertEquals(Math.PI / 2, ArcCosineAngle.between(x, ArcCosineAngle.unit(new double[] {0, 0})));
    // a 1e−9 rotation is resolved to full relative accuracy
    double e = 1e-9;
    double[] y = ArcCosineAngle.unit(new double[] {Math.cos(e), Math.sin(e)});
    assertEquals(e, ArcCosineAngle.between(ArcCosineAngle.unit(new double[] {1, 0}), y), 1e-24);
  }
}
