package org.nke.sketch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nke.Kernels;
import org.nke.Sketches;
import org.nke.arch.Architecture;
import org.nke.exact.ExactKernel.Kind;
import org.nke.exact.KernelPair;
import org.nke.ir.ImageBatch;

/**
 * The CNTK sketch of standard-parameterised Conv networks: its NTK Gram error at {@code m = 4096} is
 * within 1.3× of the error of the NTK-parameterised network of the same shape (same images, seeds and
 * budget), and its NNGP features are those of that network (the NNGP does not depend on the
 * parameterization).
 */
class StandardConvSketchTest {
  private static final String STANDARD = ", parameterization='standard'";
  private static final String CONV = "Conv(8, (3, 3), padding='SAME', W_std=1.4, b_std=0.1%1$s)";
  /** Conv, pool, Conv, Flatten (re-sketched), a standard Dense readout of {@code N_in = 4·4·8}. */
  private static final String POOLED = CONV + ", Relu(), AvgPool((2, 2), strides=(2, 2)), " + CONV
      + ", Relu(), Flatten(), Dense(1, W_std=1.4, b_std=0.1%1$s)";
  private static final int M = 4096;
  private static final int SEEDS = 3;

  /** Mean NTK Gram error over {@link #SEEDS} seeds at {@link #M}. */
  private static double ntkError(String arch, ImageBatch x) {
    Architecture a = Architecture.parse(arch);
    double[][] exact = Kernels.of(a).withBackend("cpu").ntk(x).toArray();
    double e = 0;
    for (long seed = 1; seed <= SEEDS; seed++) {
      e += SketchAccuracy.gramError(exact, Sketches.of(a).withDim(M).withSeed(seed)
          .withBackend("cpu").ntk(x)) / SEEDS;
    }
    return e;
  }

  private static void assertComparable(String net, ImageBatch x) {
    double ntkParam = ntkError(String.format(net, ""), x);
    double standard = ntkError(String.format(net, STANDARD), x);
    assertTrue(standard <= 1.3 * ntkParam, "NTK Gram error " + standard + " (standard) vs "
        + ntkParam + " (ntk) for " + net);
  }

  @Test
  void standardConvolutionsSketchAsWellAsNtkParameterisedOnes() {
    assertComparable(POOLED, CntkSketchAccuracy.images(10, 8, 8, 3, 2));
  }

  @Test
  void theNngpFeaturesDoNotDependOnTheParameterization() {
    ImageBatch x = CntkSketchAccuracy.images(4, 8, 8, 3, 4);
    double[][] a = Sketches.of(String.format(POOLED, "")).withDim(512).withSeed(7).withBackend("cpu")
        .nngp(x);
    double[][] b = Sketches.of(String.format(POOLED, STANDARD)).withDim(512).withSeed(7)
        .withBackend("cpu").nngp(x);
    for (int i = 0; i < a.length; i++) {
      assertArrayEquals(a[i], b[i], 0.0);
    }
  }

  /** The exact kernel the sketch approximates is the standard one (a Gram error near the floor). */
  @Test
  void theSketchApproximatesTheStandardKernel() {
    ImageBatch x = CntkSketchAccuracy.images(6, 6, 6, 2, 3);
    Architecture a = Architecture.parse("Conv(5, (3, 3), strides=(2, 2), padding='SAME', W_std=1.5, "
        + "b_std=0.0" + STANDARD + "), Erf(), Conv(3, (1, 1), W_std=1.2" + STANDARD + "), "
        + "GlobalAvgPool(), Dense(1, W_std=1.1" + STANDARD + ")");
    KernelPair exact = Kernels.of(a).withBackend("cpu").compute(x, null, Kind.BOTH);
    double[][] f = Sketches.of(a).withDim(M).withSeed(1).withBackend("cpu").ntk(x);
    double e = SketchAccuracy.gramError(exact.ntk().toArray(), f);
    double floor = SketchAccuracy.obliviousFloor(exact.ntk().toArray(), f[0].length);
    assertTrue(e < 2 * floor, "NTK Gram error " + e + ", floor " + floor);
  }

  @Tag("slow")
  @ParameterizedTest
  @ValueSource(strings = {
      // GlobalAvgPool readout after Erf
      CONV + ", Relu(), AvgPool((2, 2), strides=(2, 2)), " + CONV + ", Erf(), GlobalAvgPool(), "
          + "Dense(1, W_std=1.4, b_std=0.1%1$s)",
      // stride 2, a pixelwise Dense, Flatten, a hidden Dense after the readout
      "Conv(4, (3, 3), strides=(2, 2), padding='SAME', W_std=1.4%1$s), Relu(), "
          + "Dense(6, W_std=1.2, b_std=0.3%1$s), Relu(), Conv(4, (3, 3), padding='SAME', W_std=1.3%1$s), "
          + "Relu(), Flatten(), Dense(5, W_std=1.2, b_std=0.1%1$s), Relu(), Dense(1%1$s)"})
  void moreShapesSketchAsWellAsNtkParameterisedOnes(String net) {
    assertComparable(net, CntkSketchAccuracy.images(10, 8, 8, 3, 2));
  }
}
