package org.nke.cntk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nke.Kernels;
import org.nke.arch.Architecture;
import org.nke.cpu.CpuBackend;
import org.nke.error.ArchException;
import org.nke.exact.ExactKernel.Kind;
import org.nke.exact.KernelPair;
import org.nke.ir.Grid;
import org.nke.ir.ImageBatch;
import org.nke.ir.PixelStep;
import org.nke.spi.Backend;
import org.nke.spi.BackendOptions;
import org.nke.spi.CntkContractTest;
import org.nke.spi.ConvOps;
import org.nke.spi.PixelBlocks;
import org.nke.spi.Precision;
import org.nke.spi.Progress;
import org.nke.testing.DelegatingBackend;
import org.nke.testing.DelegatingConvOps;
import org.nke.testing.KernelAsserts;
import org.nke.testing.NaiveCntk;
import org.nke.testing.ReferenceJson;

/**
 * The exact CNTK of branching (residual) convolutional networks and LayerNorm on images against
 * neural-tangents 0.6.6 ({@code cntk_residual.json}, written by
 * {@code tools/reference/cntk_residual_reference.py}: stax {@code kernel_fn} in float64 on 3 + 2 random
 * 6×6×2 images, and its README's {@code WideResnet(1, 1, 10)} on 2 random 32×32×3 images) and against
 * {@link NaiveCntk} within 1e−12 (the largest error over the largest entry), including
 * {@code WideResnet(1, 1, 10)} on 32×32 images. As in {@link StandardConvTest}, neural-tangents' NTK of
 * an image with itself in ReLU networks is compared loosely (its arc-cosine weak spot at
 * {@code ρ = 1}); those entries are held to the naive implementation instead.
 */
class ResidualCntkTest {
  /** Largest {@code max|a − e| / max|e|} against the naive implementation. */
  static final double NAIVE_TOLERANCE = 1e-12;

  @SuppressWarnings("unchecked")
  private static final Map<String, Object> REFERENCE = (Map<String, Object>) ReferenceJson.load(
      "/org/nke/reference/cntk_residual.json");
  private static final ImageBatch X = images(REFERENCE, "x");
  private static final ImageBatch Y = images(REFERENCE, "y");

  @SuppressWarnings("unchecked")
  static Stream<Map<String, Object>> cases() {
    return ((List<Object>) REFERENCE.get("cases")).stream().map(o -> (Map<String, Object>) o);
  }

  private static ImageBatch images(Map<String, Object> m, String key) {
    double[] shape = ReferenceJson.vector(m.get(key + "_shape"));
    return ImageBatch.of(ReferenceJson.vector(m.get(key)), (int) shape[0], (int) shape[1],
        (int) shape[2], (int) shape[3]);
  }

  /** Checks every kernel of a reference case; returns the largest error off and on the diagonal. */
  private static double[] compare(Map<String, Object> c, String arch, ImageBatch x, ImageBatch y) {
    KernelPair xx = Kernels.of(arch).withBackend("cpu").compute(x, null, Kind.BOTH);
    KernelPair xy = y == null ? null : Kernels.of(arch).withBackend("cpu").compute(x, y, Kind.BOTH);
    String[] keys = {"nngp_xx", "ntk_xx", "nngp_xy", "ntk_xy"};
    double[] worst = new double[2];
    for (int k = 0; k < (y == null ? 2 : 4); k++) {
      KernelPair p = k < 2 ? xx : xy;
      double[][] got = (k % 2 == 0 ? p.nngp() : p.ntk()).toArray();
      double[] e = StandardConvTest.scaledErrors(ReferenceJson.matrix(c.get(keys[k])), got);
      boolean selfNtk = keys[k].equals("ntk_xx") && arch.contains("Relu");
      assertTrue(Math.max(e[0], selfNtk ? 0 : e[1]) < StandardConvTest.NT_TOLERANCE, keys[k] + " of "
          + arch + ": error " + e[0] + " (off the diagonal), " + e[1] + " (on it)");
      assertTrue(e[1] < StandardConvTest.NT_SELF_NTK_TOLERANCE, keys[k] + " of " + arch + ": " + e[1]);
      worst[0] = Math.max(worst[0], e[0]);
      worst[1] = Math.max(worst[1], selfNtk ? 0 : e[1]);
    }
    System.out.printf("neural-tangents vs nke, %s: max error %.2e off the diagonal, %.2e on it%n",
        arch, worst[0], worst[1]);
    return worst;
  }

  @ParameterizedTest
  @MethodSource("cases")
  void matchesNeuralTangents(Map<String, Object> c) {
    compare(c, (String) c.get("arch"), X, Y);
  }

  /** The architectures of the reference and the residual part of the backend contract's corpus. */
  static Stream<String> networks() {
    return Stream.concat(cases().map(c -> (String) c.get("arch")),
        CntkContractTest.corpus().filter(s -> s.contains("FanOut")));
  }

  @ParameterizedTest
  @MethodSource("networks")
  void matchesTheNaiveImplementation(String source) {
    Architecture arch = Architecture.parse(source);
    for (ImageBatch z : new ImageBatch[] {X, Y}) {
      KernelPair xz = Kernels.of(arch).withBackend("cpu").compute(X, z == X ? null : z, Kind.BOTH);
      assertNaive(arch, X, z, xz, source);
    }
  }

  /** {@code max|a − e| / max|e|} of every entry against the naive implementation. */
  static double assertNaive(Architecture arch, ImageBatch x, ImageBatch z, KernelPair xz,
      String what) {
    double[][][] got = {xz.nngp().toArray(), xz.ntk().toArray()};
    double worst = 0;
    for (int m = 0; m < 2; m++) {
      double[][] want = new double[x.count()][z.count()];
      for (int i = 0; i < x.count(); i++) {
        for (int j = 0; j < z.count(); j++) {
          want[i][j] = NaiveCntk.kernels(arch, ExactCntkTest.image(x, i), ExactCntkTest.image(z, j))[m];
        }
      }
      double[] e = StandardConvTest.scaledErrors(want, got[m]);
      double err = Math.max(e[0], e[1]);
      assertTrue(err < NAIVE_TOLERANCE, (m == 0 ? "NNGP" : "NTK") + " of " + what + ": " + err);
      worst = Math.max(worst, err);
    }
    System.out.printf("naive vs nke, %s: max error %.2e%n", what, worst);
    return worst;
  }

  @Test
  void wideResnetOn32x32MatchesTheNaiveImplementation() {
    Architecture arch = Architecture.parse("WideResnet(1, 1, 10)");
    ImageBatch x = ExactCntkTest.images(21, 2, 32, 32, 3);
    long start = System.nanoTime();
    KernelPair k = Kernels.of(arch).withBackend("cpu").compute(x, null, Kind.BOTH);
    System.out.printf("WideResnet(1, 1, 10), 2 images 32x32x3, NNGP and NTK: %.2f s%n",
        (System.nanoTime() - start) / 1e9);
    assertNaive(arch, x, x, k, "WideResnet(1, 1, 10) on 32x32 images");
  }

  @Test
  @Tag("slow")
  void wideResnetOnThreeImagesMatchesTheNaiveImplementationAgainstOthers() {
    Architecture arch = Architecture.parse("WideResnet(1, 1, 10)");
    ImageBatch x = ExactCntkTest.images(22, 3, 32, 32, 3);
    ImageBatch y = ExactCntkTest.images(23, 2, 32, 32, 3);
    assertNaive(arch, x, y, Kernels.of(arch).withBackend("cpu").compute(x, y, Kind.BOTH),
        "WideResnet(1, 1, 10), 3 x 2 images 32x32");
  }

  @SuppressWarnings("unchecked")
  @Test
  void wideResnetMatchesNeuralTangents() {
    Map<String, Object> w = (Map<String, Object>) REFERENCE.get("wide_resnet");
    org.junit.jupiter.api.Assumptions.assumeTrue(w != null, "no WideResnet reference recorded");
    Map<String, Object> c = (Map<String, Object>) w.get("case");
    compare(c, (String) c.get("arch"), images(w, "images"), null);
  }

  @Test
  void wideResnetIsTheReadmeNetwork() {
    Architecture arch = Architecture.parse("WideResnet(2, 1, 10)");
    // Conv, 3 groups of 2 blocks (FanOut, parallel, FanInSum), AvgPool, Flatten, Dense
    assertEquals(1 + 3 * 2 * 3 + 3, arch.layers().size());
    String text = arch.describe();
    assertTrue(text.startsWith("serial(Conv(16, (3, 3), padding='SAME', W_std=1.0), FanOut(2), "
        + "parallel(serial(Relu(), Conv(16, (3, 3), padding='SAME', W_std=1.0), Relu(), Conv(16, "
        + "(3, 3), padding='SAME', W_std=1.0)), Conv(16, (3, 3), padding='SAME', W_std=1.0)), "
        + "FanInSum(), FanOut(2), parallel(serial(Relu(), "), text);
    assertTrue(text.contains("Conv(32, (3, 3), strides=(2, 2), padding='SAME', W_std=1.0)), "
        + "FanInSum()"), text);
    assertTrue(text.endsWith("Identity()), FanInSum(), AvgPool((8, 8), strides=(8, 8)), Flatten(), "
        + "Dense(10, W_std=1.0, b_std=0.0))"), text);
    assertEquals(text, Architecture.parse(text).describe(), "describe() parses back");
    CntkNetwork net = CntkNetwork.compile(arch, new Grid(32, 32), 3);
    assertEquals(1, net.forkDepth());
    ArchException small = assertThrows(ArchException.class,
        () -> CntkNetwork.compile(arch, new Grid(28, 28), 1));
    assertTrue(small.getMessage().contains("--pad-to 29"), small.getMessage());
  }

  @Test
  void unsupportedCombinationsAreNamedErrors() {
    ArchException grids = assertThrows(ArchException.class, () -> CntkNetwork.compile(
        Architecture.parse("Conv(2, (3, 3), padding='SAME'), FanOut(2), parallel(Conv(2, (3, 3), "
            + "strides=(2, 2), padding='SAME'), Identity()), FanInSum(), Flatten(), Dense()"),
        new Grid(6, 6), 2));
    assertTrue(grids.getMessage().contains("different spatial sizes"), grids.getMessage());
    ArchException axes = assertThrows(ArchException.class, () -> CntkNetwork.compile(
        Architecture.parse("Conv(2, (3, 3)), LayerNorm(axis=(1, 3)), Flatten(), Dense()"),
        new Grid(6, 6), 2));
    assertTrue(axes.getMessage().contains("layer 2 (LayerNorm(axis=(1, 3)))"), axes.getMessage());
    ArchException concat = assertThrows(ArchException.class, () -> CntkNetwork.compile(
        Architecture.parse("Conv(2, (3, 3)), FanOut(2), parallel(Identity(), Identity()), "
            + "FanInConcat(axis=1), Flatten(), Dense()"), new Grid(6, 6), 2));
    assertTrue(concat.getMessage().contains("channel axis"), concat.getMessage());
  }

  /**
   * The working set is bounded by the nesting: a network with fan-outs nested two deep allocates at
   * most {@code 1 + 2·2} sets of blocks however many batches it runs (here 2 pairs per batch), and
   * gives the same numbers as with one batch of all pairs.
   */
  @Test
  void theWorkingSetIsBoundedByTheNesting() {
    String source = "Conv(3, (3, 3), padding='SAME', W_std=1.2), FanOut(2), parallel(serial(FanOut(2), "
        + "parallel(serial(Relu(), Conv(3, (3, 3), padding='SAME', W_std=1.3)), Identity()), "
        + "FanInSum()), Identity()), FanInSum(), Relu(), GlobalAvgPool(), Dense()";
    Architecture arch = Architecture.parse(source);
    assertEquals(2, CntkNetwork.compile(arch, new Grid(6, 5), 3).forkDepth());
    ImageBatch x = ExactCntkTest.images(5, 6, 6, 5, 3);
    AtomicInteger sets = new AtomicInteger();
    try (CpuBackend cpu = new CpuBackend(new BackendOptions(1, Long.MAX_VALUE))) {
      ConvOps counting = new DelegatingConvOps(cpu.convOps().orElseThrow()) {
        @Override
        public int preferredBatch() {
          return 2;
        }

        @Override
        public PixelBlocks allocate(int capacity, long maxEntries, boolean withNtk) {
          sets.incrementAndGet();
          return super.allocate(capacity, maxEntries, withNtk);
        }
      };
      Backend small = new DelegatingBackend(cpu) {
        @Override
        public Optional<ConvOps> convOps() {
          return Optional.of(counting);
        }
      };
      KernelPair got = ExactCntk.compute(arch, x, null, Kind.BOTH, small, Precision.F64,
          Progress.NONE, e -> { });
      assertTrue(sets.get() >= 2 && sets.get() <= 1 + 2 * 2, sets.get() + " sets of blocks");
      KernelPair all = Kernels.of(arch).withBackend("cpu").compute(x, null, Kind.BOTH);
      KernelAsserts.assertCloseMatrices(all.ntk().toArray(), got.ntk().toArray(), 0, 0);
      KernelAsserts.assertCloseMatrices(all.nngp().toArray(), got.nngp().toArray(), 0, 0);
    }
  }

  /**
   * The pixel pairs each step carries: a fork's input carries all pairs when one branch needs them
   * (here the pooled one), and the branches that only need the diagonal start with a Diagonalize.
   */
  @Test
  void aForkCarriesTheUnionOfWhatItsBranchesNeed() {
    CntkNetwork net = CntkNetwork.compile(Architecture.parse("Conv(4, (3, 3), padding='SAME'), "
        + "FanOut(3), parallel(Erf(), serial(AvgPool((2, 2), strides=(1, 1), padding='SAME'), Relu()), "
        + "Identity()), FanInProd(), Flatten(), Dense()"), new Grid(6, 6), 2);
    StringBuilder program = new StringBuilder();
    for (PixelStep step : net.steps()) {
      String name = step.getClass().getSimpleName();
      boolean diagonal = step instanceof PixelStep.Convolution c ? c.diagonal()
          : step instanceof PixelStep.PixelActivation a ? a.diagonal()
          : step instanceof PixelStep.Merge m ? m.diagonal()
          : step instanceof PixelStep.Readout r && r.diagonal();
      program.append(name).append(diagonal ? "(diag) " : " ");
    }
    assertEquals("Convolution Fork Branch Diagonalize PixelActivation(diag) Merge(diag) Branch Pooling "
        + "Diagonalize PixelActivation(diag) Merge(diag) Branch Diagonalize Merge(diag) EndFork "
        + "Readout(diag)", program.toString().trim());
    assertEquals(false, net.inputDiagonal());
  }
}
