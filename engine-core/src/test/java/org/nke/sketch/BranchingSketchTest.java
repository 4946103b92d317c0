package org.nke.sketch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nke.Kernels;
import org.nke.Sketches;
import org.nke.arch.Architecture;
import org.nke.error.ArchException;
import org.nke.exact.ExactKernel.Kind;
import org.nke.exact.KernelPair;

/**
 * The dense sketch of branching networks and LayerNorm (issue 16, stage 2a): Gram errors of a
 * residual net and of a FanInProd net against the oblivious floor, closed forms where no draw is
 * involved (LayerNorm, FanInConcat, small exact products, two identity branches), error falling with
 * {@code m}, and features that compose across runs.
 */
class BranchingSketchTest {
  /** Two residual blocks (ReLU, GeLU) with LayerNorm, as in the README. */
  static final String RESIDUAL = "Dense(W_std=1.5, b_std=0.1), FanOut(2), parallel(Identity(), "
      + "serial(Relu(), Dense(W_std=1.5, b_std=0.1))), FanInSum(), LayerNorm(), FanOut(2), "
      + "parallel(Identity(), serial(Gelu(), Dense(W_std=1.5, b_std=0.1))), FanInSum(), LayerNorm(), "
      + "Relu(), Dense()";
  /** A product of a Dense and a GeLU branch, then a ReLU layer. */
  static final String PRODUCT = "Dense(W_std=1.5, b_std=0.1), FanOut(2), parallel(Dense(W_std=1.5, "
      + "b_std=0.1), serial(Gelu(), Dense(W_std=1.5, b_std=0.1))), FanInProd(), "
      + "Dense(W_std=1.5, b_std=0.1), Relu(), Dense()";

  /** The ratio of the Gram error to the oblivious floor: {NNGP, NTK}. */
  static double[] ratios(String arch, int n, int m, long seed) {
    double[][] x = SketchAccuracy.points(n, 100, 1, 9);
    Architecture a = Architecture.parse(arch);
    KernelPair exact = Kernels.of(a).withBackend("cpu").compute(x, null, Kind.BOTH);
    double[] out = new double[2];
    for (int kind = 0; kind < 2; kind++) {
      SketchPlan plan = SketchPlan.build(a, 100, new SketchOptions(m, seed, kind == 1, 0,
          SketchOptions.DEFAULT_TAIL));
      double[][] f = new double[n][];
      IntStream.range(0, n).parallel().forEach(i -> f[i] = plan.features(x[i]));
      double[][] k = (kind == 1 ? exact.ntk() : exact.nngp()).toArray();
      out[kind] = SketchAccuracy.gramError(k, f) / SketchAccuracy.obliviousFloor(k, f[0].length);
    }
    return out;
  }

  private static void assertWithinTheFloor(String arch, int n, int m) {
    double[] r = ratios(arch, n, m, 1);
    assertTrue(r[0] <= 1.3 && r[1] <= 1.3, "m = " + m + ": NNGP " + r[0] + "x, NTK " + r[1]
        + "x the oblivious floor, " + arch);
  }

  @Test
  void residualNetIsWithinTheIssuesRatioOfTheObliviousFloor() {
    assertWithinTheFloor(RESIDUAL, 400, 4096);
    assertWithinTheFloor(RESIDUAL, 400, 8192);
  }

  @Test
  void productNetIsWithinTheIssuesRatioOfTheObliviousFloor() {
    assertWithinTheFloor(PRODUCT, 400, 4096);
    assertWithinTheFloor(PRODUCT, 400, 8192);
  }

  @Test
  @Tag("slow")
  void residualAndProductNetsAtAThousandPoints() {
    for (int m : new int[] {4096, 8192}) {
      assertWithinTheFloor(RESIDUAL, 1000, m);
      assertWithinTheFloor(PRODUCT, 1000, m);
    }
  }

  @Test
  void errorFallsWithTheBudget() {
    double[][] x = SketchAccuracy.points(150, 30, 1, 4);
    KernelPair exact = Kernels.of(RESIDUAL).withBackend("cpu").compute(x, null, Kind.BOTH);
    double last = Double.POSITIVE_INFINITY;
    for (int m : new int[] {128, 512, 2048}) {
      double[][] f = Sketches.of(RESIDUAL).withDim(m).withSeed(3).withBackend("cpu").ntk(x);
      double e = SketchAccuracy.gramError(exact.ntk().toArray(), f);
      assertTrue(e < 0.7 * last, "m = " + m + ": error " + e + " after " + last);
      last = e;
    }
  }

  /** @return {@code F Fᵀ} */
  static double[][] gram(double[][] f) {
    double[][] g = new double[f.length][f.length];
    for (int i = 0; i < f.length; i++) {
      for (int j = 0; j < f.length; j++) {
        for (int k = 0; k < f[i].length; k++) {
          g[i][j] += f[i][k] * f[j][k];
        }
      }
    }
    return g;
  }

  private static void assertClose(double[][] want, double[][] got, double rtol, String what) {
    double err = 0;
    double norm = 0;
    for (int i = 0; i < want.length; i++) {
      for (int j = 0; j < want.length; j++) {
        err += (want[i][j] - got[i][j]) * (want[i][j] - got[i][j]);
        norm += want[i][j] * want[i][j];
      }
    }
    assertTrue(Math.sqrt(err / norm) <= rtol, what + ": relative error " + Math.sqrt(err / norm));
  }

  @Test
  void twoIdentityBranchesDoubleTheKernel() {
    double[][] x = SketchAccuracy.points(12, 6, 1, 2);
    // without draws: [Φ, Φ] exactly, twice the single branch's Gram and twice the exact kernel
    String dense = "Dense(W_std=1.3, b_std=0.1)";
    String twice = dense + ", FanOut(2), parallel(Identity(), Identity()), FanInSum()";
    KernelPair exact = Kernels.of(dense).withBackend("cpu").compute(x, null, Kind.BOTH);
    for (boolean ntk : new boolean[] {false, true}) {
      Sketches one = Sketches.of(dense).withDim(128).withSeed(7).withBackend("cpu");
      Sketches two = Sketches.of(twice).withDim(128).withSeed(7).withBackend("cpu");
      double[][] g2 = gram(ntk ? two.ntk(x) : two.nngp(x));
      assertClose(doubled(gram(ntk ? one.ntk(x) : one.nngp(x))), g2, 1e-15, "features");
      assertClose(doubled((ntk ? exact.ntk() : exact.nngp()).toArray()), g2, 1e-13, "kernel");
    }
    // with an activation: the sum's features carry twice the kernel; the concatenation (2m) reaches
    // the output without an activation, so it is re-sketched to m, which costs one oblivious floor
    String gelu = "Dense(W_std=1.3, b_std=0.1), Gelu(), Dense(b_std=0.2)";
    double[][] y = SketchAccuracy.points(150, 20, 1, 5);
    double[][] k = Kernels.of(gelu).withBackend("cpu").compute(y, null, Kind.NNGP).nngp().toArray();
    double[][] f1 = Sketches.of(gelu).withDim(1024).withBackend("cpu").nngp(y);
    double[][] f2 = Sketches.of(gelu + ", FanOut(2), parallel(Identity(), Identity()), FanInSum()")
        .withDim(1024).withBackend("cpu").nngp(y);
    double e1 = SketchAccuracy.gramError(k, f1);
    double e2 = SketchAccuracy.gramError(doubled(k), f2);
    double floor = SketchAccuracy.obliviousFloor(k, f2[0].length);
    assertTrue(f2[0].length <= 1024 && e2 < 1.3 * Math.hypot(e1, floor), "error " + e2
        + " against the serial sketch's " + e1 + " and the floor " + floor);
  }

  private static double[][] doubled(double[][] a) {
    double[][] out = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i].clone();
      for (int j = 0; j < out[i].length; j++) {
        out[i][j] *= 2;
      }
    }
    return out;
  }

  @Test
  void joinsWithoutDrawsGiveTheExactKernel() {
    // LayerNorm scales by the exact variance, FanInConcat weighs exactly, and a product of narrow
    // branches is an exact Kronecker product: no random draw, so the Gram is the exact kernel
    double[][] x = SketchAccuracy.points(15, 5, 1, 3);
    for (String arch : new String[] {"Dense(W_std=1.4, b_std=0.3), LayerNorm(eps=0.1), Dense()",
        "Dense(b_std=0.1), FanOut(3), parallel(Dense(8, W_std=2), Dense(16), Identity()), "
            + "FanInConcat(), Dense(b_std=0.2)",
        "Dense(b_std=0.1), FanOut(2), parallel(Dense(b_std=0.5), Dense(W_std=2)), FanInProd(), "
            + "Dense(b_std=0.1)"}) {
      KernelPair exact = Kernels.of(arch).withBackend("cpu").compute(x, null, Kind.BOTH);
      Sketches s = Sketches.of(arch).withDim(512).withBackend("cpu");
      assertClose(exact.nngp().toArray(), gram(s.nngp(x)), 1e-12, arch + " NNGP");
      assertClose(exact.ntk().toArray(), gram(s.ntk(x)), 1e-12, arch + " NTK");
    }
  }

  @Test
  void featureCountsRespectTheBudget() {
    double[][] x = SketchAccuracy.points(4, 100, 1, 1);
    for (String arch : new String[] {RESIDUAL, PRODUCT}) {
      SketchPlan k = SketchPlan.build(Architecture.parse(arch), 100, SketchOptions.of(512, 1, false));
      SketchPlan t = SketchPlan.build(Architecture.parse(arch), 100, SketchOptions.of(512, 1, true));
      assertTrue(k.outputDim() <= 512 && t.outputDim() <= 1024, k.outputDim() + ", " + t.outputDim());
      assertEquals(t.outputDim(), t.features(x[0]).length);
      assertEquals(k.outputDim(), k.features(x[0]).length);
    }
  }

  @Test
  void branchingFeaturesOfTwoHalvesInTwoRunsEqualOneRunBitForBit() {
    double[][] first = SketchAccuracy.points(20, 12, 0.2, 1);
    double[][] second = SketchAccuracy.points(20, 12, 2, 2);
    double[][] all = Arrays.copyOf(first, 40);
    System.arraycopy(second, 0, all, 20, 20);
    for (String arch : new String[] {RESIDUAL, PRODUCT}) {
      for (boolean ntk : new boolean[] {false, true}) {
        Sketches s = Sketches.of(arch).withDim(256).withSeed(5).withBackend("cpu");
        double[][] joint = ntk ? s.ntk(all) : s.nngp(all);
        double[][] a = ntk ? s.ntk(first) : s.nngp(first);
        double[][] b = ntk ? s.ntk(second) : s.nngp(second);
        double[][] halves = Arrays.copyOf(a, 40);
        System.arraycopy(b, 0, halves, 20, 20);
        assertArrayEquals(joint, halves, arch + (ntk ? " NTK" : " NNGP"));
      }
    }
  }

  @Test
  void theSubspaceEmbeddingRefusesBranchingAndLayerNormByName() {
    for (String arch : new String[] {"Dense(), FanOut(2), parallel(Identity(), Dense()), "
        + "FanInSum(), Relu(), Dense()", "Dense(), LayerNorm(), Relu(), Dense()"}) {
      ArchException e = assertThrows(ArchException.class,
          () -> HomogeneousSeries.of(Architecture.parse(arch), 4, 6));
      assertTrue(e.getMessage().contains("is not supported by the subspace embedding"),
          e.getMessage());
    }
  }
}
