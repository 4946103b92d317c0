package org.nke.hermite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HermiteSourceFoldTest {

  @Test
  void theFoldedSeriesKeepsBothParitySumsExact() {
    // c_k = 2^{-k}: even total Σ 4^{-2i} = 16/15, odd total Σ 4^{-(2i+1)} = 4/15
    double[] c = new double[7];
    for (int k = 0; k < c.length; k++) {
      c[k] = Math.pow(0.5, k);
    }
    HermiteSource.fold(c, 16.0 / 15, 4.0 / 15);
    double even = 0;
    double odd = 0;
    for (int k = 0; k < c.length; k++) {
      if (k % 2 == 0) {
        even += c[k] * c[k];
      } else {
        odd += c[k] * c[k];
      }
    }
    assertEquals(16.0 / 15, even, 1e-15);
    assertEquals(4.0 / 15, odd, 1e-15);
    assertEquals(Math.pow(0.5, 4), c[4], 0.0, "degrees below q-1 are untouched");
  }

  @Test
  void aTailWithinRoundingLeavesTheCoefficientsUnchanged() {
    // an odd activation: the even sums are exactly zero, the odd total differs from the partial sum
    // by one ulp — rounding, not a tail; without the threshold c_5 would move by ~1e-8
    double[] c = {0, 0.8, 0, -0.3, 0, 1e-9};
    double odd = 0.8 * 0.8 + 0.3 * 0.3 + 1e-18;
    double[] folded = c.clone();
    HermiteSource.fold(folded, 0, Math.nextUp(odd));
    assertArrayEquals(c, folded, 0.0);
  }
}
