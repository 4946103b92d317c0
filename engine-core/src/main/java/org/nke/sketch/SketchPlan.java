package org.nke.sketch;

import java.util.List;
import org.nke.arch.Architecture;
import org.nke.dual.DualActivation;
import org.nke.dual.ExpNormalizedDual;
import org.nke.error.ArchException;
import org.nke.exact.DenseNetwork;
import org.nke.exact.FeatureProgram;
import org.nke.hermite.FunctionHermiteSource;
import org.nke.hermite.HermiteSource;
import org.nke.ir.FeatureMap;
import org.nke.ir.FeatureWalk;
import org.nke.ir.InputKernel;
import org.nke.ir.PointFeatures;

/**
 * A dense NNGP/NTK sketch compiled for one architecture, input dimension, budget and seed: every
 * random draw is made here, on the host, once, so features of any point — on any thread, backend or
 * executor — depend only on the plan and the point. Feature recursion per point (stax conventions):
 *
 * <pre>{@code
 * input:       Φ_K = x/√d,  Φ_Θ = ∅,  k = x·x/d
 * Dense:       Φ_K ← [σ_w Φ_K, σ_b],  Φ_Θ ← [√a Φ_K, √b Φ_Θ, √c],  k ← σ_w² k + σ_b²
 *              (Θ' = a K + b Θ + c: a = b = σ_w², c = σ_b² for the NTK parameterization)
 * Activation:  ActivationSketch (Hermite series at the exact scale √k, PolySketch, TensorSRHT),
 *              k ← E[φ(u)²]
 * LayerNorm:   Φ_K ← Φ_K/√(k + eps),  Φ_Θ ← Φ_Θ/√(k + eps)
 * FanOut:      each branch starts from the same features
 * FanInSum:    Φ ← [Φ_1, Φ_2, …] (K = ΣK_i; the same for Θ), re-sketched where over the budget
 * FanInConcat: Φ ← [√w_1 Φ_1, √w_2 Φ_2, …] with the exact rule's weights
 * FanInProd:   Φ_K ← TS(Φ_K,1 ⊗ Φ_K,2),  Φ_Θ ← [TS(Φ_Θ,1 ⊗ Φ_K,2), TS(Φ_K,1 ⊗ Φ_Θ,2)]
 * }</pre>
 *
 * Each rule is its layer's sketch rule ({@code LayerKernel.sketch}) over this plan's primitives
 * ({@link PlanSketcher}, {@link FeatureOps}), compiled from the same program as the exact kernel
 * ({@link DenseNetwork#sketch}), the widths by the policy of {@link FeatureProgram}.
 *
 * Budgets: each activation returns {@code m} NNGP features less the bias feature the next Dense adds,
 * and {@code m} NTK features, so the NNGP sketch ends with at most {@code m} features and the NTK
 * sketch with at most {@code 2m}. Block widths, automatic degrees and the NTK readout's budget split
 * come from the exact per-layer variances of a set of input variances {@code x·x/d}: by default the
 * data-free {@link #REFERENCE_INPUT_VARIANCES} ({@link #build(Architecture, int, SketchOptions)}), so
 * that a point's features do not depend on what else was sketched with it (features of a training
 * and a test file made in two runs compose); or those of a sample of the data
 * ({@link #build(Architecture, int, SketchOptions, double[][])}), which must then be kept (a plan
 * file, a model) to sketch further data the same way. The scale of each point enters its features
 * exactly in either case (Hermite series at the point's own variance); the reference only sizes the
 * blocks.
 */
public final class SketchPlan {
  private final SketchOptions options;
  private final int inputDim;
  private final FeatureProgram program;
  private final List<ActivationSketch> sketches;

  private SketchPlan(SketchOptions options, int inputDim, FeatureProgram program,
      List<ActivationSketch> sketches) {
    this.options = options;
    this.inputDim = inputDim;
    this.program = program;
    this.sketches = sketches;
  }

  /**
   * The data-free reference of input variances {@code x·x/d}: nine values spaced log-uniformly over
   * {@code [0.01, 100]}, two decades either side of the variance of standardised data. Measured
   * against widths fitted to the data's first 256 points (docs/design-notes.md, "Data-free sketch
   * plans"): equal within the seed-to-seed spread on points whose norms spread over one decade, and
   * at most 10 % worse over four decades.
   */
  private static final double[] REFERENCE_INPUT_VARIANCES = logGrid(0.01, 100, 9);

  /** @return a copy of {@link #REFERENCE_INPUT_VARIANCES} */
  public static double[] referenceInputVariances() {
    return REFERENCE_INPUT_VARIANCES.clone();
  }

  /** {@code n} values spaced log-uniformly over {@code [lo, hi]}. */
  static double[] logGrid(double lo, double hi, int n) {
    double[] g = new double[n];
    for (int i = 0; i < n; i++) {
      g[i] = Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * i / (n - 1));
    }
    return g;
  }

  /**
   * @param dual an activation's dual
   * @return its Hermite coefficients
   * @throws ArchException when it has neither a pointwise function nor a known series
   */
  public static HermiteSource hermiteSource(DualActivation dual) {
    if (dual instanceof ExpNormalizedDual e) {
      return new org.nke.hermite.SeriesHermiteSource(e.gamma(), e.shift());
    }
    return new FunctionHermiteSource(dual.function().orElseThrow(() -> new ArchException(
        dual.describe() + " has no pointwise function, so it cannot be sketched")));
  }

  /**
   * Compiles the data-free plan: block widths and degrees for {@link #REFERENCE_INPUT_VARIANCES}.
   * The features of a point depend only on the architecture, {@code d}, the options and the point.
   *
   * @param arch a fully connected architecture
   * @param inputDim the input dimension {@code d}
   * @param options budget, seed, kind, degree
   * @return the plan
   */
  public static SketchPlan build(Architecture arch, int inputDim, SketchOptions options) {
    return build(arch, inputDim, options, REFERENCE_INPUT_VARIANCES);
  }

  /**
   * Compiles a plan adapted to a sample of the data (its input variances); keep the sample, or the
   * plan file written from it, to sketch further data with the same plan.
   *
   * @param arch a fully connected architecture
   * @param inputDim the input dimension {@code d}
   * @param options budget, seed, kind, degree
   * @param sample a few representative points (e.g. the first rows of the data), not modified
   * @return the plan
   */
  public static SketchPlan build(Architecture arch, int inputDim, SketchOptions options,
      double[][] sample) {
    return build(arch, inputDim, options, InputKernel.variances(sample));
  }

  /**
   * Compiles a plan whose block widths, automatic degrees and NTK budget split are chosen for points
   * with the given input variances {@code x·x/d}: the plan depends on the data only through them.
   *
   * @param arch a fully connected architecture
   * @param inputDim the input dimension {@code d}
   * @param options budget, seed, kind, degree
   * @param inputVariances representative input variances (non-empty), not modified
   * @return the plan
   */
  public static SketchPlan build(Architecture arch, int inputDim, SketchOptions options,
      double[] inputVariances) {
    // the features of a first block of points take rows x (NTK: 2) m doubles, and each layer's
    // sketch as many again: refuse a budget that cannot fit before building anything
    double width = (options.ntk() ? 2.0 : 1.0) * options.dim();
    int rows = 256;
    options.checkFits("sketch features of " + rows + " points (twice)", 2 * width * rows);
    PlanSketcher sketcher = new PlanSketcher(options);
    FeatureProgram program = DenseNetwork.compile(arch, inputDim).sketch(sketcher, inputVariances);
    return new SketchPlan(options, inputDim, program, sketcher.layers());
  }

  /** @return the options */
  public SketchOptions options() {
    return options;
  }

  /** @return the input dimension */
  public int inputDim() {
    return inputDim;
  }

  /** @return the number of features of the requested kind */
  public int outputDim() {
    return options.ntk() ? program.ntkDim() : program.nngpDim();
  }

  /**
   * @return the compiled layer maps in program order ({@link FeatureOps}: what a device mirrors; the
   *     fan-ins are not listed, see {@link #branches()})
   */
  public List<FeatureMap> steps() {
    return program.layers();
  }

  /**
   * Runs the compiled program on a state of the walk's kind (a device's batches of feature rows):
   * the same maps, merges and variance rules, in the same order, as {@link #features}.
   *
   * @param <S> the state
   * @param start the input's state
   * @param walk what each map, merge and join does to it
   * @return the state at the output
   */
  public <S> S walk(S start, FeatureWalk<S> walk) {
    return program.walk(start, walk);
  }

  /** @return whether the network branches */
  public boolean branches() {
    return program.branches();
  }

  /** @return the layers' sketches, input first */
  public List<ActivationSketch> layers() {
    return List.copyOf(sketches);
  }

  /**
   * The features of one point.
   *
   * @param x the point, not modified
   * @return NNGP features, or NTK features when the plan is for the NTK
   */
  public double[] features(double[] x) {
    PointFeatures f = program.features(x);
    return options.ntk() ? f.ntk() : f.nngp();
  }
}
