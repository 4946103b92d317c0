package org.nke.hermite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nke.dual.ABReluDual;
import org.nke.dual.DualActivation;
import org.nke.dual.RectifiedMonomialDual;

class HomogeneousHermiteSourceTest {
  @Test
  void scaledUnitCoefficientsMatchQuadratureAtEveryScale() {
    DualActivation[] duals = {ABReluDual.relu(), ABReluDual.leakyRelu(0.1),
        new RectifiedMonomialDual(2)};
    int[] degrees = {1, 1, 2};
    for (int d = 0; d < duals.length; d++) {
      HermiteSource quad = new FunctionHermiteSource(duals[d].function().orElseThrow());
      HermiteSource hom = new HomogeneousHermiteSource(quad, degrees[d]);
      for (double a : new double[] {0.05, 0.7, 3, 40}) {
        for (boolean deriv : new boolean[] {false, true}) {
          for (boolean fold : new boolean[] {false, true}) {
            double[] want = quad.coefficients(a, 8, deriv, fold);
            double[] got = hom.coefficients(a, 8, deriv, fold);
            double norm = 0;
            for (double v : want) {
              norm = Math.max(norm, Math.abs(v));
            }
            // a folded degree whose tail vanishes (odd degrees of ReLU) is √(rounding of a sum of
            // squares), noise of either sign in both sources: compare the masses c_k² there
            for (int k = 0; k <= 8; k++) {
              double w = fold ? want[k] * want[k] : want[k];
              double g = fold ? got[k] * got[k] : got[k];
              assertEquals(w, g, 1e-10 * (fold ? norm * norm : norm), duals[d].describe() + " at scale " + a
                  + ", degree " + k + (deriv ? " (derivative)" : "") + (fold ? " folded" : ""));
            }
          }
        }
      }
    }
  }
}
