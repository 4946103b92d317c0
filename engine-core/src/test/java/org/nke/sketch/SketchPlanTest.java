package org.nke.sketch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.nke.Kernels;
import org.nke.Sketches;
import org.nke.arch.Architecture;
import org.nke.exact.ExactKernel.Kind;
import org.nke.exact.KernelPair;
import org.nke.hermite.FunctionHermiteSource;
import org.nke.hermite.HermiteSource;
import org.nke.dual.GeluDual;

class SketchPlanTest {
  private static final String GELU3 = "Dense(W_std=1.5, b_std=0.1), Gelu(), Dense(W_std=1.5, b_std=0.1), "
      + "Gelu(), Dense(W_std=1.5, b_std=0.1), Gelu(), Dense()";

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  @Test
  void foldedCoefficientsAreExactOnTheDiagonalAndAtMinusOne() {
    HermiteSource src = new FunctionHermiteSource(new GeluDual(false).function().orElseThrow());
    GeluDual exact = new GeluDual(false);
    for (double a : new double[] {0.1, 1, 3, 30}) {
      double[] c = src.coefficients(a, 4, false, true);
      double plus = 0;
      double minus = 0;
      for (int k = 0; k < c.length; k++) {
        plus += c[k] * c[k];
        minus += (k % 2 == 0 ? 1 : -1) * c[k] * c[k];
      }
      double k2 = a * a;
      assertEquals(exact.value(k2, k2, k2), plus, 1e-12 * plus, "rho = 1 at scale " + a);
      assertEquals(exact.value(k2, k2, -k2), minus, 1e-10 * plus, "rho = -1 at scale " + a);
    }
  }

  @Test
  void oneLayerFeaturesAreUnbiasedForTheFoldedSeries() {
    Architecture arch = Architecture.parse("Dense(W_std=1.3, b_std=0.2), Gelu()");
    double[][] x = SketchAccuracy.points(3, 6, 1, 11);
    HermiteSource src = SketchPlan.hermiteSource(new GeluDual(false));
    int trials = 120;
    double[][] samples = new double[3][trials];
    for (int t = 0; t < trials; t++) {
      SketchPlan plan = SketchPlan.build(arch, 6, new SketchOptions(128, t, false, 4, 1e-3), x);
      double[][] f = {plan.features(x[0]), plan.features(x[1]), plan.features(x[2])};
      samples[0][t] = dot(f[0], f[1]);
      samples[1][t] = dot(f[1], f[2]);
      samples[2][t] = dot(f[0], f[2]);
    }
    int[][] pairs = {{0, 1}, {1, 2}, {0, 2}};
    for (int p = 0; p < 3; p++) {
      double[] u = x[pairs[p][0]];
      double[] v = x[pairs[p][1]];
      double kuu = 1.69 * dot(u, u) / 6 + 0.04;
      double kvv = 1.69 * dot(v, v) / 6 + 0.04;
      double kuv = 1.69 * dot(u, v) / 6 + 0.04;
      double[] cu = src.coefficients(Math.sqrt(kuu), 4, false, true);
      double[] cv = src.coefficients(Math.sqrt(kvv), 4, false, true);
      double rho = kuv / Math.sqrt(kuu * kvv);
      double target = 0;
      for (int k = 0; k <= 4; k++) {
        target += cu[k] * cv[k] * Math.pow(rho, k);
      }
      double mean = Arrays.stream(samples[p]).average().orElseThrow();
      double sd = Math.sqrt(Arrays.stream(samples[p]).map(s -> (s - mean) * (s - mean)).sum()
          / (trials - 1));
      assertTrue(Math.abs(mean - target) <= 4.5 * sd / Math.sqrt(trials) + 1e-12,
          "pair " + p + ": mean " + mean + " ± " + sd / Math.sqrt(trials) + ", target " + target);
    }
  }

  @Test
  void gramErrorShrinksLikeOneOverRootM() {
    Architecture arch = Architecture.parse(GELU3);
    double[][] x = SketchAccuracy.points(150, 20, 1, 5);
    KernelPair exact = Kernels.of(arch).withBackend("cpu").compute(x, null, Kind.BOTH);
    double[] err = new double[3];
    int[] ms = {512, 2048, 8192};
    for (int i = 0; i < ms.length; i++) {
      double e = 0;
      for (long seed = 0; seed < 3; seed++) {
        double[][] f = Sketches.of(arch).withDim(ms[i]).withSeed(seed).withDegree(4)
            .withBackend("cpu").ntk(x);
        e += SketchAccuracy.gramError(exact.ntk().toArray(), f) / 3;
      }
      err[i] = e;
    }
    for (int i = 1; i < ms.length; i++) {
      double ratio = err[i - 1] / err[i];
      assertTrue(ratio > 1.5 && ratio < 2.8, "error ratio for 4x features " + ratio + " ("
          + Arrays.toString(err) + ")");
    }
  }

  @Test
  void errorStaysBoundedForNormsFromOneHundredthToOneHundred() {
    // Per-point Hermite coefficients at each point's own scale: no unit-sphere assumption. Erf at
    // pre-activation variances up to 2e4 is close to a sign function, the hardest case here.
    double[][] x = SketchAccuracy.points(200, 10, 4, 3);
    for (String act : new String[] {"Erf()", "Relu()"}) {
      Architecture arch = Architecture.parse("Dense(W_std=1.5, b_std=0.1), " + act + ", Dense(W_std=1.5, "
          + "b_std=0.1), Gelu(), Dense()");
      KernelPair exact = Kernels.of(arch).withBackend("cpu").compute(x, null, Kind.BOTH);
      double[][] fk = Sketches.of(arch).withDim(2048).withBackend("cpu").nngp(x);
      double[][] ft = Sketches.of(arch).withDim(2048).withBackend("cpu").ntk(x);
      double ek = SketchAccuracy.gramError(exact.nngp().toArray(), fk);
      double et = SketchAccuracy.gramError(exact.ntk().toArray(), ft);
      double fk0 = SketchAccuracy.obliviousFloor(exact.nngp().toArray(), fk[0].length);
      double ft0 = SketchAccuracy.obliviousFloor(exact.ntk().toArray(), ft[0].length);
      assertTrue(ek < 1.6 * fk0 && ek < 0.1, act + " NNGP error " + ek + " (floor " + fk0 + ")");
      assertTrue(et < 2.5 * ft0 && et < 0.3, act + " NTK error " + et + " (floor " + ft0 + ")");
    }
  }

  @Test
  void sameSeedIsBitIdenticalOnAnyThreadCountAndOtherSeedsDiffer() {
    double[][] x = SketchAccuracy.points(40, 12, 1, 8);
    Sketches s = Sketches.of(GELU3).withDim(512).withSeed(42).withBackend("cpu");
    double[][] one = s.withThreads(1).ntk(x);
    double[][] four = s.withThreads(4).ntk(x);
    for (int i = 0; i < x.length; i++) {
      assertArrayEquals(one[i], four[i]);
    }
    double[][] other = s.withSeed(43).withThreads(4).ntk(x);
    assertTrue(!Arrays.equals(one[0], other[0]));
  }

  @Test
  void featureCountsRespectTheBudget() {
    double[][] x = SketchAccuracy.points(10, 100, 1, 1);
    SketchPlan k = Sketches.of(GELU3).withDim(1024).plan(x, false);
    SketchPlan t = Sketches.of(GELU3).withDim(1024).plan(x, true);
    assertTrue(k.outputDim() <= 1024 && k.outputDim() >= 1000, "NNGP " + k.outputDim());
    assertTrue(t.outputDim() <= 2048 && t.outputDim() >= 2000, "NTK " + t.outputDim());
    assertEquals(k.outputDim(), k.features(x[0]).length);
    assertEquals(t.outputDim(), t.features(x[0]).length);
  }

  @Test
  void sketchIsWithinTheIssuesRatioOfTheObliviousFloor() {
    // The done-when check (2,000 points, m = 8192) runs in SketchDoneWhenTest (-Pslow); this is the
    // same rule at a size the default suite can afford.
    double[][] x = SketchAccuracy.points(400, 100, 1, 9);
    for (String act : new String[] {"Gelu()", "Relu()", "Erf()"}) {
      Architecture arch = Architecture.parse(GELU3.replace("Gelu()", act));
      KernelPair exact = Kernels.of(arch).withBackend("cpu").compute(x, null, Kind.BOTH);
      double[][] fk = Sketches.of(arch).withDim(2048).withBackend("cpu").nngp(x);
      double[][] ft = Sketches.of(arch).withDim(2048).withBackend("cpu").ntk(x);
      double rk = SketchAccuracy.gramError(exact.nngp().toArray(), fk)
          / SketchAccuracy.obliviousFloor(exact.nngp().toArray(), fk[0].length);
      double rt = SketchAccuracy.gramError(exact.ntk().toArray(), ft)
          / SketchAccuracy.obliviousFloor(exact.ntk().toArray(), ft[0].length);
      assertTrue(rk <= 1.6 && rt <= 1.6, act + ": NNGP ratio " + rk + ", NTK ratio " + rt);
    }
  }
}
