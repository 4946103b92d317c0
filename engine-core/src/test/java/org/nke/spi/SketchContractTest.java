package org.nke.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nke.arch.Architecture;
import org.nke.cpu.CpuBackend;
import org.nke.sketch.SketchOptions;
import org.nke.sketch.SketchPlan;
import org.nke.testing.KernelAsserts;

/**
 * The sketch part of the backend contract: {@link Backend#features} reproduces the reference's
 * features (a single-threaded {@link CpuBackend}, i.e. {@code SketchPlan.features}) for the same plan
 * — the same host draws — for NNGP and NTK plans, ReLU-family activations and others, exact and
 * sketched degree 1, automatic and fixed degrees, several depths. Subclasses open the backend (which
 * may skip the class with an assumption) and state the tolerance (relative Frobenius over the feature
 * matrix); a backend without device sketches ({@code features} returns {@code null}) is skipped.
 */
public abstract class SketchContractTest extends BackendPairTest {


  /**
   * @param what the plan compared
   * @return the relative Frobenius tolerance against the CPU reference
   */
  protected abstract double tolerance(String what);

  /**
   * @param b the backend under test
   * @param plan the plan
   * @param x the points
   * @return its features (subclasses may choose e.g. a precision)
   */
  protected double[][] features(Backend b, SketchPlan plan, double[][] x) {
    return b.features(plan, x, Progress.NONE);
  }

  /**
   * @return whether the backend under test runs product fan-ins (FanInProd) on its device, so that
   *     a branching plan with one must not be handed back to the CPU (default: either is allowed)
   */
  protected boolean runsProductsOnTheDevice() {
    return false;
  }

  /** @return reproducible points with norms over one decade */
  public static double[][] points(int n, int d, long seed) {
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

  /** @return (architecture, input dimension, m, degree, NTK) */
  public static Stream<Arguments> plans() {
    List<Arguments> out = new ArrayList<>();
    String relu = "Dense(W_std=1.4, b_std=0.1), Relu(), Dense(W_std=1.3, b_std=0.2), Relu(), Dense()";
    for (boolean ntk : new boolean[] {false, true}) {
      out.add(Arguments.of(relu, 5, 128, 0, ntk));
      out.add(Arguments.of(relu, 300, 128, 4, ntk));
      out.add(Arguments.of("Dense(W_std=1.2), LeakyRelu(0.2), Dense(W_std=0.9, b_std=0.3), Abs(), Dense()",
          7, 96, 5, ntk));
      out.add(Arguments.of("Dense(W_std=1.5, b_std=0.1), Gelu(), Dense(W_std=1.2, b_std=0.1), Erf(), Dense()",
          6, 128, 0, ntk));
    }
    out.add(Arguments.of("Dense(W_std=1.3), Tanh(), Dense(b_std=0.2)", 40, 64, 3, true));
    for (boolean ntk : new boolean[] {false, true}) {
      out.add(Arguments.of("Dense(W_std=1.5, b_std=0.1), LayerNorm(eps=0.1), Gelu(), "
          + "Dense(b_std=0.1), LayerNorm(), Relu(), Dense()", 9, 96, 0, ntk));
    }
    return out.stream();
  }

  /** @return branching networks and LayerNorm (architecture, input dimension, m, NTK) */
  public static Stream<Arguments> branchingPlans() {
    List<Arguments> out = new ArrayList<>();
    for (boolean ntk : new boolean[] {false, true}) {
      out.add(Arguments.of("Dense(W_std=1.5, b_std=0.1), FanOut(2), parallel(Identity(), "
          + "serial(Relu(), Dense(W_std=1.5))), FanInSum(), LayerNorm(), Relu(), Dense()", 6, 128,
          ntk));
      out.add(Arguments.of("Dense(b_std=0.1), FanOut(2), parallel(Dense(), serial(Gelu(), "
          + "Dense())), FanInProd(), Dense(b_std=0.1), Erf(), Dense()", 30, 96, ntk));
      out.add(Arguments.of("Dense(), FanOut(2), parallel(Dense(8), serial(Relu(), Dense(24))), "
          + "FanInConcat(), Dense(b_std=0.2)", 5, 64, ntk));
      out.add(Arguments.of("Dense(b_std=0.1), FanOut(3), parallel(Dense(8), serial(Erf(), Dense(24)), "
          + "Identity()), FanInConcat(), Dense(b_std=0.2), LayerNorm(), Relu(), Dense()", 5, 64, ntk));
    }
    return out.stream();
  }

  @ParameterizedTest
  @MethodSource("branchingPlans")
  void branchingFeaturesMatchTheReferenceAndAFallbackIsRecorded(String arch, int d, int m,
      boolean ntk) {
    double[][] x = points(17, d, 3 + d);
    SketchPlan plan = SketchPlan.build(Architecture.parse(arch), d, SketchOptions.of(m, 11, ntk));
    double[][] want = reference.features(plan, x, Progress.NONE);
    double[][] direct = features(tested, plan, x);
    if (runsProductsOnTheDevice() && arch.contains("FanInProd")) {
      assertNotNull(direct, "the product runs on the device: " + tested.fallbacks());
    }
    if (direct == null) {
      // no device path yet: the backend says so, and Sketches runs the CPU's code
      assertTrue(tested.fallbacks().stream().anyMatch(l -> l.contains("no device path")),
          tested.fallbacks().toString());
      direct = org.nke.Sketches.features(tested, plan, x, Progress.NONE);
    }
    assertEquals(want[0].length, direct[0].length, "feature count");
    KernelAsserts.assertCloseMatrices(want, direct, tolerance(arch), 0);
  }

  @ParameterizedTest
  @MethodSource("plans")
  void featuresMatchTheReference(String arch, int d, int m, int degree, boolean ntk) {
    double[][] x = points(23, d, 7 + d);
    SketchPlan plan = SketchPlan.build(Architecture.parse(arch), d, new SketchOptions(m, 11, ntk,
        degree, SketchOptions.DEFAULT_TAIL), x);
    double[][] want = reference.features(plan, x, Progress.NONE);
    double[][] got = features(tested, plan, x);
    Assumptions.assumeTrue(got != null, tested.name() + " has no device sketches");
    assertNotNull(want);
    assertEquals(want.length, got.length);
    assertEquals(want[0].length, got[0].length, "feature count");
    KernelAsserts.assertCloseMatrices(want, got, tolerance(arch), 0);
  }
}
