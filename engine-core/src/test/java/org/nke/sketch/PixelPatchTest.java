package org.nke.sketch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PixelPatchTest {
  /**
   * Nine pixels whose vectors end with a large constant (as an activation's degree-0 feature): kept
   * exact, no draw of the sketch can make two pixels' constants collide, so the patch inner product
   * never strays far; hashed with the rest, some draws do (a heavy-tailed error).
   */
  @Test
  void heavyCoordinatesAreExactAndKeepTheErrorLightTailed() {
    int taps = 9;
    int len = 65;
    Random r = new Random(1);
    double[] grid = new double[2 * taps * len];
    for (int i = 0; i < grid.length; i++) {
      grid[i] = (i % len == len - 1) ? 4 : r.nextGaussian() / 8;
    }
    int[] x = new int[taps];
    int[] y = new int[taps];
    double exact = 0;
    for (int t = 0; t < taps; t++) {
      x[t] = t;
      y[t] = taps + t;
      for (int j = 0; j < len; j++) {
        exact += grid[t * len + j] * grid[(taps + t) * len + j];
      }
    }
    double worstExact = 0;
    double worstHashed = 0;
    for (int s = 0; s < 300; s++) {
      for (int heavy : new int[] {1, 0}) {
        PatchSketch sk = new PatchSketch(PatchSketch.Kind.COUNT, taps, len - heavy, 32,
            SketchRandom.derive(s, 5));
        PixelPatch p = new PixelPatch(sk, taps, len, heavy);
        assertEquals(32 + taps * heavy, p.outputs());
        double[] a = new double[p.outputs()];
        double[] b = new double[p.outputs()];
        double[] src = p.prepare(grid, 2 * taps);
        p.apply(grid, src, x, 1.0, new int[taps], p.workspace(), a, 0);
        p.apply(grid, src, y, 1.0, new int[taps], p.workspace(), b, 0);
        double d = 0;
        for (int i = 0; i < a.length; i++) {
          d += a[i] * b[i];
        }
        double e = Math.abs(d - exact) / exact;
        if (heavy == 1) {
          worstExact = Math.max(worstExact, e);
        } else {
          worstHashed = Math.max(worstHashed, e);
        }
      }
    }
    assertTrue(worstExact < 0.05, "worst relative error with exact heavy coordinates " + worstExact);
    assertTrue(worstHashed > 0.5, "worst relative error with hashed heavy coordinates " + worstHashed);
  }
}
