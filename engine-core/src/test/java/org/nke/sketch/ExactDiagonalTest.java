package org.nke.sketch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nke.Kernels;
import org.nke.arch.Architecture;
import org.nke.exact.ExactKernel.Kind;
import org.nke.exact.KernelPair;
import org.nke.ir.ImageBatch;

/**
 * The CNTK sketch's exact diagonal ({@link CntkSketch#exactDiagonal()}): every image's features are
 * its sketched features scaled to the exact self-kernel, {@code ‖Φ(x)‖² = K(x, x)} (or
 * {@code Θ(x, x)}), checked against the exact CNTK's diagonal; the sketched diagonal keeps the
 * unbiased features.
 */
class ExactDiagonalTest {
  private static final String CONV = "Conv(6, (3, 3), padding='SAME', W_std=1.4, b_std=0.1)";
  private static final String[] NETS = {
      // serial: pool, Flatten, a tail with an activation
      CONV + ", Relu(), AvgPool((2, 2), strides=(2, 2)), " + CONV + ", Gelu(), Flatten(), "
          + "Dense(W_std=1.3, b_std=0.2), Erf(), Dense()",
      // residual with LayerNorm and GlobalAvgPool
      BranchingCntkSketchTest.RESIDUAL.replace("Flatten()", "GlobalAvgPool()")};

  @Test
  void featuresCarryTheExactSelfKernelAndTheSketchedAngles() {
    ImageBatch x = CntkSketchAccuracy.images(4, 6, 6, 2, 7);
    for (String net : NETS) {
      Architecture arch = Architecture.parse(net);
      KernelPair exact = Kernels.of(arch).withBackend("cpu").compute(x, null, Kind.BOTH);
      for (boolean ntk : new boolean[] {false, true}) {
        CntkSketch plan = CntkSketch.build(arch, x, new SketchOptions(512, 5, ntk, 0,
            SketchOptions.DEFAULT_TAIL));
        assertTrue(plan.exactDiagonal(), "the default");
        CntkSketch sketched = plan.withExactDiagonal(false);
        assertFalse(sketched.exactDiagonal());
        double[][] f = CntkSketchAccuracy.features(plan, x);
        double[][] g = CntkSketchAccuracy.features(sketched, x);
        double[][] k = (ntk ? exact.ntk() : exact.nngp()).toArray();
        for (int i = 0; i < x.count(); i++) {
          String what = net + (ntk ? " NTK" : " NNGP") + ", image " + i;
          assertEquals(k[i][i], dot(f[i], f[i]), 1e-12 * k[i][i], what + ": the diagonal");
          // the same direction: f = c·g with c > 0
          double c = Math.sqrt(dot(f[i], f[i]) / dot(g[i], g[i]));
          for (int j = 0; j < f[i].length; j++) {
            assertEquals(c * g[i][j], f[i][j], 1e-12 * Math.sqrt(k[i][i]), what);
          }
        }
      }
    }
  }

  @Test
  void theDiagonalNeedsExactVariances() {
    ImageBatch x = CntkSketchAccuracy.images(2, 6, 6, 2, 3);
    CntkSketch plan = CntkSketch.build(Architecture.parse(NETS[0]), x, new SketchOptions(128, 1,
        true, 0, SketchOptions.DEFAULT_TAIL), CntkSketch.DEFAULT_PATCH, false);
    assertFalse(plan.exactVariances());
    assertFalse(plan.exactDiagonal(), "variances from norms: no exact self-kernel to scale to");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> plan.withExactDiagonal(true));
    assertTrue(e.getMessage().contains("the exact diagonal needs the exact pixel variances"),
        e.getMessage());
    // images too large for exact variances: the data-free plan's default is the sketched diagonal
    Architecture pooled = Architecture.parse("Conv(2, (3, 3), padding='SAME'), Relu(), "
        + "AvgPool((2, 2), strides=(2, 2)), Flatten(), Dense()");
    assertFalse(ExactDiagonal.availableFor(pooled, 66, 66, 1), "(66·66)² > 2^24 entries");
    assertTrue(ExactDiagonal.availableFor(pooled, 64, 64, 1));
    assertFalse(PlanSpec.reference(PlanMethod.SKETCH, pooled, SketchOptions.of(64, 1, true), 66, 66,
        1).exactDiagonal());
    assertTrue(PlanSpec.reference(PlanMethod.SKETCH, pooled, SketchOptions.of(64, 1, true), 64, 64,
        1).exactDiagonal());
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
