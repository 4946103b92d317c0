package org.nke.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nke.arch.Architecture;
import org.nke.cpu.CpuBackend;
import org.nke.dual.DualActivation;
import org.nke.dual.DualCatalog;
import org.nke.exact.ExactKernel;
import org.nke.exact.KernelPair;
import org.nke.ir.Join;
import org.nke.ir.Normalization;
import org.nke.testing.KernelAsserts;

/**
 * The backend contract: every primitive of {@link Backend} and every activation family computes the
 * same numbers as the reference, a single-threaded {@link CpuBackend}, on random inputs, in float64
 * and float32, for symmetric (X = Y) and rectangular blocks. Subclasses open the backend under test
 * ({@link #openBackend()}, which may skip the class with an assumption) and state their tolerances
 * ({@link #tolerance}); CPU: {@code CpuBackendContractTest}, CUDA: {@code CudaBackendContractTest}.
 */
public abstract class BackendContractTest extends BackendPairTest {


  /**
   * @param precision the precision compared
   * @param what the primitive or activation compared
   * @return the relative Frobenius tolerance against the CPU reference
   */
  protected abstract double tolerance(Precision precision, String what);

  /** Points with norms over one decade, reproducible. */
  private static double[][] points(int n, int d, long seed) {
    Random r = new Random(seed);
    double[][] x = new double[n][d];
    for (int i = 0; i < n; i++) {
      double scale = Math.pow(10, -0.5 + (double) i / Math.max(1, n - 1));
      for (int k = 0; k < d; k++) {
        x[i][k] = scale * r.nextGaussian();
      }
    }
    return x;
  }

  /** Every activation family, closed forms and numerical (the last one has no GPU kernel). */
  static Stream<String> activations() {
    return Stream.of("Relu()", "LeakyRelu(alpha=0.1)", "Abs()", "ABRelu(a=-0.3, b=0.7)", "Erf()",
        "Erf(a=0.8, b=1.7, c=0.2)", "Sigmoid_like()", "Gelu()", "Sin(a=1.2, b=0.8, c=0.3)", "Cos()",
        "Rbf(gamma=0.7)", "Exp(a=0.6, b=0.2)", "ExpNormalized(gamma=1.5, shift=-1)",
        "ExpNormalized(gamma=0.8, shift=-0.5, do_clip=True)", "Gaussian(a=1.1, b=-0.5)", "Sign()",
        "Monomial(degree=3)", "Polynomial(coef=[0.1, -0.4, 0.3])", "Hermite(degree=4)",
        "RectifiedMonomial(degree=0)", "RectifiedMonomial(degree=1)", "RectifiedMonomial(degree=3)",
        "Tanh()", "Softplus()", "ElementwiseNumerical(fn=Tanh, deg=12)");
  }

  static Stream<Arguments> activationCases() {
    List<Arguments> out = new ArrayList<>();
    activations().forEach(a -> {
      for (Precision p : Precision.values()) {
        out.add(Arguments.of(a, p, true));
        out.add(Arguments.of(a, p, false));
      }
    });
    return out.stream();
  }

  private void assertSame(KernelMatrix expected, KernelMatrix actual, Precision p, String what) {
    assertEquals(expected.rows(), actual.rows(), what + ": rows");
    assertEquals(expected.cols(), actual.cols(), what + ": cols");
    assertEquals(p, actual.precision(), what + ": precision");
    KernelAsserts.assertCloseMatrices(expected.toArray(), actual.toArray(), tolerance(p, what), 0);
  }

  @ParameterizedTest(name = "{0} {1} symmetric={2}")
  @MethodSource("activationCases")
  void denseNngpAndNtkMatchTheReference(String activation, Precision p, boolean symmetric) {
    Architecture arch = Architecture.parse("Dense(W_std=1.4, b_std=0.2), " + activation
        + ", Dense(W_std=1.2, b_std=0.1), " + activation + ", Dense(W_std=0.9, b_std=0.05)");
    double[][] x = points(23, 5, 11);
    double[][] y = symmetric ? null : points(17, 5, 12);
    KernelPair want = ExactKernel.compute(arch, x, y, ExactKernel.Kind.BOTH, reference, p,
        Progress.NONE);
    KernelPair got = ExactKernel.compute(arch, x, y, ExactKernel.Kind.BOTH, tested, p, Progress.NONE);
    assertSame(want.nngp(), got.nngp(), p, activation + " NNGP");
    assertSame(want.ntk(), got.ntk(), p, activation + " NTK");
    assertEquals(want.errorBound(), got.errorBound(), 0.0, "error bound");
  }

  static Stream<Arguments> angleCases() {
    List<Arguments> out = new ArrayList<>();
    for (String a : List.of("Relu()", "Abs()", "LeakyRelu(alpha=0.2)", "ABRelu(a=-0.3, b=0.7)")) {
      out.add(Arguments.of(a, true));
      out.add(Arguments.of(a, false));
    }
    return out.stream();
  }

  /**
   * Bias-free ReLU-family networks, where a backend that {@link Backend#carriesAngles() carries
   * angles} (the CPU reference does) takes the angle form and one that does not takes the covariance
   * form: on points in general position both agree to rounding.
   */
  @ParameterizedTest(name = "{0} symmetric={1}")
  @MethodSource("angleCases")
  void biasFreeReluFamilyMatchesTheReference(String activation, boolean symmetric) {
    Architecture arch = Architecture.parse("Dense(W_std=1.4), " + activation + ", Dense(W_std=1.2), "
        + activation + ", Dense(W_std=0.9)");
    double[][] x = points(19, 5, 21);
    double[][] y = symmetric ? null : points(13, 5, 22);
    Precision p = Precision.F64;
    KernelPair want = ExactKernel.compute(arch, x, y, ExactKernel.Kind.BOTH, reference, p,
        Progress.NONE);
    KernelPair got = ExactKernel.compute(arch, x, y, ExactKernel.Kind.BOTH, tested, p, Progress.NONE);
    assertSame(want.nngp(), got.nngp(), p, activation + " NNGP");
    assertSame(want.ntk(), got.ntk(), p, activation + " NTK");
    if (tested.carriesAngles()) {
      try (KernelBlock b = tested.inputKernel(x, y, true, true, p, Progress.NONE)) {
        assertTrue(b.hasAngles(), "a float64 block asked for angles carries them");
        assertThrows(IllegalArgumentException.class,
            () -> tested.affine(b, 1, 0.1, 1, 1, 0.1, Progress.NONE), "biased affine on angles");
      }
    }
  }

  @ParameterizedTest(name = "{0} {1} symmetric={2}")
  @MethodSource("activationCases")
  void activationPrimitiveMatchesTheReference(String activation, Precision p, boolean symmetric) {
    DualActivation dual = DualCatalog.byName(activation);
    double[][] x = points(19, 4, 21);
    double[][] y = symmetric ? null : points(13, 4, 22);
    double[] vx = variances(x, p);
    double[] vy = symmetric ? vx : variances(y, p);
    KernelMatrix[] want = activate(reference, dual, x, y, vx, vy, p);
    KernelMatrix[] got = activate(tested, dual, x, y, vx, vy, p);
    assertSame(want[0], got[0], p, activation + " NNGP");
    assertSame(want[1], got[1], p, activation + " NTK");
  }

  private static double[] variances(double[][] x, Precision p) {
    double[] v = org.nke.ir.InputKernel.variances(x);
    for (int i = 0; i < v.length; i++) {
      v[i] = 1.3 * v[i] + 0.1;
      if (p == Precision.F32) {
        v[i] = (float) v[i];
      }
    }
    return v;
  }

  /** Input kernel, affine (NTK from K), one activation: the primitives a dense layer uses. */
  private static KernelMatrix[] activate(Backend b, DualActivation dual, double[][] x, double[][] y,
      double[] vx, double[] vy, Precision p) {
    try (KernelBlock block = b.inputKernel(x, y, true, p, Progress.NONE)) {
      b.affine(block, 1.3, 0.1, 1.3, 1.3, 0.1, Progress.NONE);
      b.activation(block, dual, vx, vy, Progress.NONE);
      return new KernelMatrix[] {b.read(block, false), b.read(block, true)};
    }
  }

  @ParameterizedTest
  @EnumSource(Precision.class)
  void inputKernelMatchesTheReference(Precision p) {
    double[][] x = points(29, 7, 31);
    for (double[][] y : new double[][][] {null, points(11, 7, 32)}) {
      for (Backend b : new Backend[] {reference, tested}) {
        assertTrue(b.name().length() > 0);
      }
      try (KernelBlock want = reference.inputKernel(x, y, true, p, Progress.NONE);
          KernelBlock got = tested.inputKernel(x, y, true, p, Progress.NONE)) {
        assertEquals(y == null, got.symmetric());
        assertTrue(got.hasNtk());
        assertEquals(p, got.precision());
        assertSame(reference.read(want, false), tested.read(got, false), p, "input kernel");
        assertSame(reference.read(want, true), tested.read(got, true), p, "input NTK (zero)");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Precision.class)
  void affineMatchesTheReference(Precision p) {
    double[][] x = points(21, 6, 41);
    double[][] y = points(9, 6, 42);
    for (double[][] yy : new double[][][] {null, y}) {
      KernelMatrix[][] r = new KernelMatrix[2][];
      Backend[] both = {reference, tested};
      for (int k = 0; k < 2; k++) {
        try (KernelBlock block = both[k].inputKernel(x, yy, true, p, Progress.NONE)) {
          both[k].affine(block, 2.25, 0.01, 2.25, 1.0, 0.01, Progress.NONE);
          both[k].affine(block, 0.7, 0.3, 0.5, 0.7, 0.3, Progress.NONE);
          r[k] = new KernelMatrix[] {both[k].read(block, false), both[k].read(block, true)};
        }
      }
      assertSame(r[0][0], r[1][0], p, "affine NNGP");
      assertSame(r[0][1], r[1][1], p, "affine NTK");
    }
  }

  @ParameterizedTest
  @EnumSource(Precision.class)
  void firstNonFiniteFindsTheSameEntry(Precision p) {
    double[][] x = points(12, 3, 51);
    for (double[][] y : new double[][][] {null, points(7, 3, 52)}) {
      try (KernelBlock want = reference.inputKernel(x, y, true, p, Progress.NONE);
          KernelBlock got = tested.inputKernel(x, y, true, p, Progress.NONE)) {
        assertEquals(-1, tested.firstNonFinite(got, false));
        assertEquals(-1, tested.firstNonFinite(got, true));
      }
      double[][] bad = points(12, 3, 51);
      bad[5][1] = Double.POSITIVE_INFINITY;
      try (KernelBlock want = reference.inputKernel(bad, y, true, p, Progress.NONE);
          KernelBlock got = tested.inputKernel(bad, y, true, p, Progress.NONE)) {
        long expected = reference.firstNonFinite(want, false);
        assertTrue(expected >= 0);
        assertEquals(expected, tested.firstNonFinite(got, false));
        assertEquals(-1, tested.firstNonFinite(got, true));
      }
    }
  }

  /** Two different blocks of the same points: after one layer, and after a second with a ReLU. */
  private static KernelBlock[] twoBlocks(Backend b, double[][] x, double[][] y, Precision p) {
    KernelBlock t = b.inputKernel(x, y, true, p, Progress.NONE);
    KernelBlock s = b.inputKernel(x, y, true, p, Progress.NONE);
    b.affine(t, 1.7, 0.2, 1.7, 1.7, 0.2, Progress.NONE);
    b.affine(s, 0.8, 0.05, 0.8, 0.8, 0.05, Progress.NONE);
    b.affine(s, 1.3, 0.1, 1.3, 1.3, 0.1, Progress.NONE);
    return new KernelBlock[] {t, s};
  }

  static Stream<Arguments> joinCases() {
    List<Arguments> out = new ArrayList<>();
    for (Join j : List.of(Join.sum(), Join.linear(0.3, 0.7), Join.product())) {
      for (Precision p : Precision.values()) {
        out.add(Arguments.of(j, p, true));
        out.add(Arguments.of(j, p, false));
      }
    }
    return out.stream();
  }

  /** {@link Backend#accumulate}: the reference's numbers, and the {@link Join} formula entry by entry. */
  @ParameterizedTest(name = "{0} {1} symmetric={2}")
  @MethodSource("joinCases")
  void accumulateMatchesTheReferenceAndTheJoinFormula(Join join, Precision p, boolean symmetric) {
    double[][] x = points(17, 5, 71);
    double[][] y = symmetric ? null : points(11, 5, 72);
    KernelMatrix[][] r = new KernelMatrix[2][];
    KernelMatrix[] before = null;
    Backend[] both = {reference, tested};
    for (int k = 0; k < 2; k++) {
      KernelBlock[] ts = twoBlocks(both[k], x, y, p);
      try (KernelBlock t = ts[0]; KernelBlock s = ts[1]) {
        if (k == 0) {
          KernelBlock[] copy = twoBlocks(reference, x, y, p);
          before = new KernelMatrix[] {reference.read(copy[0], false), reference.read(copy[0], true),
              reference.read(copy[1], false), reference.read(copy[1], true)};
          copy[0].close();
          copy[1].close();
        }
        both[k].accumulate(t, s, join);
        r[k] = new KernelMatrix[] {both[k].read(t, false), both[k].read(t, true)};
      }
    }
    assertSame(r[0][0], r[1][0], p, join + " NNGP");
    assertSame(r[0][1], r[1][1], p, join + " NTK");
    double[][] want = new double[x.length][r[0][0].cols()];
    double[][] wantNtk = new double[x.length][r[0][0].cols()];
    for (int i = 0; i < want.length; i++) {
      for (int j = 0; j < want[i].length; j++) {
        double kt = before[0].get(i, j);
        double ks = before[2].get(i, j);
        want[i][j] = join.nngp(kt, ks);
        wantNtk[i][j] = join.ntk(before[1].get(i, j), before[3].get(i, j), kt, ks);
      }
    }
    double tol = p == Precision.F64 ? 1e-15 : 1e-7;
    KernelAsserts.assertCloseMatrices(want, r[0][0].toArray(), tol, 0);
    KernelAsserts.assertCloseMatrices(wantNtk, r[0][1].toArray(), tol, 0);
  }

  /** {@link Backend#copy}: the same kernels, and changing the original leaves the copy alone. */
  @ParameterizedTest
  @EnumSource(Precision.class)
  void copyIsIndependentOfItsOriginal(Precision p) {
    double[][] x = points(13, 4, 81);
    for (double[][] y : new double[][][] {null, points(6, 4, 82)}) {
      try (KernelBlock want = reference.inputKernel(x, y, true, p, Progress.NONE);
          KernelBlock original = tested.inputKernel(x, y, true, p, Progress.NONE)) {
        reference.affine(want, 1.5, 0.1, 1.5, 1.5, 0.1, Progress.NONE);
        tested.affine(original, 1.5, 0.1, 1.5, 1.5, 0.1, Progress.NONE);
        try (KernelBlock copy = tested.copy(original)) {
          assertEquals(original.symmetric(), copy.symmetric());
          assertEquals(p, copy.precision());
          tested.affine(original, 3, 1, 3, 3, 1, Progress.NONE);
          assertSame(reference.read(want, false), tested.read(copy, false), p, "copy NNGP");
          assertSame(reference.read(want, true), tested.read(copy, true), p, "copy NTK");
        }
      }
    }
  }

  /** {@link Backend#normalize}: the reference's numbers, and {@code K / √(sx sy)} entry by entry. */
  @ParameterizedTest(name = "{0} symmetric={1}")
  @MethodSource("precisionsAndSymmetry")
  void normalizeMatchesTheReferenceAndTheFormula(Precision p, boolean symmetric) {
    double[][] x = points(15, 5, 91);
    double[][] y = symmetric ? null : points(8, 5, 92);
    double[] sx = variances(x, p);
    double[] sy = symmetric ? sx : variances(y, p);
    Normalization n = new Normalization(sx, sy);
    KernelMatrix[][] r = new KernelMatrix[2][];
    KernelMatrix before = null;
    Backend[] both = {reference, tested};
    for (int k = 0; k < 2; k++) {
      try (KernelBlock b = both[k].inputKernel(x, y, true, p, Progress.NONE)) {
        both[k].affine(b, 1.3, 0.1, 1.3, 1.3, 0.1, Progress.NONE);
        if (k == 0) {
          try (KernelBlock c = reference.copy(b)) {
            before = reference.read(c, false);
          }
        }
        both[k].normalize(b, n);
        r[k] = new KernelMatrix[] {both[k].read(b, false), both[k].read(b, true)};
      }
    }
    assertSame(r[0][0], r[1][0], p, "normalize NNGP");
    assertSame(r[0][1], r[1][1], p, "normalize NTK");
    double[][] want = new double[x.length][before.cols()];
    for (int i = 0; i < want.length; i++) {
      for (int j = 0; j < want[i].length; j++) {
        want[i][j] = before.get(i, j) / Math.sqrt(sx[i] * sy[j]);
      }
    }
    KernelAsserts.assertCloseMatrices(want, r[0][0].toArray(), p == Precision.F64 ? 1e-15 : 1e-7, 0);
  }

  static Stream<Arguments> precisionsAndSymmetry() {
    List<Arguments> out = new ArrayList<>();
    for (Precision p : Precision.values()) {
      out.add(Arguments.of(p, true));
      out.add(Arguments.of(p, false));
    }
    return out.stream();
  }

  static Stream<Arguments> branchingCases() {
    List<Arguments> out = new ArrayList<>();
    for (String arch : List.of(
        "Dense(W_std=1.5), FanOut(2), parallel(Identity(), serial(Relu(), Dense(W_std=1.5))), "
            + "FanInSum(), LayerNorm(), Relu(), Dense()",
        "Dense(W_std=1.2, b_std=0.1), FanOut(3), parallel(Dense(W_std=0.9), serial(Erf(), "
            + "Dense(2.0)), Identity()), FanInProd(), Dense(), Gelu(), Dense()",
        "Dense(64), FanOut(2), parallel(serial(Relu(), Dense(32)), serial(FanOut(2), "
            + "parallel(Identity(), serial(Relu(), Dense(64))), FanInSum())), FanInConcat(), Dense()")) {
      out.addAll(precisionsAndSymmetry().map(a -> Arguments.of(arch, a.get()[0], a.get()[1]))
          .toList());
    }
    return out.stream();
  }

  /** A branching network end to end: copies, joins and LayerNorm between the dense primitives. */
  @ParameterizedTest(name = "{0} {1} symmetric={2}")
  @MethodSource("branchingCases")
  void branchingNetworkMatchesTheReference(String source, Precision p, boolean symmetric) {
    Architecture arch = Architecture.parse(source);
    double[][] x = points(19, 5, 101);
    double[][] y = symmetric ? null : points(12, 5, 102);
    KernelPair want = ExactKernel.compute(arch, x, y, ExactKernel.Kind.BOTH, reference, p,
        Progress.NONE);
    KernelPair got = ExactKernel.compute(arch, x, y, ExactKernel.Kind.BOTH, tested, p, Progress.NONE);
    assertSame(want.nngp(), got.nngp(), p, source + " NNGP");
    assertSame(want.ntk(), got.ntk(), p, source + " NTK");
  }

  @Test
  void aClosedBlockCannotBeUsed() {
    KernelBlock block = tested.inputKernel(points(4, 2, 61), null, false, Precision.F64, Progress.NONE);
    block.close();
    block.close();
    assertThrows(IllegalStateException.class, () -> tested.read(block, false));
  }

  @Test
  void describesItself() {
    assertTrue(!tested.name().isBlank() && !tested.device().isBlank());
    assertTrue(tested.defaultPrecision() != null);
  }
}
