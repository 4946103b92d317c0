package org.nke.sketch;

import java.util.ArrayList;
import java.util.List;
import org.nke.arch.Architecture;
import org.nke.dual.DualActivation;
import org.nke.dual.ExpNormalizedDual;
import org.nke.error.ArchException;
import org.nke.exact.DenseNetwork;
import org.nke.exact.DenseNetwork.Affine;
import org.nke.exact.DenseNetwork.Nonlinear;
import org.nke.exact.DenseNetwork.Step;
import org.nke.exact.InputKernel;
import org.nke.hermite.FunctionHermiteSource;
import org.nke.hermite.HermiteSource;

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
 * }</pre>
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
  private final List<Step> steps;
  private final List<ActivationSketch> sketches;
  private final int nngpDim;
  private final int ntkDim;

  private SketchPlan(SketchOptions options, int inputDim, List<Step> steps,
      List<ActivationSketch> sketches, int nngpDim, int ntkDim) {
    this.options = options;
    this.inputDim = inputDim;
    this.steps = steps;
    this.sketches = sketches;
    this.nngpDim = nngpDim;
    this.ntkDim = ntkDim;
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
    DenseNetwork net = DenseNetwork.compile(arch, inputDim);
    List<Step> steps = net.steps();
    double[][] sampleVars = net.diagonals(inputVariances, org.nke.spi.Precision.F64)
        .preActivation().toArray(new double[0][]);
    int m = options.dim();
    boolean ntk = options.ntk();
    int dK = inputDim;
    int dT = 0;
    int layer = 0;
    int last = lastNonlinear(steps);
    double[] split = ntk && last >= 0 ? finalSplit(steps, last, inputVariances) : null;
    List<ActivationSketch> sketches = new ArrayList<>();
    for (int s = 0; s < steps.size(); s++) {
      Step step = steps.get(s);
      if (step instanceof Affine a) {
        int oldK = dK;
        dK += a.b2() > 0 ? 1 : 0;
        if (ntk) {
          dT = oldK + dT + (a.ntkConstant() > 0 ? 1 : 0);
        }
      } else if (step instanceof Nonlinear n) {
        HermiteSource source = hermiteSource(n.dual());
        int budget = m - (nextAffineHasBias(steps, s) ? 1 : 0);
        int thetaBudget = m;
        if (s == last && split != null) {
          // the readout's NTK features are [√a Φ_K, √b Φ_Θ, √c]: share 2m between the two blocks
          // in proportion to their contributions a·K(x,x) and b·Θ(x,x) (squared errors ∝ size²/width)
          int total = 2 * m - (int) split[2];
          budget = Math.max(m / 4, Math.min(total - m / 4, (int) Math.round(total * split[0])));
          thetaBudget = (total - budget) & ~1;
        }
        double[] vars = sampleVars[layer];
        int q = options.degree() > 0 ? options.degree() : BlockWidths.autoDegree(source, vars, ntk,
            options.tailTolerance());
        BlockLayout layout = BlockWidths.layout(source, vars, q, ntk, dK, budget, options.degree() > 0);
        ActivationSketch sk = new ActivationSketch(source, dK, layout, ntk ? dT : 0, thetaBudget,
            options.seed(), layer);
        sketches.add(sk);
        dK = sk.outputDim();
        dT = ntk ? sk.thetaOutputDim() : 0;
        layer++;
      }
    }
    return new SketchPlan(options, inputDim, steps, sketches, dK, ntk ? dT : 0);
  }

  private static int lastNonlinear(List<Step> steps) {
    int last = -1;
    for (int s = 0; s < steps.size(); s++) {
      if (steps.get(s) instanceof Nonlinear) {
        last = s;
      }
    }
    for (int s = last + 1; s < steps.size(); s++) {
      if (steps.get(s) instanceof Affine) {
        return last;
      }
    }
    return -1;
  }

  /**
   * For an NTK plan whose last activation feeds a Dense readout: the fraction of the final features
   * to give the NNGP block, {@code a K(x,x) / (a K(x,x) + b Θ(x,x))} averaged over the sample (exact
   * diagonal recursions of both kernels), and whether the readout adds a constant feature.
   */
  private static double[] finalSplit(List<Step> steps, int last, double[] inputVariances) {
    double fraction = 0;
    Affine readout = null;
    for (int s = last + 1; s < steps.size() && readout == null; s++) {
      if (steps.get(s) instanceof Affine a) {
        readout = a;
      }
    }
    int count = Math.min(inputVariances.length, 64);
    for (int i = 0; i < count; i++) {
      double k = inputVariances[i];
      double t = 0;
      for (int s = 0; s <= last; s++) {
        if (steps.get(s) instanceof Affine a) {
          t = a.ntkFromNngp() * k + a.ntkFromNtk() * t + a.ntkConstant();
          k = a.w2() * k + a.b2();
        } else if (steps.get(s) instanceof Nonlinear n) {
          t *= n.dual().derivative(k, k, k);
          k = n.dual().diagonal(k);
        }
      }
      double partK = readout.ntkFromNngp() * k;
      double partT = readout.ntkFromNtk() * t;
      fraction += partK + partT > 0 ? partK / (partK + partT) / count : 0.5 / count;
    }
    return new double[] {fraction, 0, readout.ntkConstant() > 0 ? 1 : 0};
  }

  private static boolean nextAffineHasBias(List<Step> steps, int from) {
    for (int s = from + 1; s < steps.size(); s++) {
      if (steps.get(s) instanceof Affine a) {
        return a.b2() > 0;
      }
      return false;
    }
    return false;
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
    return options.ntk() ? ntkDim : nngpDim;
  }

  /** @return the compiled layers (Dense and activation steps), input first */
  public List<Step> steps() {
    return steps;
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
    int d = x.length;
    double[] phiK = new double[d];
    double inv = 1 / Math.sqrt(d);
    for (int j = 0; j < d; j++) {
      phiK[j] = x[j] * inv;
    }
    double[] phiT = options.ntk() ? new double[0] : null;
    double var = InputKernel.of(x, x);
    int layer = 0;
    for (Step step : steps) {
      if (step instanceof Affine a) {
        double w = Math.sqrt(a.w2());
        double b = Math.sqrt(a.b2());
        double[] next = new double[phiK.length + (a.b2() > 0 ? 1 : 0)];
        for (int j = 0; j < phiK.length; j++) {
          next[j] = w * phiK[j];
        }
        if (a.b2() > 0) {
          next[phiK.length] = b;
        }
        if (phiT != null) {
          phiT = thetaAffine(phiK, phiT, a);
        }
        phiK = next;
        var = a.w2() * var + a.b2();
      } else if (step instanceof Nonlinear n) {
        double[][] out = sketches.get(layer).apply(phiK, phiT, var);
        phiK = out[0];
        phiT = out[1];
        var = n.dual().diagonal(var);
        layer++;
      }
    }
    return options.ntk() ? phiT : phiK;
  }

  /** {@code Φ_Θ ← [√a Φ_K, √b Φ_Θ, √c]} with the old {@code Φ_K}. */
  private static double[] thetaAffine(double[] phiK, double[] phiT, Affine a) {
    double[] t = new double[phiK.length + phiT.length + (a.ntkConstant() > 0 ? 1 : 0)];
    double sa = Math.sqrt(a.ntkFromNngp());
    double sb = Math.sqrt(a.ntkFromNtk());
    for (int j = 0; j < phiK.length; j++) {
      t[j] = sa * phiK[j];
    }
    for (int j = 0; j < phiT.length; j++) {
      t[phiK.length + j] = sb * phiT[j];
    }
    if (a.ntkConstant() > 0) {
      t[t.length - 1] = Math.sqrt(a.ntkConstant());
    }
    return t;
  }
}
