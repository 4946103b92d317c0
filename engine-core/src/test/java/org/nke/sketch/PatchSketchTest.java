package org.nke.sketch;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PatchSketchTest {
  @ParameterizedTest
  @EnumSource(PatchSketch.Kind.class)
  void innerProductsAreUnbiasedAndAbsentTapsContributeNothing(PatchSketch.Kind kind) {
    int taps = 4;
    int dim = 30;
    Random r = new Random(3);
    double[] u = new double[taps * dim];
    double[] v = new double[taps * dim];
    for (int i = 0; i < u.length; i++) {
      u[i] = r.nextGaussian();
      v[i] = 0.7 * u[i] + 0.5 * r.nextGaussian();
    }
    int[] at = {0, -1, 2 * dim, 3 * dim};
    double target = 0;
    for (int t : at) {
      for (int j = 0; t >= 0 && j < dim; j++) {
        target += u[t + j] * v[t + j];
      }
    }
    int trials = 400;
    double sum = 0;
    double sumSq = 0;
    for (int s = 0; s < trials; s++) {
      PatchSketch p = new PatchSketch(kind, taps, dim, 16, SketchRandom.derive(s, 9));
      int len = p.preparedLength();
      double[] pu = p.prepares() ? new double[taps * len] : u;
      double[] pv = p.prepares() ? new double[taps * len] : v;
      int[] pat = at.clone();
      double[] work = p.workspace();
      for (int t = 0; t < taps && p.prepares(); t++) {
        p.prepare(u, t * dim, work, pu, t * len);
        p.prepare(v, t * dim, work, pv, t * len);
        pat[t] = at[t] < 0 ? -1 : t * len;
      }
      double[] a = new double[16];
      double[] b = new double[16];
      p.apply(pu, pat, 1.0, work, a, 0);
      p.apply(pv, pat, 1.0, work, b, 0);
      double d = 0;
      for (int i = 0; i < 16; i++) {
        d += a[i] * b[i];
      }
      sum += d;
      sumSq += d * d;
    }
    double mean = sum / trials;
    double se = Math.sqrt((sumSq / trials - mean * mean) / trials);
    assertTrue(Math.abs(mean - target) < 4.5 * se, kind + ": mean " + mean + " ± " + se + ", target "
        + target);
  }
}
