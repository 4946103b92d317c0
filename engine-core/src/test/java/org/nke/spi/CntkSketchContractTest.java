package org.nke.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nke.arch.Architecture;
import org.nke.cpu.CpuBackend;
import org.nke.ir.ImageBatch;
import org.nke.sketch.CntkSketch;
import org.nke.sketch.CntkSketchAccuracy;
import org.nke.sketch.SketchOptions;
import org.nke.testing.KernelAsserts;

/**
 * The CNTK-sketch part of the backend contract: {@link Backend#features(CntkSketch, ImageBatch,
 * Progress)} reproduces the reference's features (a single-threaded {@link CpuBackend}, i.e.
 * {@code CntkSketch.features}) for the same plan — the same host draws — on small images (8 × 8 × 3),
 * NNGP and NTK: SAME and VALID convolutions, strides, a 5 × 5 and an even filter, average pooling
 * (with an activation after it), GlobalAvgPool (with and without its re-sketch), Flatten (exact and
 * re-sketched), a pixelwise Dense, ReLU-family and non-homogeneous activations (GeLU, Erf), dense
 * tails with and without activations, both parameterizations; and a branching network with LayerNorm
 * (a residual block, a FanInProd, LayerNorm over channels and over the image) and a residual net
 * without a product (FanInSum with a fan-in re-sketch, FanInConcat, both LayerNorm axes; 6 × 6 × 2),
 * which a backend either reproduces or hands back to the CPU with a recorded fallback naming the
 * layer (a backend that {@link #runsProductsOnTheDevice runs products on its device} must reproduce
 * it). Subclasses open the
 * backend (which
 * may skip the class with an assumption) and state the tolerance (relative Frobenius over the
 * feature matrix); a backend without device CNTK sketches ({@code features} returns {@code null})
 * is skipped.
 */
public abstract class CntkSketchContractTest extends BackendPairTest {
  private static final String CONV = "Conv(8, (3, 3), padding='SAME', W_std=1.4, b_std=0.1)";

  /**
   * @param what the network compared
   * @return the relative Frobenius tolerance against the CPU reference
   */
  protected abstract double tolerance(String what);

  /**
   * @param b the backend under test
   * @param plan the plan
   * @param x the images
   * @return its features, or {@code null} when it has none (subclasses may choose e.g. a precision)
   */
  protected double[][] features(Backend b, CntkSketch plan, ImageBatch x) {
    return b.features(plan, x, Progress.NONE);
  }

  /**
   * @return whether the backend under test runs product fan-ins (FanInProd) on its device, so that
   *     the branching network must not be handed back to the CPU (default: either is allowed)
   */
  protected boolean runsProductsOnTheDevice() {
    return false;
  }

  /** @return (architecture, m, degree) */
  public static Stream<Arguments> networks() {
    List<String> nets = List.of(
        // SAME, AvgPool, a re-sketched Flatten of 4 × 4 pixels, a Dense readout with a bias
        CONV + ", Relu(), AvgPool((2, 2), strides=(2, 2)), " + CONV + ", Relu(), Flatten(), "
            + "Dense(W_std=1.4, b_std=0.1)",
        // VALID, GeLU, Flatten of the full grid, an activation after the readout
        "Conv(4, (3, 3), padding='VALID', W_std=1.4), Gelu(), Conv(4, (3, 3), padding='SAME', "
            + "W_std=1.4), Relu(), Flatten(), Dense(W_std=1.3, b_std=0.2), Gelu(), Dense()",
        // a 5 × 5 filter, an activation after a pool (not fused), a stride, GlobalAvgPool
        "Conv(4, (5, 5), padding='SAME', W_std=1.4, b_std=0.1), AvgPool((2, 2), strides=(2, 2)), "
            + "Relu(), Conv(4, (3, 3), strides=(2, 2), padding='SAME', W_std=1.4), Relu(), "
            + "GlobalAvgPool(), Dense()",
        // Erf, a pixelwise Dense with a bias, a Conv straight into GlobalAvgPool (re-sketched mean)
        CONV + ", Erf(), Dense(W_std=1.2, b_std=0.3), Relu(), " + CONV + ", GlobalAvgPool(), "
            + "Dense(W_std=1.4, b_std=0.1)",
        // LeakyRelu, an even filter, Abs, Flatten as the output
        "Conv(4, (3, 3), padding='SAME', W_std=1.5), LeakyRelu(0.1), Conv(4, (2, 2), "
            + "padding='SAME', W_std=1.3, b_std=0.2), Abs(), Flatten()",
        // the standard parameterization: fan-ins C_in·F, b_std=0 given (an NTK constant without an
        // NNGP bias), a pixelwise Dense, a standard readout of N_in = H·W·C
        "Conv(4, (3, 3), strides=(2, 2), padding='SAME', W_std=1.4, b_std=0.0, "
            + "parameterization='standard'), Relu(), Dense(6, W_std=1.2, b_std=0.3, "
            + "parameterization='standard'), Erf(), Conv(4, (3, 3), padding='SAME', W_std=1.3, "
            + "parameterization='standard'), Relu(), Flatten(), Dense(W_std=1.2, b_std=0.1, "
            + "parameterization='standard')");
    List<Arguments> out = new ArrayList<>();
    for (int i = 0; i < nets.size(); i++) {
      out.add(Arguments.of(nets.get(i), i == 1 ? 128 : 64, i == 1 ? 4 : 0));
    }
    return out.stream();
  }

  @ParameterizedTest
  @MethodSource("networks")
  void featuresMatchTheReference(String arch, int m, int degree) {
    ImageBatch x = CntkSketchAccuracy.images(4, 8, 8, 3, 5);
    for (boolean ntk : new boolean[] {false, true}) {
      CntkSketch built = CntkSketch.build(Architecture.parse(arch), x, new SketchOptions(m, 17, ntk,
          degree, SketchOptions.DEFAULT_TAIL));
      // the exact diagonal (the default: the self recursion carries Θ for an NTK plan) and the
      // sketched one (the unbiased features)
      for (CntkSketch plan : new CntkSketch[] {built, built.withExactDiagonal(false)}) {
        double[][] want = reference.features(plan, x, Progress.NONE);
        double[][] got = features(tested, plan, x);
        Assumptions.assumeTrue(got != null, tested.name() + " has no device CNTK sketches");
        assertEquals(want.length, got.length);
        assertEquals(want[0].length, got[0].length, "feature count");
        KernelAsserts.assertCloseMatrices(want, got, tolerance(arch), 0);
      }
    }
  }

  /** A residual block, LayerNorm over channels and over the image, a FanInProd (sketched at m = 64). */
  public static final String BRANCHING = CONV + ", FanOut(2), parallel(serial(Relu(), " + CONV
      + "), Identity()), FanInSum(), LayerNorm(), FanOut(2), parallel(Erf(), " + CONV
      + "), FanInProd(), " + CONV + ", LayerNorm(axis=(1, 2, 3), eps=0.1), Relu(), GlobalAvgPool(), "
      + "Dense()";

  @Test
  void branchingAndLayerNormMatchTheReferenceOrFallBackByName() {
    matchOrFallBackByName(BRANCHING, CntkSketchAccuracy.images(3, 8, 8, 3, 7), 5, "(FanInProd())");
  }

  /**
   * @param arch a branching architecture
   * @param x the images
   * @param seed the plan's seed (m = 64)
   * @param layer what a recorded fallback must name when the backend hands the plan back
   */
  private void matchOrFallBackByName(String arch, ImageBatch x, long seed, String layer) {
    for (boolean ntk : new boolean[] {false, true}) {
      CntkSketch plan = CntkSketch.build(Architecture.parse(arch), x, new SketchOptions(64, seed,
          ntk, 0, SketchOptions.DEFAULT_TAIL));
      double[][] want = reference.features(plan, x, Progress.NONE);
      double[][] got = features(tested, plan, x);
      if (runsProductsOnTheDevice() && arch.contains("FanInProd")) {
        assertNotNull(got, "the product runs on the device: " + tested.fallbacks());
      }
      if (got == null) {
        // the caller then runs the CPU's features: never silently
        assertTrue(tested.fallbacks().stream().anyMatch(l -> l.contains(layer)),
            tested.name() + " returned no features and recorded " + tested.fallbacks());
        continue;
      }
      assertEquals(want[0].length, got[0].length, "feature count");
      KernelAsserts.assertCloseMatrices(want, got, tolerance(arch), 0);
    }
  }

  /**
   * Two residual blocks with identity shortcuts (FanInSum; at m = 64 the first fan-in is over the
   * budget and reaches the second unprojected, so it is re-sketched per pixel), LayerNorm over the
   * channels between them, a FanInConcat of two Convs (heavy bias coordinates last) and, after a
   * Conv, LayerNorm over the image: no product fan-in.
   */
  public static final String RESIDUAL = "Conv(4, (3, 3), padding='SAME', W_std=1.4, b_std=0.1), "
      + "FanOut(2), parallel(serial(Relu(), Conv(4, (3, 3), padding='SAME', W_std=1.4, b_std=0.1)), "
      + "Identity()), FanInSum(), LayerNorm(), FanOut(2), parallel(serial(Relu(), Conv(4, (3, 3), "
      + "padding='SAME', W_std=1.4)), Identity()), FanInSum(), FanOut(2), parallel(Conv(3, (3, 3), "
      + "padding='SAME', W_std=1.3, b_std=0.2), Conv(5, (1, 1), W_std=1.2)), FanInConcat(), "
      + "Conv(4, (3, 3), padding='SAME', W_std=1.4), LayerNorm(axis=(1, 2, 3), eps=0.1), Relu(), "
      + "GlobalAvgPool(), Dense()";

  @Test
  void residualNetsWithLayerNormMatchTheReferenceOrFallBackByName() {
    matchOrFallBackByName(RESIDUAL, CntkSketchAccuracy.images(2, 6, 6, 2, 8), 9, "layer ");
  }

  @Test
  void imagesAreIndependentOfTheirBatch() {
    ImageBatch x = CntkSketchAccuracy.images(3, 8, 8, 3, 6);
    CntkSketch plan = CntkSketch.build(Architecture.parse(CONV + ", Relu(), " + CONV + ", Relu(), "
        + "GlobalAvgPool(), Dense()"), x, new SketchOptions(64, 3, true, 0,
        SketchOptions.DEFAULT_TAIL));
    double[][] all = features(tested, plan, x);
    Assumptions.assumeTrue(all != null, tested.name() + " has no device CNTK sketches");
    for (int i = 0; i < x.count(); i++) {
      double[][] one = features(tested, plan, x.slice(i, i + 1));
      KernelAsserts.assertCloseMatrices(new double[][] {all[i]}, one, tolerance("one image"), 0);
    }
  }
}
