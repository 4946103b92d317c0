package org.nke.sketch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Unbiasedness of the sketch primitives: mean over seeds equals the inner product they estimate. */
class TensorSrhtTest {
  private static double[] unit(Random r, int d) {
    double[] v = new double[d];
    double s = 0;
    for (int i = 0; i < d; i++) {
      v[i] = r.nextGaussian();
      s += v[i] * v[i];
    }
    for (int i = 0; i < d; i++) {
      v[i] /= Math.sqrt(s);
    }
    return v;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  /** Asserts the sample mean is within 4.5 standard errors of the target. */
  private static void assertUnbiased(double[] samples, double target, String what) {
    double mean = 0;
    for (double s : samples) {
      mean += s / samples.length;
    }
    double var = 0;
    for (double s : samples) {
      var += (s - mean) * (s - mean) / (samples.length - 1);
    }
    double se = Math.sqrt(var / samples.length);
    assertTrue(Math.abs(mean - target) <= 4.5 * se + 1e-12, what + ": mean " + mean + " ± " + se
        + ", target " + target);
  }

  @Test
  void tensorSrhtEstimatesTheProductOfInnerProducts() {
    Random r = new Random(1);
    double[] x = unit(r, 37);
    double[] y = unit(r, 37);
    double[] x2 = unit(r, 20);
    double[] y2 = unit(r, 20);
    double target = dot(x, y) * dot(x2, y2);
    int trials = 400;
    double[] samples = new double[trials];
    for (int t = 0; t < trials; t++) {
      Srht a = new Srht(37, false, SketchRandom.derive(t, 0));
      Srht b = new Srht(20, false, SketchRandom.derive(t, 1));
      TensorSrht ts = new TensorSrht(16, a.size(), b.size(), SketchRandom.derive(t, 2));
      double[] fx = new double[32];
      double[] fy = new double[32];
      double[] sa = a.workspace();
      double[] sb = b.workspace();
      a.transform(x, 0, sa);
      b.transform(x2, 0, sb);
      ts.product(sa, sb, fx, 0, 1);
      a.transform(y, 0, sa);
      b.transform(y2, 0, sb);
      ts.product(sa, sb, fy, 0, 1);
      samples[t] = dot(fx, fy);
    }
    assertUnbiased(samples, target, "TensorSRHT");
  }

  @Test
  void linearSketchEstimatesTheInnerProduct() {
    Random r = new Random(2);
    double[] x = unit(r, 300);
    double[] y = unit(r, 300);
    double[] samples = new double[300];
    for (int t = 0; t < samples.length; t++) {
      LinearSketch s = new LinearSketch(300, 40, SketchRandom.derive(t));
      double[] fx = new double[40];
      double[] fy = new double[40];
      s.apply(x, 0, s.workspace(), fx, 0, 1);
      s.apply(y, 0, s.workspace(), fy, 0, 1);
      samples[t] = dot(fx, fy);
    }
    assertUnbiased(samples, dot(x, y), "LinearSketch");
  }

  @Test
  void polySketchEstimatesPowersOfTheInnerProduct() {
    Random r = new Random(3);
    double[] x = unit(r, 50);
    double[] y = new double[50];
    for (int i = 0; i < 50; i++) {
      y[i] = 0.8 * x[i] + 0.6 * unit(r, 50)[i];
    }
    double norm = Math.sqrt(dot(y, y));
    for (int i = 0; i < 50; i++) {
      y[i] /= norm;
    }
    double rho = dot(x, y);
    int trials = 300;
    double[][] samples = new double[6][trials];
    for (int t = 0; t < trials; t++) {
      PolySketch p = new PolySketch(50, new int[] {0, 0, 32, 32, 32, 32}, t, 7);
      double[][] fx = p.apply(x, 0);
      double[][] fy = p.apply(y, 0);
      for (int k = 2; k <= 5; k++) {
        samples[k][t] = dot(fx[k], fy[k]);
      }
    }
    for (int k = 2; k <= 5; k++) {
      assertUnbiased(samples[k], Math.pow(rho, k), "degree " + k);
    }
  }

  @Test
  void randomDrawsAreReproducibleAndStreamsIndependent() {
    assertArrayEquals(SketchRandom.derive(5, 1, 2).signs(100), SketchRandom.derive(5, 1, 2).signs(100));
    double[] a = SketchRandom.derive(5, 1, 2).signs(100);
    double[] b = SketchRandom.derive(5, 2, 1).signs(100);
    assertTrue(!java.util.Arrays.equals(a, b));
    int[] s = new SketchRandom(9).sample(10, 10);
    java.util.Arrays.sort(s);
    for (int i = 0; i < 10; i++) {
      assertEquals(i, s[i]);
    }
    assertEquals(25, new SketchRandom(9).sample(25, 10).length);
  }
}
