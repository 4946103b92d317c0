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
 * sketch with at most {@code 2m}. Block widths and automatic degrees come from the exact per-layer
 * variances of a sample of the data (deterministic for a given sample).
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
   * Compiles a plan.
   *
   * @param arch a fully connected architecture
   * @param inputDim the input dimension {@code d}
   * @param options budget, seed, kind, degree
   * @param sample a few representative points (e.g. the first rows of the data), not modified
   * @return the plan
   */
  public static SketchPlan build(Architecture arch, int inputDim, SketchOptions options,
      double[][] sample) {
    // the features of the sample alone take rows x (NTK: 2) m doubles, and each layer's sketch as
    // many again: refuse a budget that cannot fit before building anything
    double width = (options.ntk() ? 2.0 : 1.0) * options.dim();
    int rows = Math.max(1, sample.length);
    options.checkFits("sketch features of " + rows + " sample points (twice)", 2 * width * rows);
    DenseNetwork net = DenseNetwork.compile(arch, inputDim);
    List<Step> steps = net.steps();
    double[][] sampleVars = net.diagonals(InputKernel.variances(sample), org.nke.spi.Precision.F64)
        .preActivation().toArray(new double[0][]);
    int m = options.dim();
    boolean ntk = options.ntk();
    int dK = inputDim;
    int dT = 0;
    int layer = 0;
    int last = lastNonlinear(steps);
    double[] split = ntk && last >= 0 ? finalSplit(steps, last, sample, inputDim) : null;
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
        int q = options.degree() > 0 ? options.degree() : autoDegree(source, vars, ntk,
            options.tailTolerance());
        BlockLayout layout = layout(source, vars, q, ntk, dK, budget, options.degree() > 0);
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
  private static double[] finalSplit(List<Step> steps, int last, double[][] sample, int d) {
    double fraction = 0;
    Affine readout = null;
    for (int s = last + 1; s < steps.size() && readout == null; s++) {
      if (steps.get(s) instanceof Affine a) {
        readout = a;
      }
    }
    int count = Math.min(sample.length, 64);
    for (int i = 0; i < count; i++) {
      double k = InputKernel.of(sample[i], sample[i]);
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

  /** Allocates the blocks, lowering an automatic degree until the budget suffices. */
  static BlockLayout layout(HermiteSource source, double[] vars, int q, boolean ntk, int dK,
      int budget, boolean fixed) {
    return layout(source, vars, q, ntk, dK, budget, fixed, false);
  }

  /** As above; {@code peak}: widths by {@link #peakMasses} instead of the mean masses. */
  static BlockLayout layout(HermiteSource source, double[] vars, int q, boolean ntk, int dK,
      int budget, boolean fixed, boolean peak) {
    for (int deg = q; ; deg--) {
      try {
        return BlockLayout.allocate(peak ? peakMasses(source, vars, deg, ntk)
            : masses(source, vars, deg, ntk), dK, budget);
      } catch (IllegalArgumentException e) {
        if (fixed || deg <= 1) {
          throw new IllegalArgumentException("sketch dimension " + budget + " is too small for "
              + "Hermite degree " + q + "; use a larger --dim or a lower --degree", e);
        }
      }
    }
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

  /** Mean relative coefficient mass per degree over the sample (NNGP and derivative series). */
  static double[] masses(HermiteSource source, double[] vars, int q, boolean ntk) {
    double[] mass = new double[q + 1];
    int count = Math.min(vars.length, 64);
    for (int i = 0; i < count; i++) {
      double a = Math.sqrt(Math.max(vars[i * vars.length / count], 0));
      addNormalised(mass, source.coefficients(a, q, false, true));
      if (ntk) {
        addNormalised(mass, source.coefficients(a, q, true, true));
      }
    }
    return mass;
  }

  /**
   * Per degree, the largest relative coefficient mass over the sample (NNGP and derivative series):
   * a degree that carries much of some point's kernel (the folded tail of a large-scale point) gets
   * a width that keeps that point's error small, not one sized for the typical point.
   */
  static double[] peakMasses(HermiteSource source, double[] vars, int q, boolean ntk) {
    double[] peak = new double[q + 1];
    int count = Math.min(vars.length, 64);
    for (int i = 0; i < count; i++) {
      double a = Math.sqrt(Math.max(vars[i * vars.length / count], 0));
      for (boolean deriv : ntk ? new boolean[] {false, true} : new boolean[] {false}) {
        double[] one = new double[q + 1];
        addNormalised(one, source.coefficients(a, q, deriv, true));
        for (int k = 0; k <= q; k++) {
          peak[k] = Math.max(peak[k], one[k]);
        }
      }
    }
    return peak;
  }

  private static void addNormalised(double[] mass, double[] c) {
    double total = 0;
    for (double v : c) {
      total += v * v;
    }
    if (total > 0) {
      for (int k = 0; k < c.length; k++) {
        mass[k] += c[k] * c[k] / total;
      }
    }
  }

  /** Smallest degree whose unfolded tail mass is below the tolerance, clamped to the auto range. */
  static int autoDegree(HermiteSource source, double[] vars, boolean ntk, double tol) {
    int qMax = SketchOptions.MAX_AUTO_DEGREE;
    double[] mass = new double[qMax + 2];
    int count = Math.min(vars.length, 16);
    for (int i = 0; i < count; i++) {
      double a = Math.sqrt(Math.max(vars[i * vars.length / count], 0));
      // plain coefficients to qMax and folded ones: the folded top holds the whole tail
      for (boolean deriv : ntk ? new boolean[] {false, true} : new boolean[] {false}) {
        double[] plain = source.coefficients(a, qMax + 1, deriv, false);
        double[] folded = source.coefficients(a, qMax + 1, deriv, true);
        double total = 0;
        for (double v : folded) {
          total += v * v;
        }
        for (int k = 0; k <= qMax + 1 && total > 0; k++) {
          double v = k >= qMax ? folded[k] : plain[k];
          mass[k] += v * v / total / count;
        }
      }
    }
    double tail = 0;
    for (double v : mass) {
      tail += v;
    }
    for (int q = 0; q <= qMax; q++) {
      tail -= mass[q];
      if (q >= SketchOptions.MIN_AUTO_DEGREE && tail <= tol * (ntk ? 2 : 1)) {
        return q;
      }
    }
    return qMax;
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
