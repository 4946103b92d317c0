package org.nke.exact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nke.arch.Architecture;
import org.nke.cpu.CpuBackend;
import org.nke.error.ArchException;
import org.nke.ir.InputKernel;
import org.nke.sketch.CntkSketch;
import org.nke.sketch.HomogeneousSeries;
import org.nke.sketch.SketchOptions;
import org.nke.sketch.SketchPlan;
import org.nke.spi.BackendOptions;
import org.nke.spi.Precision;
import org.nke.spi.Progress;

/**
 * Branching networks and LayerNorm on the exact dense path against closed forms derived by hand from
 * stax's rules ({@code K⁰ = x·y/d}): residual blocks of linear layers, products and concatenations of
 * Dense branches, identity branches and LayerNorm; the diagonal recursion against the block's
 * diagonal; and the named errors for what is not supported.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExactBranchingTest {
  private final CpuBackend backend = new CpuBackend(new BackendOptions(2, 0));
  private final double[][] x = points(6, 4, 3);
  private final double[][] y = points(5, 4, 4);

  @AfterAll
  void close() {
    backend.close();
  }

  private static double[][] points(int n, int d, long seed) {
    Random r = new Random(seed);
    double[][] p = new double[n][d];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < d; k++) {
        p[i][k] = (0.5 + 0.4 * i) * r.nextGaussian();
      }
    }
    return p;
  }

  private KernelPair kernels(String arch) {
    return ExactKernel.compute(Architecture.parse(arch), x, y, ExactKernel.Kind.BOTH, backend,
        Precision.F64, Progress.NONE);
  }

  /** Checks {@code K = kScale·K⁰ + kShift}, {@code Θ = tScale·K⁰ + tShift} entry by entry. */
  private void assertLinear(KernelPair k, double kScale, double tScale) {
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < y.length; j++) {
        double k0 = InputKernel.of(x[i], y[j]);
        assertEquals(kScale * k0, k.nngp().get(i, j), 1e-14 * Math.abs(kScale) + 1e-15);
        assertEquals(tScale * k0, k.ntk().get(i, j), 1e-14 * Math.abs(tScale) + 1e-15);
      }
    }
  }

  @Test
  void residualBlockOfLinearLayers() {
    // Dense(a): K₁ = Θ₁ = a²K⁰; identity branch (K₁, Θ₁); Dense(w) branch (w²K₁, w²K₁ + w²Θ₁);
    // sum: K = (1 + w²) a² K⁰, Θ = (1 + 2w²) a² K⁰
    double a = 1.3;
    double w = 0.7;
    assertLinear(kernels("Dense(W_std=1.3), FanOut(2), parallel(Identity(), Dense(W_std=0.7)), "
        + "FanInSum()"), (1 + w * w) * a * a, (1 + 2 * w * w) * a * a);
  }

  @Test
  void identityBranchesAddUp() {
    // FanOut(3) straight into FanInSum: three identity branches
    assertLinear(kernels("Dense(W_std=1.1), FanOut(3), FanInSum()"), 3 * 1.21, 3 * 1.21);
  }

  @Test
  void productOfTwoDenseBranches() {
    // branches (u²K₁, 2u²K₁) and (v²K₁, 2v²K₁) with K₁ = K⁰: K = u²v²K⁰², Θ = 4u²v²K⁰²
    double u = 1.2;
    double v = 0.8;
    KernelPair k = kernels("Dense(), FanOut(2), parallel(Dense(W_std=1.2), Dense(W_std=0.8)), "
        + "FanInProd()");
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < y.length; j++) {
        double k0 = InputKernel.of(x[i], y[j]);
        double kk = u * u * v * v * k0 * k0;
        assertEquals(kk, k.nngp().get(i, j), 1e-14 * kk);
        assertEquals(4 * kk, k.ntk().get(i, j), 4e-14 * kk);
      }
    }
  }

  @Test
  void concatWeighsBranchesByWidth() {
    // widths 8 and 24: weights 1/4 and 3/4; branch NTKs 2u²K⁰ and 2v²K⁰; the final Dense() adds K
    double u = 1.5;
    double v = 0.5;
    double kc = 0.25 * u * u + 0.75 * v * v;
    double tc = 0.25 * 2 * u * u + 0.75 * 2 * v * v;
    assertLinear(kernels("Dense(8), FanOut(2), parallel(Dense(8, W_std=1.5), Dense(24, W_std=0.5)), "
        + "FanInConcat(), Dense()"), kc, kc + tc);
    // no widths given: equal weights
    double ke = 0.5 * u * u + 0.5 * v * v;
    double te = u * u + v * v;
    assertLinear(kernels("Dense(), FanOut(2), parallel(Dense(W_std=1.5), Dense(W_std=0.5)), "
        + "FanInConcat(), Dense()"), ke, ke + te);
  }

  @Test
  void layerNormDividesByTheVariances() {
    KernelPair k = kernels("Dense(W_std=1.4, b_std=0.3), LayerNorm(eps=0.05)");
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < y.length; j++) {
        double kxy = 1.96 * InputKernel.of(x[i], y[j]) + 0.09;
        double sx = 1.96 * InputKernel.of(x[i], x[i]) + 0.09 + 0.05;
        double sy = 1.96 * InputKernel.of(y[j], y[j]) + 0.09 + 0.05;
        double txy = kxy; // Θ after the first Dense is its K
        assertEquals(kxy / Math.sqrt(sx * sy), k.nngp().get(i, j), 1e-15);
        assertEquals(txy / Math.sqrt(sx * sy), k.ntk().get(i, j), 1e-15);
      }
    }
  }

  /** The diagonal recursion reproduces the symmetric block's diagonal bit for bit (ρ = 1 exactly). */
  @ParameterizedTest
  @EnumSource(Precision.class)
  void diagonalRecursionMatchesTheBlockDiagonal(Precision p) {
    Architecture arch = Architecture.parse("Dense(W_std=1.5, b_std=0.1), FanOut(3), parallel("
        + "Identity(), serial(Relu(), Dense(W_std=1.5)), serial(Erf(), Dense(b_std=0.2))), "
        + "FanInSum(), LayerNorm(eps=0.01), FanOut(2), parallel(Dense(7), Dense(3, W_std=2.0)), "
        + "FanInConcat(), Dense(), FanOut(2), parallel(Dense(W_std=0.5), Identity()), FanInProd()");
    KernelPair k = ExactKernel.compute(arch, x, null, ExactKernel.Kind.NNGP, backend, p,
        Progress.NONE);
    double[] diag = DenseNetwork.compile(arch, x[0].length).diagonals(InputKernel.variances(x), p)
        .output();
    double[] fromBlock = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      fromBlock[i] = k.nngp().get(i, i);
    }
    assertArrayEquals(diag, fromBlock, 0.0);
  }

  @Test
  void unsupportedCombinationsAreNamedErrorsAtCompileTime() {
    assertMessage("activation Relu() at layer 7 must follow Dense or Conv (or a FanInSum of them, a LayerNorm",
        "Dense(), FanOut(2), parallel(Dense(), Dense()), FanInProd(), Relu()");
    assertMessage("activation Erf(a=1.0, b=1.0, c=0.0) at layer 7 must follow Dense", "Dense(), FanOut(2), "
        + "parallel(Dense(), Dense()), FanInConcat(), Erf()");
    assertMessage("layer 6 (FanInSum()) needs mean-zero Gaussian branches (stax's rule), but "
        + "branch 2 ends with", "Dense(), FanOut(2), parallel(Identity(), Relu()), FanInSum()");
    assertMessage("layer 3 (LayerNorm()) must follow Dense", "Dense(), Relu(), LayerNorm()");
    assertMessage("layer 2 (LayerNorm(axis=(1, 2, 3))) normalises over axes [1, 2, 3], which points",
        "Dense(), LayerNorm(axis=(1, 2, 3))");
    assertMessage("layer 6 (FanInConcat(axis=0)) concatenates along axis 0",
        "Dense(), FanOut(2), parallel(Dense(), Dense()), FanInConcat(axis=0)");
  }

  private void assertMessage(String prefix, String arch) {
    ArchException e = assertThrows(ArchException.class,
        () -> DenseNetwork.compile(Architecture.parse(arch), 4));
    assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
  }

  @Test
  void theSubspaceEmbeddingRefusesBranchingAndLayerNormWhichBothSketchesRun() {
    // the dense sketch supports them since stage 2a (org.nke.sketch.BranchingSketchTest)
    Architecture residual = Architecture.parse("Dense(), FanOut(2), parallel(Identity(), Dense()), "
        + "FanInSum(), Relu(), Dense()");
    Architecture norm = Architecture.parse("Dense(), LayerNorm(), Relu(), Dense()");
    SketchOptions o = SketchOptions.of(64, 1, true);
    for (Architecture a : new Architecture[] {residual, norm}) {
      assertTrue(SketchPlan.build(a, 4, o, x).outputDim() <= 2 * 64);
      assertThrows(ArchException.class, () -> HomogeneousSeries.of(a, 4, 6));
    }
    // the exact CNTK and the CNTK sketch run branching networks (ResidualCntkTest,
    // org.nke.sketch.BranchingCntkSketchTest)
    CntkSketch cntk = CntkSketch.build(Architecture.parse("Conv(8, (3, 3), padding='SAME'), "
        + "FanOut(2), parallel(Identity(), Conv(8, (3, 3), padding='SAME')), FanInSum(), LayerNorm(), "
        + "Flatten(), Dense()"), 6, 6, 3, o);
    assertTrue(cntk.outputDim() <= 2 * 64);
  }
}
