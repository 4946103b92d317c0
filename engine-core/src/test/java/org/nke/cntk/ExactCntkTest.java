package org.nke.cntk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nke.Kernels;
import org.nke.arch.Architecture;
import org.nke.error.ArchException;
import org.nke.error.InvalidInputException;
import org.nke.exact.ExactKernel.Kind;
import org.nke.exact.KernelPair;
import org.nke.ir.ImageBatch;
import org.nke.spi.CntkContractTest;
import org.nke.spi.KernelMatrix;
import org.nke.testing.KernelAsserts;
import org.nke.testing.NaiveCntk;
import org.nke.testing.Tolerances;

/** The exact CNTK against {@link NaiveCntk}, identities with the dense kernels, and determinism. */
class ExactCntkTest {
  static ImageBatch images(long seed, int n, int h, int w, int c) {
    Random rnd = new Random(seed);
    double[] v = new double[n * h * w * c];
    for (int k = 0; k < v.length; k++) {
      v[k] = rnd.nextGaussian() * (1 + 0.3 * ((k / (h * w * c)) % 3));
    }
    return ImageBatch.of(v, n, h, w, c);
  }

  static double[][][] image(ImageBatch b, int i) {
    double[][][] x = new double[b.height()][b.width()][b.channels()];
    for (int h = 0; h < b.height(); h++) {
      for (int w = 0; w < b.width(); w++) {
        for (int c = 0; c < b.channels(); c++) {
          x[h][w][c] = b.get(i, h, w, c);
        }
      }
    }
    return x;
  }

  /**
   * @param v per image, the value of every pixel ({@code C} channels), not modified
   * @param h height
   * @param w width
   * @return images {@code (v.length, h, w, C)} whose pixels all equal their row of {@code v}
   */
  static ImageBatch constantImages(double[][] v, int h, int w) {
    int c = v[0].length;
    double[] data = new double[v.length * h * w * c];
    for (int i = 0; i < v.length; i++) {
      for (int p = 0; p < h * w; p++) {
        System.arraycopy(v[i], 0, data, (i * h * w + p) * c, c);
      }
    }
    return ImageBatch.of(data, v.length, h, w, c);
  }

  /** @return the pixel-pair corpus shared with the backend contract (smooth closed-form duals) */
  static Stream<String> architectures() {
    return CntkContractTest.corpus();
  }

  @ParameterizedTest
  @MethodSource("architectures")
  void matchesTheNaiveImplementation(String source) {
    Architecture arch = Architecture.parse(source);
    ImageBatch x = images(7, 3, 6, 5, 3);
    ImageBatch y = images(8, 2, 6, 5, 3);
    KernelPair xy = Kernels.of(arch).withBackend("cpu").compute(x, y, Kind.BOTH);
    KernelPair xx = Kernels.of(arch).withBackend("cpu").compute(x, null, Kind.BOTH);
    compareWithNaive(arch, x, y, xy, xx, Tolerances.F64_REFERENCE);
  }

  /** A numerical dual (Hermite series, bound per image pair to its pixel variances) on tiny images. */
  @Test
  void numericalDualsUseEachPixelsOwnVariance() {
    Architecture arch = Architecture.parse("Conv(3, (2, 2), padding='SAME', W_std=1.3, b_std=0.2), Tanh(), "
        + "GlobalAvgPool(), Dense()");
    ImageBatch x = images(4, 2, 3, 2, 2);
    ImageBatch y = images(6, 1, 3, 2, 2);
    KernelPair xy = Kernels.of(arch).withBackend("cpu").compute(x, y, Kind.BOTH);
    KernelPair xx = Kernels.of(arch).withBackend("cpu").compute(x, null, Kind.BOTH);
    compareWithNaive(arch, x, y, xy, xx, 1e-9);
  }

  private static void compareWithNaive(Architecture arch, ImageBatch x, ImageBatch y, KernelPair xy,
      KernelPair xx, double tol) {
    double[][][] naiveXy = new double[2][x.count()][y.count()];
    double[][][] naiveXx = new double[2][x.count()][x.count()];
    for (int i = 0; i < x.count(); i++) {
      for (int j = 0; j < y.count(); j++) {
        double[] r = NaiveCntk.kernels(arch, image(x, i), image(y, j));
        naiveXy[0][i][j] = r[0];
        naiveXy[1][i][j] = r[1];
      }
      for (int j = 0; j < x.count(); j++) {
        double[] r = NaiveCntk.kernels(arch, image(x, i), image(x, j));
        naiveXx[0][i][j] = r[0];
        naiveXx[1][i][j] = r[1];
      }
    }
    KernelAsserts.assertCloseMatrices(naiveXy[0], xy.nngp().toArray(), tol, 0);
    KernelAsserts.assertCloseMatrices(naiveXy[1], xy.ntk().toArray(), tol, 0);
    KernelAsserts.assertCloseMatrices(naiveXx[0], xx.nngp().toArray(), tol, 0);
    KernelAsserts.assertCloseMatrices(naiveXx[1], xx.ntk().toArray(), tol, 0);
  }

  @Test
  void myrtle5On32x32MatchesTheNaiveImplementation() {
    Architecture arch = Architecture.parse("Myrtle5(W_std=2**0.5, b_std=0.1)");
    ImageBatch x = images(11, 2, 32, 32, 3);
    KernelPair k = Kernels.of(arch).withBackend("cpu").compute(x, null, Kind.BOTH);
    double[] r = NaiveCntk.kernels(arch, image(x, 0), image(x, 1));
    KernelAsserts.assertCloseScaled(r[0], k.nngp().get(0, 1), Math.abs(r[0]), 1e-12, "NNGP");
    KernelAsserts.assertCloseScaled(r[1], k.ntk().get(1, 0), Math.abs(r[1]), 1e-12, "NTK");
    double[] d = NaiveCntk.kernels(arch, image(x, 1), image(x, 1));
    KernelAsserts.assertCloseScaled(d[1], k.ntk().get(1, 1), d[1], 1e-12, "NTK diagonal");
  }

  @Test
  void oneByOneConvolutionsWithGlobalPoolingOnConstantImagesAreTheDenseKernel() {
    int c = 4;
    Random rnd = new Random(3);
    double[][] v = new double[3][c];
    for (double[] row : v) {
      for (int k = 0; k < c; k++) {
        row[k] = rnd.nextGaussian();
      }
    }
    ImageBatch img = constantImages(v, 5, 4);
    String conv = "Conv(16, (1, 1), W_std=1.5, b_std=0.2), Erf(), Conv(16, (1, 1), W_std=1.3, b_std=0.1), "
        + "Relu(), %s, Dense(W_std=1.1, b_std=0.3)";
    KernelPair dense = Kernels.of("Dense(W_std=1.5, b_std=0.2), Erf(), Dense(W_std=1.3, b_std=0.1), Relu(), "
        + "Dense(W_std=1.1, b_std=0.3)").withBackend("cpu").compute(v, null, Kind.BOTH);
    for (String readout : new String[] {"GlobalAvgPool()", "Flatten()"}) {
      KernelPair k = Kernels.of(String.format(conv, readout)).withBackend("cpu").compute(img, null,
          Kind.BOTH);
      KernelAsserts.assertCloseMatrices(dense.nngp().toArray(), k.nngp().toArray(),
          Tolerances.F64_IDENTITY, 0);
      KernelAsserts.assertCloseMatrices(dense.ntk().toArray(), k.ntk().toArray(),
          Tolerances.F64_IDENTITY, 0);
    }
  }

  @Test
  void flattenFirstIsTheDenseKernelOfTheFlattenedImages() {
    ImageBatch x = images(5, 4, 4, 3, 2);
    String dense = "Dense(W_std=1.5, b_std=0.1), Relu(), Dense(W_std=1.2)";
    KernelPair a = Kernels.of("Flatten(), " + dense).withBackend("cpu").compute(x, null, Kind.BOTH);
    KernelPair b = Kernels.of(dense).withBackend("cpu").compute(x.toPoints(), null, Kind.BOTH);
    KernelAsserts.assertCloseMatrices(b.ntk().toArray(), a.ntk().toArray(), Tolerances.F64_IDENTITY, 0);
  }

  @Test
  void resultsAreBitIdenticalForAnyThreadCountAndSymmetric() {
    ImageBatch x = images(9, 5, 8, 8, 3);
    String arch = "Conv(8, (3, 3), padding='SAME', W_std=1.4, b_std=0.1), Relu(), AvgPool((2, 2), strides=(2, 2)), "
        + "Conv(8, (3, 3), padding='SAME', W_std=1.4), Relu(), GlobalAvgPool(), Dense()";
    KernelMatrix one = Kernels.of(arch).withBackend("cpu").withThreads(1).ntk(x);
    for (int threads : new int[] {2, 3}) {
      KernelMatrix many = Kernels.of(arch).withBackend("cpu").withThreads(threads).ntk(x);
      for (int i = 0; i < x.count(); i++) {
        for (int j = 0; j < x.count(); j++) {
          assertEquals(one.get(i, j), many.get(i, j), 0.0);
          assertEquals(one.get(i, j), one.get(j, i), 0.0);
        }
      }
    }
    double[] row = new double[x.count()];
    one.copyRow(0, row);
    assertArrayEquals(row, Kernels.of(arch).withBackend("cpu").ntk(images(9, 1, 8, 8, 3), x).toArray()[0],
        1e-14);
  }

  /** Several tiles (symmetric and not) index their images right: the same numbers as one image. */
  @Test
  void tilesOfImagesGiveTheSameNumbersAsSinglePairs() {
    int n = ExactCntk.TILE + 5;
    ImageBatch x = images(12, n, 4, 4, 2);
    ImageBatch y = images(13, 3, 4, 4, 2);
    String arch = "Conv(2, (3, 3), padding='SAME', W_std=1.3, b_std=0.2), Relu(), "
        + "AvgPool((2, 2), strides=(2, 2)), Conv(2, (1, 1)), Relu(), GlobalAvgPool(), Dense()";
    KernelMatrix all = Kernels.of(arch).withBackend("cpu").ntk(x);
    KernelMatrix cross = Kernels.of(arch).withBackend("cpu").ntk(x, y);
    for (int i : new int[] {0, ExactCntk.TILE - 1, ExactCntk.TILE, n - 1}) {
      double[] v = new double[x.imageSize()];
      x.copyImage(i, v);
      ImageBatch xi = ImageBatch.of(v, 1, 4, 4, 2);
      KernelMatrix row = Kernels.of(arch).withBackend("cpu").ntk(xi, x);
      KernelMatrix rowY = Kernels.of(arch).withBackend("cpu").ntk(xi, y);
      assertEquals(all.get(i, i), Kernels.of(arch).withBackend("cpu").ntk(xi).get(0, 0), 0.0);
      for (int j = 0; j < n; j++) {
        // j ≥ i was computed as (x_i, x_j) as here: bit for bit; j < i as (x_j, x_i), transposed
        // blocks sum in another order: to rounding
        assertEquals(row.get(0, j), all.get(i, j), j >= i ? 0.0 : 1e-14 * Math.abs(all.get(i, j)),
            "(" + i + ", " + j + ")");
      }
      for (int j = 0; j < y.count(); j++) {
        assertEquals(rowY.get(0, j), cross.get(i, j), 0.0);
      }
    }
  }

  @Test
  void anOutputThatCannotFitIsAResourceError() {
    ImageBatch many = ImageBatch.of(new double[80_000], 80_000, 1, 1, 1);
    org.nke.error.ResourceLimitException e = assertThrows(org.nke.error.ResourceLimitException.class,
        () -> Kernels.of("Conv(1, (1, 1)), Relu(), Flatten(), Dense()").withBackend("cpu").ntk(many));
    assertEquals(5, e.exitCode());
    assertTrue(e.getMessage().contains("80000 x 80000"), e.getMessage());
    ImageBatch huge = ImageBatch.of(new double[220 * 220], 1, 220, 220, 1);
    e = assertThrows(org.nke.error.ResourceLimitException.class,
        () -> Kernels.of("Conv(1, (3, 3), padding='SAME'), Relu(), GlobalAvgPool()").nngp(huge));
    assertTrue(e.getMessage().contains("220x220"), e.getMessage());
  }

  @Test
  void aBackendWithoutCntkPrimitivesFallsBackToTheCpuAndSaysSo() {
    ImageBatch x = images(2, 3, 4, 4, 1);
    String arch = "Conv(1, (3, 3), padding='SAME'), Relu(), GlobalAvgPool()";
    try (org.nke.spi.Backends.Selection cpu = org.nke.spi.Backends.open("cpu",
        org.nke.spi.BackendOptions.defaults())) {
      org.nke.spi.Backend plain = new DenseOnlyBackend(cpu.backend());
      KernelPair k = Kernels.of(arch).compute(plain, x, null, Kind.NNGP);
      assertTrue(k.backend().contains("fallback"), k.backend());
      assertEquals(Kernels.of(arch).withBackend("cpu").nngp(x).get(0, 2), k.nngp().get(0, 2), 0.0);
    }
  }

  @Test
  void invalidNetworksAndInputsAreClearErrors() {
    ImageBatch x = images(1, 2, 4, 4, 1);
    ArchException spatial = assertThrows(ArchException.class,
        () -> Kernels.of("Conv(1, (3, 3)), Relu()").nngp(x));
    assertTrue(spatial.getMessage().contains("still spatial"), spatial.getMessage());
    assertThrows(ArchException.class, () -> Kernels.of("Conv(1, (5, 5)), Flatten()").nngp(x));
    assertThrows(ArchException.class, () -> Kernels.of("Relu(), Conv(1, (3, 3)), Flatten()").nngp(x));
    assertThrows(ArchException.class, () -> Kernels.of("Conv(None, (3, 3)), Relu(), "
        + "Conv(1, (1, 1), parameterization='standard'), Flatten()").nngp(x));
    assertThrows(ArchException.class, () -> Kernels.of("Flatten(), Conv(1, (1, 1))").nngp(x));
    InvalidInputException shape = assertThrows(InvalidInputException.class,
        () -> Kernels.of("Conv(1, (3, 3)), Flatten()").nngp(x, images(1, 1, 5, 4, 1)));
    assertTrue(shape.getMessage().contains("(H, W, C)"), shape.getMessage());
  }

  @Test
  void estimatesAreReportedBeforeThePairwisePhase() {
    List<CostEstimate> seen = new ArrayList<>();
    Kernels.of("Conv(1, (3, 3)), Relu(), Flatten()").withBackend("cpu").withEstimate(seen::add)
        .nngp(images(2, 4, 5, 5, 2));
    assertEquals(1, seen.size());
    assertEquals(6, seen.get(0).pairs());
    assertTrue(seen.get(0).describe().contains("6 image pairs"), seen.get(0).describe());
  }
}
