package org.nke.sketch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nke.Kernels;
import org.nke.arch.Architecture;
import org.nke.arch.AvgPool;
import org.nke.arch.Layer;
import org.nke.arch.Padding;
import org.nke.arch.Presets;
import org.nke.cntk.CntkNetwork;
import org.nke.cntk.PixelVariances;
import org.nke.cpu.CpuBackend;
import org.nke.exact.ExactKernel.Kind;
import org.nke.exact.KernelPair;
import org.nke.ir.Grid;
import org.nke.ir.ImageBatch;
import org.nke.ir.ImageVariances;
import org.nke.spi.BackendOptions;
import org.nke.spi.ConvOps;
import org.nke.spi.PixelBlocks;
import org.nke.testing.KernelAsserts;

/**
 * The CNTK sketch of branching networks and LayerNorm on images: closed forms where no draw is
 * involved, Gram errors of a residual net and of a small wide ResNet against the oblivious floor,
 * the host self recursion against the exact CNTK's pipeline, and serial networks' features unchanged
 * bit for bit.
 *
 * <p>Measured (8 × 8 × 3 images of {@link CntkSketchAccuracy#images}, seed 1), Gram error ÷ oblivious
 * floor, NNGP / NTK, with the exact diagonal (the default; the sketched diagonal's numbers, from
 * before it existed, in brackets):
 * <pre>
 *                            m = 4096                     m = 8192
 * RESIDUAL         24 images  0.57 / 0.89  (0.65 / 0.98)
 *                  40 images  0.60 / 0.90  (0.68 / 0.98)   0.62 / 0.86  (0.62 / 0.88)
 *                  60 images  0.61 / 0.89  (0.67 / 0.95)   0.60 / 0.89  (0.63 / 0.90)
 * smallWideResnet  24 images  0.92 / 1.04  (0.98 / 1.33)
 *                  40 images  0.94 / 1.11  (1.00 / 1.39)   0.91 / 1.11  (0.99 / 1.27)
 *                  60 images  0.95 / 1.11  (1.00 / 1.36)   0.94 / 1.16  (1.05 / 1.28)
 * </pre>
 * With the sketched diagonal the wide ResNet's NTK was as far from the floor as its serial twin's
 * (the same Convs without the shortcuts, 1.41 at 40 images and m = 4096): most of that error is one
 * common scale of a nearly rank-one kernel, which the exact diagonal removes
 * ({@link ExactDiagonalTest}, docs/design-notes.md).
 */
class BranchingCntkSketchTest {
  private static final String CONV = "Conv(8, (3, 3), padding='SAME', W_std=1.4, b_std=0.1)";
  /** A residual block (Conv, ReLU, Conv | identity), LayerNorm over channels, ReLU, Flatten. */
  static final String RESIDUAL = CONV + ", FanOut(2), parallel(serial(" + CONV + ", Relu(), " + CONV
      + "), Identity()), FanInSum(), LayerNorm(), Relu(), Flatten(), Dense()";

  /**
   * neural-tangents' {@code WideResnet(block_size=1, k=1, num_classes=10)} ({@link Presets}) for
   * 8 × 8 images: its final {@code AvgPool((8, 8))} (made for 32 × 32) becomes {@code AvgPool((2, 2))}.
   */
  static Architecture smallWideResnet() {
    List<Layer> layers = new ArrayList<>(Presets.wideResnet(1, 1, 10));
    layers.set(layers.size() - 3, new AvgPool(2, 2, 2, 2, Padding.VALID));
    return new Architecture(layers);
  }

  /** Gram error ÷ oblivious floor: {NNGP, NTK}. */
  static double[] ratios(Architecture arch, int n, int m) {
    ImageBatch x = CntkSketchAccuracy.images(n, 8, 8, 3, 5);
    KernelPair exact = Kernels.of(arch).withBackend("cpu").compute(x, null, Kind.BOTH);
    double[] out = new double[2];
    for (int kind = 0; kind < 2; kind++) {
      CntkSketch plan = CntkSketch.build(arch, x, new SketchOptions(m, 1, kind == 1, 0,
          SketchOptions.DEFAULT_TAIL));
      double[][] f = CntkSketchAccuracy.features(plan, x);
      double[][] k = (kind == 1 ? exact.ntk() : exact.nngp()).toArray();
      out[kind] = SketchAccuracy.gramError(k, f) / SketchAccuracy.obliviousFloor(k, f[0].length);
    }
    return out;
  }

  private static void assertWithin(Architecture arch, String name, int n, int m, double nngp,
      double ntk) {
    double[] r = ratios(arch, n, m);
    assertTrue(r[0] <= nngp && r[1] <= ntk, name + ", " + n + " images, m = " + m + ": NNGP "
        + r[0] + "x, NTK " + r[1] + "x the oblivious floor");
  }

  @Test
  void residualNetIsWithinTheIssuesRatioOfTheObliviousFloor() {
    assertWithin(Architecture.parse(RESIDUAL), "residual", 24, 4096, 1.3, 1.3);
  }

  @Test
  void smallWideResnetIsWithinTheIssuesRatioOfTheObliviousFloor() {
    assertWithin(smallWideResnet(), "wide ResNet", 24, 4096, 1.3, 1.3);
  }

  @Test
  @Tag("slow")
  void residualAndWideResnetAtSixtyImages() {
    for (int m : new int[] {4096, 8192}) {
      assertWithin(Architecture.parse(RESIDUAL), "residual", 60, m, 1.3, 1.3);
      assertWithin(smallWideResnet(), "wide ResNet", 60, m, 1.3, 1.3);
    }
  }

  /**
   * The preset itself, {@code WideResnet(1, 1, 10)} on 32 × 32 images: the first 16 bundled
   * Fashion-MNIST images ({@code examples/fashion-mnist-20.npy}), standardised and zero-padded from
   * 28 × 28 as {@code nke --standardize --pad-to 32} does; the plan adapted to them. NTK Gram error
   * ÷ oblivious floor over seeds 1–4 with the exact diagonal (the sketched diagonal's, the same
   * draws, in brackets): m = 4096 0.56, 0.92, 1.19, 0.66 (0.93, 1.65, 1.40, 1.71); m = 8192 seed 1
   * 0.98 (1.12). Asserted: the issue's 1.3× at both budgets for seeds 1 and 2.
   */
  @Test
  @Tag("slow")
  void theWideResnetPresetOnFashionMnist() throws java.io.IOException {
    ImageBatch raw = org.nke.io.DataFiles.readImages(java.nio.file.Path.of(
        "../examples/fashion-mnist-20.npy")).slice(0, 16);
    ImageBatch x = padded(raw.standardized(raw.channelStats()), 32);
    Architecture arch = Architecture.parse("WideResnet(1, 1, 10)");
    double[][] k = Kernels.of(arch).withBackend("cpu").ntk(x).toArray();
    for (int m : new int[] {4096, 8192}) {
      for (long seed = 1; seed <= 2; seed++) {
        CntkSketch plan = CntkSketch.build(arch, x, new SketchOptions(m, seed, true, 0,
            SketchOptions.DEFAULT_TAIL));
        double[][] f = CntkSketchAccuracy.features(plan, x);
        double r = SketchAccuracy.gramError(k, f) / SketchAccuracy.obliviousFloor(k, f[0].length);
        assertTrue(r <= 1.3, "m = " + m + ", seed " + seed + ": NTK " + r
            + "x the oblivious floor");
      }
    }
  }

  /** Zero-pads each image, centred, to {@code side × side}. */
  private static ImageBatch padded(ImageBatch x, int side) {
    int c = x.channels();
    int top = (side - x.height()) / 2;
    int left = (side - x.width()) / 2;
    double[] out = new double[x.count() * side * side * c];
    for (int i = 0; i < x.count(); i++) {
      for (int h = 0; h < x.height(); h++) {
        for (int w = 0; w < x.width(); w++) {
          for (int ch = 0; ch < c; ch++) {
            out[((i * side + h + top) * side + w + left) * c + ch] = x.get(i, h, w, ch);
          }
        }
      }
    }
    return ImageBatch.of(out, x.count(), side, side, c);
  }

  /**
   * Linear branches (no activation, so no draw when every patch fits the budget): the features' Gram
   * is the exact CNTK.
   */
  @Test
  void joinsAndLayerNormWithoutDrawsGiveTheExactKernel() {
    ImageBatch x = CntkSketchAccuracy.images(6, 4, 4, 2, 3);
    String conv = "Conv(3, (3, 3), padding='SAME', W_std=1.3, b_std=0.2)";
    String[] nets = {
        // FanInSum with an identity shortcut, LayerNorm over channels, GlobalAvgPool
        conv + ", FanOut(2), parallel(Conv(3, (3, 3), padding='SAME', W_std=1.2, b_std=0.1), "
            + "Identity()), FanInSum(), LayerNorm(eps=0.1), GlobalAvgPool(), Dense(W_std=1.1, b_std=0.3)",
        // FanInConcat of three branches (width weights), LayerNorm over the image, a pooled Flatten
        conv + ", LayerNorm(axis=(1, 2, 3), eps=0.2), FanOut(3), parallel(Conv(4, (1, 1), W_std=1.2), "
            + "Conv(2, (3, 3), padding='SAME', b_std=0.3), Identity()), FanInConcat(), "
            + "AvgPool((2, 2), strides=(2, 2)), Flatten(), Dense(b_std=0.1)",
        // FanInProd of narrow branches (an exact Kronecker product), nested fan-outs
        "Conv(2, (1, 1), W_std=1.2, b_std=0.1), FanOut(2), parallel(serial(FanOut(2), "
            + "parallel(Conv(2, (1, 1), W_std=1.1, b_std=0.2), Identity()), FanInSum()), Identity()), "
            + "FanInProd(), GlobalAvgPool(), Dense()"};
    for (String net : nets) {
      Architecture arch = Architecture.parse(net);
      KernelPair exact = Kernels.of(arch).withBackend("cpu").compute(x, null, Kind.BOTH);
      for (boolean ntk : new boolean[] {false, true}) {
        CntkSketch plan = CntkSketch.build(arch, x, new SketchOptions(8192, 1, ntk, 0,
            SketchOptions.DEFAULT_TAIL));
        double[][] f = CntkSketchAccuracy.features(plan, x);
        KernelAsserts.assertCloseMatrices((ntk ? exact.ntk() : exact.nngp()).toArray(),
            BranchingSketchTest.gram(f),
            1e-12, 0);
      }
    }
  }

  @Test
  void featureCountsRespectTheBudget() {
    ImageBatch x = CntkSketchAccuracy.images(2, 8, 8, 3, 1);
    for (Architecture arch : new Architecture[] {Architecture.parse(RESIDUAL), smallWideResnet()}) {
      for (boolean ntk : new boolean[] {false, true}) {
        CntkSketch plan = CntkSketch.build(arch, x, new SketchOptions(256, 2, ntk, 0,
            SketchOptions.DEFAULT_TAIL));
        double[] f = CntkSketchAccuracy.features(plan, x)[0];
        assertEquals(plan.outputDim(), f.length);
        assertTrue(f.length <= (ntk ? 512 : 256), "features " + f.length);
      }
    }
  }

  /**
   * Two residual blocks with identity shortcuts: the first fan-in is over the budget and its
   * features reach the second through the shortcut unprojected, so it is re-sketched per pixel
   * (16 images, m = 1024: NNGP 0.30x the oblivious floor).
   */
  @Test
  void aWideFanInBeforeAnIdentityShortcutIsResketched() {
    String block = "FanOut(2), parallel(serial(Relu(), " + CONV + "), Identity()), FanInSum()";
    Architecture arch = Architecture.parse(CONV + ", " + block + ", " + block + ", Relu(), "
        + "GlobalAvgPool(), Dense()");
    ImageBatch x = CntkSketchAccuracy.images(16, 8, 8, 3, 6);
    KernelPair exact = Kernels.of(arch).withBackend("cpu").compute(x, null, Kind.BOTH);
    for (boolean ntk : new boolean[] {false, true}) {
      CntkSketch plan = CntkSketch.build(arch, x, new SketchOptions(1024, 3, ntk, 0,
          SketchOptions.DEFAULT_TAIL));
      List<CntkStep.EndFork> ends = plan.steps().stream().filter(s -> s instanceof CntkStep.EndFork)
          .map(s -> (CntkStep.EndFork) s).toList();
      assertTrue(ends.get(0).k() != null && (!ntk || ends.get(0).t() != null)
          && ends.get(1).k() == null, "re-sketches " + ends);
      double[][] f = CntkSketchAccuracy.features(plan, x);
      double[][] k = (ntk ? exact.ntk() : exact.nngp()).toArray();
      double ratio = SketchAccuracy.gramError(k, f) / SketchAccuracy.obliviousFloor(k, f[0].length);
      assertTrue(f[0].length <= (ntk ? 2048 : 1024) && ratio < 1.5, (ntk ? "NTK" : "NNGP")
          + ": " + f[0].length + " features, " + ratio + "x the oblivious floor");
    }
  }

  /** The host self recursion (with the NTK) agrees bit for bit with the exact CNTK's pipeline. */
  @Test
  void hostVariancesOfBranchingNetsEqualThePipelines() {
    ImageBatch x = CntkSketchAccuracy.images(3, 8, 8, 3, 2);
    for (Architecture arch : new Architecture[] {Architecture.parse(RESIDUAL), smallWideResnet(),
        Architecture.parse("Conv(6, (3, 3), padding='SAME', W_std=1.4), LayerNorm(axis=(1, 2, 3), "
            + "eps=0.1), FanOut(2), parallel(serial(Relu(), Conv(3, (3, 3), padding='SAME')), "
            + "Identity()), FanInProd(), Conv(3, (3, 3), padding='SAME'), Relu(), AvgPool((2, 2)), "
            + "Flatten(), Dense()")}) {
      CntkNetwork net = CntkNetwork.compile(arch, new Grid(8, 8), 3);
      ImageVariances[] want;
      try (CpuBackend cpu = new CpuBackend(BackendOptions.defaults());
          PixelBlocks blocks = cpu.convOps().orElseThrow().allocate(x.count(),
              net.maxBlockEntries(), false)) {
        ConvOps ops = cpu.convOps().orElseThrow();
        want = PixelVariances.of(net, ops, blocks, x);
      }
      double[] image = new double[x.imageSize()];
      for (int i = 0; i < x.count(); i++) {
        x.copyImage(i, image);
        ImageVariances got = PixelVariances.of(net, image, true);
        assertEquals(net.activations(), got.spatial().length);
        for (int a = 0; a < got.spatial().length; a++) {
          assertArrayEquals(want[i].spatial()[a], got.spatial()[a], "probe " + a);
        }
        assertEquals(want[i].nngp(), got.nngp());
        assertTrue(got.ntk() > 0, "readout NTK " + got.ntk());
      }
    }
  }

  /**
   * Without pooling the approximate recursion (for images too large for exact self blocks) is the
   * exact one up to rounding, through forks, merges and LayerNorm; features from the norms' variances
   * stay near the floor.
   */
  @Test
  void approximateVariancesAndNormEstimatesRunForksAndLayerNorm() {
    ImageBatch x = CntkSketchAccuracy.images(16, 8, 8, 3, 4);
    Architecture arch = Architecture.parse(RESIDUAL.replace("LayerNorm()",
        "LayerNorm(axis=(1, 2, 3), eps=0.1)"));
    CntkNetwork net = CntkNetwork.compile(arch, new Grid(8, 8), 3);
    double[] image = new double[x.imageSize()];
    x.copyImage(3, image);
    ImageVariances exact = PixelVariances.of(net, image, true);
    ImageVariances approx = PixelVariances.approximate(net, image);
    for (int a = 0; a < exact.spatial().length; a++) {
      KernelAsserts.assertCloseMatrices(new double[][] {exact.spatial()[a]},
          new double[][] {approx.spatial()[a]}, 1e-13, 0);
    }
    assertEquals(exact.ntk(), approx.ntk(), 1e-13 * exact.ntk());
    KernelPair k = Kernels.of(arch).withBackend("cpu").compute(x, null, Kind.BOTH);
    for (boolean ntk : new boolean[] {false, true}) {
      CntkSketch plan = CntkSketch.build(arch, x, new SketchOptions(1024, 4, ntk, 0,
          SketchOptions.DEFAULT_TAIL), CntkSketch.DEFAULT_PATCH, false);
      double[][] f = CntkSketchAccuracy.features(plan, x);
      double[][] want = (ntk ? k.ntk() : k.nngp()).toArray();
      double ratio = SketchAccuracy.gramError(want, f) / SketchAccuracy.obliviousFloor(want,
          f[0].length);
      assertTrue(ratio < 1.6, (ntk ? "NTK" : "NNGP") + " ratio " + ratio);
    }
  }

  /**
   * Features of serial networks made before branching came to the CNTK sketch (commit e0ee21f):
   * checksums of the bits, so that they stay the same.
   */
  @Test
  void serialNetworksKeepTheirFeaturesBitForBit() {
    String[] nets = {CONV + ", Relu(), AvgPool((2, 2), strides=(2, 2)), " + CONV + ", Relu(), "
        + "Flatten(), Dense(W_std=1.4, b_std=0.1)", CONV + ", Erf(), " + CONV + ", Relu(), "
        + "GlobalAvgPool(), Dense(W_std=1.3, b_std=0.2), Gelu(), Dense()"};
    long[] want = {-6037404851439946564L, 8501392991627125572L, -175503586573982324L,
        6589987331517354729L, 8961816828042620521L, -6124359706487572510L, -2816138440980629361L,
        -2537922404163594173L};
    ImageBatch x = CntkSketchAccuracy.images(3, 8, 8, 3, 4);
    int c = 0;
    for (String net : nets) {
      for (boolean ntk : new boolean[] {false, true}) {
        for (Boolean exact : new Boolean[] {null, false}) {
          CntkSketch plan = CntkSketch.build(Architecture.parse(net), x, new SketchOptions(256, 3,
              ntk, 0, SketchOptions.DEFAULT_TAIL), CntkSketch.DEFAULT_PATCH, exact);
          // the sketched diagonal: the features as they were before the exact diagonal existed
          assertEquals(want[c++], checksum(CntkSketchAccuracy.features(
              plan.withExactDiagonal(false), x)),
              net + (ntk ? " NTK" : " NNGP") + (exact == null ? "" : ", variances from norms"));
        }
      }
    }
  }

  private static long checksum(double[][] f) {
    long h = 17;
    for (double[] r : f) {
      for (double v : r) {
        h = 31 * h + Double.doubleToLongBits(v);
      }
    }
    return h;
  }
}
