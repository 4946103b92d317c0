package org.nke.dual;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code erf}/{@code erfc} against reference values, and the saturation shortcut being exact. */
class SpecialFunctionsTest {
  @Test
  void valuesAgreeWithTheCLibrary() {
    // Python's math.erf / math.erfc (the C library)
    assertEquals(0.5204998778130465, SpecialFunctions.erf(0.5), 2e-16);
    assertEquals(-0.9998656672600594, SpecialFunctions.erf(-2.7), 2e-16);
    assertEquals(2.2090496998585438e-05, SpecialFunctions.erfc(3.0), 2.2090496998585438e-05 * 1e-14);
    assertEquals(1.5374597944280351e-12, SpecialFunctions.erfc(5.0), 1.5374597944280351e-12 * 1e-14);
  }

  @Test
  void beyondSaturationTheContinuedFractionCannotChangeTheResult() {
    // 1 − e and 2 − e round to 1 and 2 for every e below half an ulp of 1
    double halfUlpOfOne = Math.ulp(1.0) / 2;
    for (double x = 6.0; x <= 27; x += 1e-3) {
      double e = SpecialFunctions.erfcPositive(x);
      assertTrue(e < halfUlpOfOne, "erfc(" + x + ") = " + e);
      assertEquals(1.0, 1.0 - e);
      assertEquals(2.0, 2.0 - e);
      assertEquals(1.0, SpecialFunctions.erf(x));
      assertEquals(-1.0, SpecialFunctions.erf(-x));
      assertEquals(2.0, SpecialFunctions.erfc(-x));
    }
  }
}
