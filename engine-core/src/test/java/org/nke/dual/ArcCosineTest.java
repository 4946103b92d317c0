package org.nke.dual;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link ArcCosine} against {@code StrictMath.acos} (fdlibm), and the ABReLU block loop. */
class ArcCosineTest {
  @Test
  void acosIsWithinOneUlpOfStrictMathEverywhere() {
    Random rnd = new Random(17);
    double worst = 0;
    for (int i = 0; i < 300_000; i++) {
      double x = switch (i % 4) {
        case 0 -> 2 * rnd.nextDouble() - 1;
        case 1 -> 1 - Math.pow(10, -17 * rnd.nextDouble());
        case 2 -> -1 + Math.pow(10, -17 * rnd.nextDouble());
        default -> (rnd.nextDouble() - 0.5) * Math.pow(10, -20 * rnd.nextDouble());
      };
      double e = StrictMath.acos(x);
      worst = Math.max(worst, Math.abs(ArcCosine.acos(x) - e) / Math.ulp(e));
    }
    assertTrue(worst <= 1, "worst error " + worst + " ulps");
    assertEquals(0.0, ArcCosine.acos(1.0), 0.0);
    assertEquals(Math.PI, ArcCosine.acos(-1.0), 0.0);
    assertEquals(0.0, ArcCosine.acos(1.0 + 1e-15), 0.0);
    assertEquals(Math.PI, ArcCosine.acos(-1.5), 0.0);
    assertEquals(StrictMath.acos(0.5), ArcCosine.acos(0.5), 0.0);
    assertEquals(StrictMath.acos(-0.5), ArcCosine.acos(-0.5), 0.0);
  }

  @Test
  void theBlockLoopAgreesWithThePointwiseDualAndKeepsTheDiagonalExact() {
    Random rnd = new Random(3);
    for (ABReluDual dual : new ABReluDual[] {ABReluDual.relu(), ABReluDual.leakyRelu(0.2),
        ABReluDual.abs(), new ABReluDual(-0.3, 1.7, "ABRelu(a=-0.3, b=1.7)")}) {
      double[] var = new double[50];
      for (int i = 0; i < var.length; i++) {
        var[i] = i == 7 ? 0 : Math.exp(3 * rnd.nextGaussian());
      }
      double[] k = new double[var.length];
      double[] t = new double[var.length];
      double[] kxy = new double[var.length];
      for (int j = 0; j < var.length; j++) {
        kxy[j] = j == 3 ? var[3] : (2 * rnd.nextDouble() - 1) * Math.sqrt(var[3] * var[j]);
        k[j] = kxy[j];
        t[j] = 1;
      }
      dual.bind(var, var, true).applyRow(3, 0, var.length, k, t, 0);
      for (int j = 0; j < var.length; j++) {
        double scale = Math.sqrt(var[3] * var[j]);
        assertEquals(dual.value(var[3], var[j], kxy[j]), k[j], 1e-14 * Math.max(scale, 1e-300),
            dual + " value at " + j);
        assertEquals(dual.derivative(var[3], var[j], kxy[j]), t[j], 1e-13, dual + " derivative at " + j);
      }
      double a2b2 = dual.derivative(1, 1, 1);
      assertEquals(a2b2, t[3], 0.0, "rho = 1 exactly on the diagonal");
      assertEquals(dual.derivative(0, 0, 0), t[7], 0.0, "zero variance: theta = pi/2, as evaluate");
    }
  }
}
