package org.nke.exact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.stream.Stream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nke.Kernels;
import org.nke.arch.Architecture;
import org.nke.error.ArchException;
import org.nke.error.InvalidInputException;
import org.nke.error.NumericalException;
import org.nke.exact.ExactKernel.Kind;
import org.nke.ir.InputKernel;
import org.nke.spi.KernelMatrix;
import org.nke.spi.Precision;
import org.nke.testing.KernelAsserts;
import org.nke.testing.NaiveKernels;
import org.nke.testing.ReferenceIntegrals;
import org.nke.testing.Tolerances;

class ExactKernelTest {
  private final Random rnd = new Random(345);

  /** Points with norms spread over two decades. */
  private double[][] points(int n, int d) {
    return points(n, d, 2);
  }

  /**
   * Points with norms spread over {@code decades} decades around 1. Numerical (Hermite-series) duals
   * of Tanh-like activations meet 1e−10 for pre-activation variances up to about 5 (beyond, the
   * series needs degrees above the maximum and reports its bound), so their tests use half a decade.
   */
  private double[][] points(int n, int d, double decades) {
    double[][] x = new double[n][d];
    for (int i = 0; i < n; i++) {
      double scale = Math.pow(10, decades * (-0.5 + (double) i / Math.max(1, n - 1)));
      for (int j = 0; j < d; j++) {
        x[i][j] = scale * rnd.nextGaussian();
      }
    }
    return x;
  }

  static Stream<String> architectures() {
    return Stream.of(
        "Dense(W_std=1.5, b_std=0.1), Relu(), Dense(W_std=1.5)",
        "Dense(W_std=1.5, b_std=0.1), Gelu(), Dense(W_std=1.5), Tanh(), Dense()",
        "Dense(W_std=1.2, b_std=0.3), Erf(), Dense(W_std=0.9, b_std=0.2), LeakyRelu(0.2), Dense()",
        "Dense(), Sin(a=1.3, b=0.8, c=0.2), Dense(b_std=0.5), Rbf(gamma=0.3), Dense()",
        "Dense(64, W_std=1.1, b_std=0.2, parameterization='standard'), Relu(), "
            + "Dense(32, W_std=1.3, parameterization='standard'), Abs(), Dense(1, b_std=0.1, "
            + "parameterization='standard')",
        "Dense(b_std=0.1), RectifiedMonomial(2), Dense(), Polynomial(coef=[0.1, 1, 0.2]), Dense(), "
            + "Sign(), Dense(), Identity()");
  }

  @ParameterizedTest
  @MethodSource("architectures")
  void matchesANaivePerPairRecursion(String source) {
    Architecture arch = Architecture.parse(source);
    double decades = source.contains("Tanh") ? 0.5 : 2;
    double[][] x = points(13, 7, decades);
    double[][] y = points(9, 7, decades);
    KernelPair k = Kernels.of(arch).withBackend("cpu").compute(x, y, Kind.BOTH);
    double[][] nngp = new double[x.length][y.length];
    double[][] ntk = new double[x.length][y.length];
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < y.length; j++) {
        double[] ref = NaiveKernels.kernels(arch, x[i], y[j]);
        nngp[i][j] = ref[0];
        ntk[i][j] = ref[1];
      }
    }
    KernelAsserts.assertCloseMatrices(nngp, k.nngp().toArray(), 1e-12, 0);
    KernelAsserts.assertCloseMatrices(ntk, k.ntk().toArray(), 1e-12, 0);
  }

  @Test
  void doneWhenNetworkMatchesFullyIndependentIntegralsToNineDigits() {
    Architecture arch = Architecture.parse(
        "Dense(W_std=1.5, b_std=0.1), Gelu(), Dense(W_std=1.5), Tanh(), Dense()");
    double[][] x = points(40, 50, 0.5);
    KernelPair k = Kernels.of(arch).withBackend("cpu").compute(x, null, Kind.BOTH);
    ReferenceIntegrals ref = new ReferenceIntegrals(24);
    for (int t = 0; t < 6; t++) {
      int i = rnd.nextInt(x.length);
      int j = t == 0 ? i : rnd.nextInt(x.length);
      double[] r = NaiveKernels.integrated(arch, x[i], x[j], ref);
      double[] ri = NaiveKernels.integrated(arch, x[i], x[i], ref);
      double[] rj = NaiveKernels.integrated(arch, x[j], x[j], ref);
      KernelAsserts.assertCloseScaled(r[0], k.nngp().get(i, j), Math.sqrt(ri[0] * rj[0]),
          Tolerances.F64_REFERENCE, "NNGP(" + i + ", " + j + ")");
      KernelAsserts.assertCloseScaled(r[1], k.ntk().get(i, j), Math.sqrt(ri[1] * rj[1]),
          Tolerances.F64_REFERENCE, "NTK(" + i + ", " + j + ")");
    }
  }

  @Test
  void symmetricPathEqualsTheGeneralPathAndTransposes() {
    Kernels k = Kernels.of("Dense(W_std=1.5, b_std=0.1), Erf(), Dense(W_std=1.5), Relu(), Dense()")
        .withBackend("cpu");
    double[][] x = points(21, 5);
    double[][] copy = new double[x.length][];
    for (int i = 0; i < x.length; i++) {
      copy[i] = x[i].clone();
    }
    double[][] sym = k.ntk(x).toArray();
    double[][] general = k.ntk(x, copy).toArray();
    KernelAsserts.assertCloseMatrices(general, sym, 1e-15, 0);
    double[][] y = points(6, 5);
    double[][] xy = k.nngp(x, y).toArray();
    double[][] yx = k.nngp(y, x).toArray();
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < y.length; j++) {
        assertEquals(xy[i][j], yx[j][i], 1e-15 * Math.abs(xy[i][j]));
      }
    }
  }

  @Test
  void gramMatricesArePositiveSemidefinite() {
    double[][] x = points(60, 4);
    for (String arch : new String[] {"Dense(b_std=0.1), Relu(), Dense(), Relu(), Dense()",
        "Dense(W_std=2), Erf(), Dense(), Gelu(), Dense()"}) {
      KernelPair k = Kernels.of(arch).withBackend("cpu").compute(x, null, Kind.BOTH);
      for (KernelMatrix m : new KernelMatrix[] {k.nngp(), k.ntk()}) {
        double[][] a = m.toArray();
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(a.length, false, true);
        assertTrue(eig.decompose(new DMatrixRMaj(a)));
        double trace = 0;
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < a.length; i++) {
          trace += a[i][i];
          min = Math.min(min, eig.getEigenvalue(i).getReal());
        }
        assertTrue(min >= -1e-12 * trace, arch + ": min eigenvalue " + min);
      }
    }
  }

  @Test
  void resultsAreBitIdenticalForAnyThreadCount() {
    double[][] x = points(150, 10, 1);
    Kernels k = Kernels.of("Dense(W_std=1.5, b_std=0.1), Gelu(), Dense(W_std=1.5), Tanh(), Dense()")
        .withBackend("cpu");
    double[][] one = k.withThreads(1).ntk(x).toArray();
    double[][] four = k.withThreads(4).ntk(x).toArray();
    for (int i = 0; i < one.length; i++) {
      assertArrayEquals(one[i], four[i], "row " + i);
    }
  }

  @Test
  void float32StorageStaysCloseToFloat64() {
    double[][] x = points(40, 8);
    Kernels k = Kernels.of("Dense(W_std=1.5, b_std=0.1), Relu(), Dense(W_std=1.5), Erf(), Dense()")
        .withBackend("cpu");
    KernelPair f64 = k.compute(x, null, Kind.BOTH);
    KernelPair f32 = k.withPrecision(Precision.F32).compute(x, null, Kind.BOTH);
    assertEquals(Precision.F32, f32.ntk().precision());
    KernelAsserts.assertCloseMatrices(f64.nngp(), f32.nngp(), Tolerances.F32_STORAGE);
    KernelAsserts.assertCloseMatrices(f64.ntk(), f32.ntk(), Tolerances.F32_STORAGE);
  }

  @Test
  void kindsReturnWhatWasAskedFor() {
    double[][] x = points(5, 3);
    Kernels k = Kernels.of("Dense(), Relu(), Dense()").withBackend("cpu");
    KernelPair nngp = k.compute(x, null, Kind.NNGP);
    assertNull(nngp.ntk());
    KernelPair ntk = k.compute(x, null, Kind.NTK);
    assertNull(ntk.nngp());
    KernelAsserts.assertCloseMatrices(k.compute(x, null, Kind.BOTH).ntk(), ntk.ntk(), 0);
  }

  @Test
  void inputKernelAloneIsTheScaledGram() {
    double[][] x = points(7, 3);
    double[][] k = Kernels.of("Dense()").withBackend("cpu").nngp(x).toArray();
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < x.length; j++) {
        assertEquals(InputKernel.of(x[i], x[j]), k[i][j], 0.0);
      }
    }
    double[][] t = Kernels.of("Dense(W_std=2, b_std=1)").withBackend("cpu").ntk(x).toArray();
    assertEquals(4 * InputKernel.of(x[1], x[2]) + 1, t[1][2], 1e-15);
  }

  @Test
  void activationMustFollowAnAffineLayer() {
    ArchException e = assertThrows(ArchException.class,
        () -> Kernels.of("Relu(), Dense()").withBackend("cpu").nngp(points(3, 2)));
    assertTrue(e.getMessage().contains("must follow Dense or Conv"), e.getMessage());
    assertThrows(ArchException.class,
        () -> Kernels.of("Dense(), Relu(), Erf()").withBackend("cpu").nngp(points(3, 2)));
  }

  @Test
  void convolutionalLayersNeedImages() {
    ArchException e = assertThrows(ArchException.class,
        () -> Kernels.of("Conv(8, (3, 3)), Relu(), Flatten(), Dense()").withBackend("cpu")
            .nngp(points(3, 2)));
    assertTrue(e.getMessage().contains("image"), e.getMessage());
  }

  @Test
  void standardParameterizationNeedsWidths() {
    assertThrows(ArchException.class, () -> Kernels.of("Dense(), Relu(), "
        + "Dense(parameterization='standard')").withBackend("cpu").ntk(points(3, 2)));
  }

  @Test
  void badPointsAreRejectedWithTheirPosition() {
    double[][] x = points(4, 3);
    x[2][1] = Double.NaN;
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> Kernels.of("Dense()").withBackend("cpu").nngp(x));
    assertTrue(e.getMessage().contains("row 3, column 2"), e.getMessage());
    assertEquals(4, e.exitCode());
    double[][] ragged = {{1, 2}, {3}};
    assertThrows(InvalidInputException.class, () -> Kernels.of("Dense()").nngp(ragged));
    assertThrows(InvalidInputException.class, () -> Kernels.of("Dense()").nngp(new double[0][]));
    assertThrows(InvalidInputException.class,
        () -> Kernels.of("Dense()").nngp(points(3, 2), points(3, 4)));
  }

  @Test
  void overflowIsReportedWithTheLayer() {
    double[][] x = points(3, 2);
    for (double[] row : x) {
      row[0] = 30;
    }
    NumericalException e = assertThrows(NumericalException.class,
        () -> Kernels.of("Dense(W_std=10), Exp(), Dense(W_std=10), Exp(), Dense()").withBackend("cpu")
            .nngp(x));
    assertTrue(e.getMessage().contains("layer 2") || e.getMessage().contains("layer 4"),
        e.getMessage());
  }
}
