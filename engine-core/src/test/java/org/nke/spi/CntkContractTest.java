package org.nke.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nke.arch.Architecture;
import org.nke.arch.Presets;
import org.nke.cntk.ExactCntk;
import org.nke.cpu.CpuBackend;
import org.nke.exact.ExactKernel.Kind;
import org.nke.exact.KernelPair;
import org.nke.ir.ImageBatch;
import org.nke.testing.KernelAsserts;

/**
 * The CNTK part of the backend contract: the exact convolutional NNGP and NTK computed through a
 * backend's {@link ConvOps} equal those of the reference (a single-threaded {@link CpuBackend}) for
 * SAME and VALID convolutions, strides, even filters, average pooling, GlobalAvgPool and Flatten
 * (diagonal-only and full pixel pairs), several activation families, both parameterizations, X = Y
 * and X ≠ Y. Subclasses open
 * the backend (which may skip the class with an assumption) and state the tolerance; a backend
 * without its own {@link Backend#convOps()} is rejected, since the fallback would compare the CPU with
 * itself. {@link #myrtle5MatchesTheReference} (32 × 32 images) is tagged {@code slow}.
 */
public abstract class CntkContractTest extends BackendPairTest {


  /**
   * @param what the network compared
   * @return the relative Frobenius tolerance against the CPU reference
   */
  protected abstract double tolerance(String what);

  /**
   * @param seed seed
   * @param n images
   * @param h height
   * @param w width
   * @param c channels
   * @return reproducible images whose scales differ by image
   */
  public static ImageBatch images(long seed, int n, int h, int w, int c) {
    Random rnd = new Random(seed);
    double[] v = new double[n * h * w * c];
    for (int k = 0; k < v.length; k++) {
      v[k] = rnd.nextGaussian() * (1 + 0.3 * ((k / (h * w * c)) % 3));
    }
    return ImageBatch.of(v, n, h, w, c);
  }

  /**
   * @return networks covering every pixel-pair step with small filters (also {@code ExactCntkTest}'s
   *     corpus against the naive implementation)
   */
  public static Stream<String> corpus() {
    return Stream.of(
        // Flatten without pools: the whole network runs on diagonal pairs only
        "Conv(8, (3, 3), padding='SAME', W_std=1.5, b_std=0.1), Relu(), "
            + "Conv(8, (3, 3), padding='SAME', W_std=1.3, b_std=0.2), Erf(), Flatten(), Dense(W_std=1.2, b_std=0.1)",
        // VALID, an even filter, GlobalAvgPool (full pairs throughout), a dense tail with an activation
        "Conv(4, (3, 3), W_std=1.4, b_std=0.3), Relu(), Conv(4, (2, 2), padding='VALID', W_std=1.1), Gelu(), "
            + "GlobalAvgPool(), Dense(W_std=1.3, b_std=0.2), Relu(), Dense()",
        // pooling then Flatten: full pairs, then only the pool's diagonal
        "Conv(3, (3, 3), padding='SAME', W_std=2**0.5), Relu(), AvgPool((2, 2), strides=(2, 2)), "
            + "Conv(3, (3, 3), padding='SAME', W_std=2**0.5, b_std=0.5), LeakyRelu(0.1), Flatten(), Dense()",
        // SAME pooling with stride 1 (zero padding, full divisor), strided conv, even SAME filter
        "Conv(3, (3, 3), strides=(2, 2), padding='SAME', W_std=1.2, b_std=0.1), Erf(a=1.5, b=0.7, c=0.2), "
            + "AvgPool((3, 3), strides=(1, 1), padding='SAME'), Conv(3, (2, 2), padding='SAME'), Abs(), "
            + "GlobalAvgPool(), Dense()",
        // the first Conv not fused with the input kernel: after a pool, after a pixelwise Dense
        "AvgPool((2, 2), strides=(1, 1)), Conv(3, (3, 3), padding='SAME', W_std=1.2, b_std=0.3), Relu(), "
            + "GlobalAvgPool(), Dense()",
        "Dense(4, W_std=1.1, b_std=0.2), Conv(3, (3, 2), strides=(1, 2), padding='SAME', W_std=1.3), "
            + "Relu(), GlobalAvgPool(), Dense()",
        // SumPool (average pooling and a pixelwise F² scaling, no primitive of its own), SAME then
        // strided, before activations; the first on full pairs, the second before Flatten
        "Conv(3, (3, 3), padding='SAME', W_std=1.2, b_std=0.1), SumPool((2, 2), strides=(1, 1), "
            + "padding='SAME'), Relu(), Conv(3, (3, 3), padding='SAME', W_std=0.7), "
            + "SumPool((2, 2), strides=(2, 2)), Erf(), Flatten(), Dense()",
        // a pixelwise Dense and an activation directly after a pool of a Gaussian
        "Conv(3, (1, 3), padding='SAME', W_std=1.1), AvgPool((2, 2), strides=(1, 1)), Relu(), "
            + "Dense(5, W_std=0.9, b_std=0.4), Sin(), Flatten(), Dense(W_std=1.2)",
        // the standard parameterization (fan-in C_in·F in the NTK): diagonal pairs only, Flatten
        "Conv(5, (3, 3), padding='SAME', W_std=1.4, b_std=0.2, parameterization='standard'), Relu(), "
            + "Conv(4, (3, 3), padding='VALID', W_std=1.2, parameterization='standard'), Erf(), "
            + "Flatten(), Dense(W_std=1.1, b_std=0.1, parameterization='standard')",
        // standard: stride 2, b_std=0 given, a pixelwise Dense, a pool, an even filter, a dense tail
        "Conv(3, (3, 3), strides=(2, 2), padding='SAME', W_std=1.3, b_std=0.0, "
            + "parameterization='standard'), Relu(), Dense(4, W_std=1.2, b_std=0.1, "
            + "parameterization='standard'), Erf(), AvgPool((2, 2), strides=(1, 1)), Conv(2, (2, 2), "
            + "padding='SAME', W_std=1.1, parameterization='standard'), Relu(), Flatten(), "
            + "Dense(3, parameterization='standard'), Relu(), Dense(1, b_std=0.2, "
            + "parameterization='standard')",
        // residual: an identity shortcut on full pairs (GlobalAvgPool)
        "Conv(4, (3, 3), padding='SAME', W_std=1.3, b_std=0.1), FanOut(2), parallel(serial(Relu(), "
            + "Conv(4, (3, 3), padding='SAME', W_std=1.4, b_std=0.2)), Identity()), FanInSum(), Relu(), "
            + "GlobalAvgPool(), Dense()",
        // residual: a strided 1x1 Conv shortcut, LayerNorm over channels, diagonal pairs (Flatten)
        "Conv(4, (3, 3), padding='SAME', W_std=1.2), FanOut(2), parallel(serial(Relu(), Conv(4, (3, 3), "
            + "strides=(2, 2), padding='SAME', W_std=1.5, b_std=0.1), Relu(), Conv(4, (3, 3), "
            + "padding='SAME')), Conv(4, (1, 1), strides=(2, 2), padding='SAME', W_std=1.1)), "
            + "FanInSum(), LayerNorm(), Relu(), Flatten(), Dense()",
        // FanInProd of a pooled branch (all pairs) and two that only need the diagonal
        "Conv(4, (3, 3), padding='SAME', W_std=1.3, b_std=0.2), FanOut(3), parallel(Erf(), "
            + "serial(AvgPool((2, 2), strides=(1, 1), padding='SAME'), Relu()), Identity()), "
            + "FanInProd(), Flatten(), Dense()",
        // LayerNorm over (1, 2, 3), FanInConcat of a nested fan-out, a pool after the join
        "Conv(6, (3, 3), padding='SAME', W_std=1.4), LayerNorm(axis=(1, 2, 3), eps=0.1), FanOut(2), "
            + "parallel(serial(Relu(), Conv(3, (3, 3), padding='SAME', W_std=1.2, b_std=0.3)), "
            + "serial(FanOut(2), parallel(Conv(6, (1, 1), W_std=0.9), Identity()), FanInSum())), "
            + "FanInConcat(), Conv(4, (3, 3), padding='SAME', W_std=1.1), Relu(), AvgPool((2, 2)), "
            + "Flatten(), Dense()");
  }

  /** @return the corpus and the numerical (Hermite-series) duals */
  public static Stream<String> architectures() {
    return Stream.concat(corpus(), Stream.of(
        "Conv(3, (3, 3), padding='SAME', W_std=1.3, b_std=0.2), Tanh(), Flatten(), Dense()",
        "Conv(3, (3, 3), padding='VALID', W_std=1.3), ElementwiseNumerical(fn=Tanh, deg=12), "
            + "GlobalAvgPool(), Dense()"));
  }

  private void compare(Architecture arch, ImageBatch x, ImageBatch y, String what) {
    KernelPair want = ExactCntk.compute(arch, x, y, Kind.BOTH, reference, Precision.F64,
        Progress.NONE, e -> { });
    KernelPair got = ExactCntk.compute(arch, x, y, Kind.BOTH, tested, Precision.F64, Progress.NONE,
        e -> { });
    assertTrue(got.backend().equals(tested.name()), "ran on " + got.backend());
    KernelAsserts.assertCloseMatrices(want.nngp().toArray(), got.nngp().toArray(),
        tolerance(what), 0);
    KernelAsserts.assertCloseMatrices(want.ntk().toArray(), got.ntk().toArray(), tolerance(what), 0);
    assertEquals(want.errorBound(), got.errorBound(), 0.0, "error bound");
  }

  @ParameterizedTest
  @MethodSource("architectures")
  void cntkMatchesTheReference(String source) {
    Assumptions.assumeTrue(tested.convOps().isPresent(), tested.name() + " has no CNTK primitives");
    Architecture arch = Architecture.parse(source);
    compare(arch, images(7, 3, 6, 5, 3), null, source + " (X = Y)");
    compare(arch, images(7, 3, 6, 5, 3), images(8, 2, 6, 5, 3), source + " (X, Y)");
  }

  @Test
  @Tag("slow")
  void myrtle5MatchesTheReference() {
    Assumptions.assumeTrue(tested.convOps().isPresent(), tested.name() + " has no CNTK primitives");
    Architecture arch = new Architecture(Presets.myrtle(5, Math.sqrt(2), 0));
    compare(arch, images(9, 2, 32, 32, 3), null, "Myrtle-5");
  }
}
