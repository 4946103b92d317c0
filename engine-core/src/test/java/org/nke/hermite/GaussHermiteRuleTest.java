package org.nke.hermite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The rule integrates {@code z^n} exactly for {@code n ≤ 2k − 1} (Gaussian moments
 * {@code E[z^n] = (n−1)!!} for even {@code n}, 0 for odd), cf. Hipparchus' monomial test.
 */
class GaussHermiteRuleTest {
  private static double moment(int n) {
    if (n % 2 == 1) {
      return 0;
    }
    double m = 1;
    for (int j = n - 1; j > 0; j -= 2) {
      m *= j;
    }
    return m;
  }

  @Test
  void integratesMonomialsUpToDegreeTwoKMinusOneExactly() {
    for (int k = 1; k <= 30; k++) {
      GaussHermiteRule rule = GaussHermiteRule.of(k);
      for (int n = 0; n <= Math.min(2 * k - 1, 40); n++) {
        final int power = n;
        double got = rule.expectation(z -> Math.pow(z, power));
        double expected = moment(n);
        double scale = Math.max(1.0, moment(n + n % 2));
        double ulps = Math.abs(got - expected) / Math.ulp(scale);
        assertTrue(ulps <= 64 * Math.max(1, n), "while integrating z^" + n + " with a " + k
            + "-point rule, error was " + ulps + " ulps");
      }
    }
  }

  @Test
  void weightsSumToOneAndNodesAreSymmetricForLargeRules() {
    for (int k : new int[] {100, 400, 1240}) {
      GaussHermiteRule rule = GaussHermiteRule.of(k);
      double sum = 0;
      for (int i = 0; i < k; i++) {
        sum += rule.weight(i);
        assertEquals(-rule.node(k - 1 - i), rule.node(i), 0.0);
      }
      assertEquals(1.0, sum, 1e-13, k + " points");
      assertEquals(1.0, rule.expectation(z -> z * z), 1e-12, "variance with " + k + " points");
    }
  }

  @Test
  void rejectsBadSizes() {
    assertThrows(IllegalArgumentException.class, () -> GaussHermiteRule.of(0));
    assertThrows(IllegalArgumentException.class,
        () -> GaussHermiteRule.of(GaussHermiteRule.MAX_POINTS + 1));
  }
}
