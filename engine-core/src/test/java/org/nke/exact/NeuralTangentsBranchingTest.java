package org.nke.exact;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nke.arch.Architecture;
import org.nke.cpu.CpuBackend;
import org.nke.spi.BackendOptions;
import org.nke.spi.KernelMatrix;
import org.nke.spi.Precision;
import org.nke.spi.Progress;
import org.nke.testing.ReferenceJson;

/**
 * Branching networks (residual blocks with Relu, Erf and Gelu, FanInProd, FanInConcat of three
 * widths, nested parallel) and LayerNorm against neural-tangents 0.6.6's analytic kernels: reference
 * values in {@code org/nke/reference/branching_nt.json}, written by
 * {@code tools/reference/branching_reference.py} (provenance inside the file), on random points and
 * on a pair with {@code x = y}. Every entry of the NNGP and NTK, for {@code X = X} and {@code X ≠ Y},
 * must agree within {@value #RTOL} relative, except a point paired with itself ({@link
 * #NT_SELF_PAIR}, neural-tangents' known error there, checked against the closed form instead).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NeuralTangentsBranchingTest {
  static final double RTOL = 1e-10;
  /** Tolerance on pairs of a point with itself, where neural-tangents is the less accurate side. */
  static final double NT_SELF_PAIR = 2e-8;
  private static final String RESOURCE = "/org/nke/reference/branching_nt.json";
  private final CpuBackend backend = new CpuBackend(new BackendOptions(2, 0));

  @AfterAll
  void close() {
    backend.close();
  }

  @SuppressWarnings("unchecked")
  static Stream<Arguments> cases() {
    Map<String, Object> ref = (Map<String, Object>) ReferenceJson.load(RESOURCE);
    double[][] x = ReferenceJson.matrix(ref.get("x"));
    double[][] y = ReferenceJson.matrix(ref.get("y"));
    return ((List<Object>) ref.get("cases")).stream().map(c -> {
      Map<String, Object> m = (Map<String, Object>) c;
      return Arguments.of(m.get("name"), m.get("arch"), x, y, m);
    });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matchesNeuralTangents(String name, String arch, double[][] x, double[][] y,
      Map<String, Object> want) {
    Architecture a = Architecture.parse(arch);
    KernelPair xx = ExactKernel.compute(a, x, null, ExactKernel.Kind.BOTH, backend, Precision.F64,
        Progress.NONE);
    KernelPair xy = ExactKernel.compute(a, x, y, ExactKernel.Kind.BOTH, backend, Precision.F64,
        Progress.NONE);
    boolean[][] selfXx = selfPairs(x, x);
    boolean[][] selfXy = selfPairs(x, y);
    worstSelf = 0;
    double worst = Math.max(Math.max(
        worst(ReferenceJson.matrix(want.get("nngp_xx")), xx.nngp(), selfXx),
        worst(ReferenceJson.matrix(want.get("ntk_xx")), xx.ntk(), selfXx)), Math.max(
        worst(ReferenceJson.matrix(want.get("nngp_xy")), xy.nngp(), selfXy),
        worst(ReferenceJson.matrix(want.get("ntk_xy")), xy.ntk(), selfXy)));
    assertTrue(worst <= RTOL, name + ": max relative error " + worst + " > " + RTOL);
    assertTrue(worstSelf <= NT_SELF_PAIR, name + ": max relative error on x = y " + worstSelf);
  }

  /** {@code self[i][j]}: row point {@code i} and column point {@code j} are the same point. */
  private static boolean[][] selfPairs(double[][] x, double[][] y) {
    boolean[][] s = new boolean[x.length][y.length];
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < y.length; j++) {
        s[i][j] = java.util.Arrays.equals(x[i], y[j]);
      }
    }
    return s;
  }

  /**
   * neural-tangents' own error on a point paired with itself in ReLU networks (its arc-cosine of a
   * clipped correlation): here up to 7e-9 relative on the NTK diagonal of {@code residual_relu_...}
   * and {@code nested_parallel}, where the exact recursion ({@link #residualReluDiagonalIsExact}) and
   * nke agree to 1e-12; see {@code shared/anchors/neural-tangents-local.md}.
   */
  @org.junit.jupiter.api.Test
  void residualReluDiagonalIsExact() {
    double[][] x = {{0.3, -1.2, 2.0}};
    KernelPair k = ExactKernel.compute(Architecture.parse("Dense(W_std=1.5), FanOut(2), parallel("
        + "Identity(), serial(Relu(), Dense(W_std=1.5))), FanInSum(), LayerNorm(eps=0), Relu(), "
        + "Dense()"), x, null, ExactKernel.Kind.BOTH, backend, Precision.F64, Progress.NONE);
    // at ρ = 1: Relu halves K and Θ; K₁ = Θ₁ after the first Dense; the sum gives K = 2.125 K₁,
    // Θ = 2.125 Θ₁ + 1.125 K₁ = 3.25 K₁; LayerNorm divides by 2.125 K₁; Relu halves; Dense adds K
    org.junit.jupiter.api.Assertions.assertEquals(0.5, k.nngp().get(0, 0), 1e-15);
    org.junit.jupiter.api.Assertions.assertEquals(0.5 + 3.25 / 2.125 / 2, k.ntk().get(0, 0), 1e-15);
  }

  private double worstSelf;

  private double worst(double[][] want, KernelMatrix got, boolean[][] self) {
    double w = 0;
    for (int i = 0; i < want.length; i++) {
      for (int j = 0; j < want[i].length; j++) {
        double e = Math.abs(got.get(i, j) - want[i][j]) / Math.abs(want[i][j]);
        if (self[i][j]) {
          worstSelf = Math.max(worstSelf, e);
        } else {
          w = Math.max(w, e);
        }
      }
    }
    return w;
  }
}
