package org.nke.exact;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import org.nke.exact.DenseNetwork.Affine;
import org.nke.ir.FeatureMap;
import org.nke.ir.FeatureMerge;
import org.nke.ir.FeatureWalk;
import org.nke.ir.InputKernel;
import org.nke.ir.Join;
import org.nke.ir.PointFeatures;

/**
 * A dense network's sketch: its compiled program ({@link DenseNetwork}) with every layer's and
 * fan-in's sketch rule compiled once by a {@link Sketcher} (all random draws made here), then run per
 * point by the same walk as the exact kernel ({@link ProgramFold}). Each point carries
 * {@link PointFeatures}: a fan-out's branches start from the same features, a layer applies its map and
 * its diagonal rule, a fan-in merges branch after branch (its {@code Join}'s scalar rule for the
 * variance).
 *
 * <p>Widths (the budget policy, in one place): an activation produces {@code m} NNGP features, less
 * the bias feature of a Dense right after it, and {@code m} NTK features; the last projecting layer
 * before a Dense readout (an activation or a product, with no branch after it) splits {@code 2m}
 * between {@code Φ_K} and {@code Φ_Θ} in proportion to {@code a K(x,x)} and {@code b Θ(x,x)} of the
 * reference inputs, so the NTK output has at most {@code 2m} features. A fan-in's concatenation is
 * re-sketched to the budget only where it must be: when it is over the budget and no activation
 * consumes it before the next branch point or the output (an activation's own sketch projects its
 * input, so a re-sketch there would add a second projection's error), or when it is over four times
 * the budget (the per-point working set).
 */
public final class FeatureProgram {
  private final List<Instruction> program;
  private final Object[] rules;
  private final boolean ntk;
  private final int nngpDim;
  private final int ntkDim;

  private FeatureProgram(List<Instruction> program, Object[] rules, boolean ntk, FeatureShape out) {
    this.program = program;
    this.rules = rules;
    this.ntk = ntk;
    this.nngpDim = out.nngp();
    this.ntkDim = out.ntk();
  }

  /**
   * @param program the network's instructions
   * @param sketcher the sketch's primitives
   * @param inputDim the input dimension {@code d}
   * @param referenceInputs reference input variances {@code x·x/d}, not modified
   * @return the compiled sketch
   */
  static FeatureProgram compile(List<Instruction> program, Sketcher sketcher, int inputDim,
      double[] referenceInputs) {
    Object[] rules = new Object[program.size()];
    FeatureShape start = new FeatureShape(inputDim, 0, referenceInputs.clone(),
        new double[referenceInputs.length], sketcher.budget(), sketcher.budget());
    FeatureShape out = new Compile(program, sketcher, rules).fold(program, start);
    return new FeatureProgram(program, rules, sketcher.ntk(), out);
  }

  /** @return the width of the output NNGP features */
  public int nngpDim() {
    return nngpDim;
  }

  /** @return the width of the output NTK features (0 for NNGP-only) */
  public int ntkDim() {
    return ntkDim;
  }

  /** @return whether the network branches */
  public boolean branches() {
    return program.stream().anyMatch(i -> i instanceof Instruction.Fork);
  }

  /**
   * @return the compiled layer maps in program order (for a device that mirrors a serial program;
   *     fan-ins are not listed)
   */
  public List<FeatureMap> layers() {
    List<FeatureMap> out = new ArrayList<>();
    for (int i = 0; i < rules.length; i++) {
      if (program.get(i) instanceof Instruction.Apply) {
        out.add((FeatureMap) rules[i]);
      }
    }
    return out;
  }

  /**
   * The features of one point: {@code Φ_K = x/√d}, {@code Φ_Θ = ∅}, {@code k = x·x/d} through the
   * program.
   *
   * @param x the point, not modified
   * @return its features and exact output variance
   */
  public PointFeatures features(double[] x) {
    int d = x.length;
    double[] phiK = new double[d];
    double inv = 1 / Math.sqrt(d);
    for (int j = 0; j < d; j++) {
      phiK[j] = x[j] * inv;
    }
    PointFeatures start = new PointFeatures(phiK, ntk ? new double[0] : null, InputKernel.of(x, x));
    return walk(start, new Run());
  }

  /**
   * Runs the compiled program on a state of the walk's kind: the CPU's per-point features
   * ({@link #features}) or a device's batches.
   *
   * @param <S> the state
   * @param start the input's state
   * @param walk what each map, merge and join does to it
   * @return the state at the output
   */
  public <S> S walk(S start, FeatureWalk<S> walk) {
    return new ProgramFold<S>() {
      @Override
      protected S apply(int index, LayerKernel kernel, S in) {
        return walk.layer((FeatureMap) rules[index], kernel::diagonal, in);
      }

      @Override
      protected S copy(S input) {
        return walk.branch(input);
      }

      @Override
      protected S merge(int index, FanInKernel join, int branch, S acc, S in) {
        Join rule = join.join(branch);
        return walk.merge((FeatureMerge) rules[index], rule::nngp, acc, in);
      }

      @Override
      protected S join(int index, FanInKernel join, S acc) {
        return walk.join((FeatureMap) rules[index], acc);
      }
    }.fold(program, start);
  }

  /** The per-point walk of the CPU reference. */
  private static final class Run implements FeatureWalk<PointFeatures> {
    @Override
    public PointFeatures layer(FeatureMap map, DoubleUnaryOperator diagonal, PointFeatures in) {
      return map.apply(in).withVariance(diagonal.applyAsDouble(in.variance()));
    }

    @Override
    public PointFeatures merge(FeatureMerge merge, DoubleBinaryOperator variance,
        PointFeatures acc, PointFeatures in) {
      return merge.merge(acc, in).withVariance(variance.applyAsDouble(acc.variance(),
          in.variance()));
    }

    @Override
    public PointFeatures join(FeatureMap reSketch, PointFeatures acc) {
      return reSketch == null ? acc : reSketch.apply(acc);
    }
  }

  /** The plan-time walk: compiles each rule for its shape, with the budget policy. */
  private static final class Compile extends ProgramFold<FeatureShape> {
    private final List<Instruction> program;
    private final Sketcher sketcher;
    private final Object[] rules;
    private final int m;

    Compile(List<Instruction> program, Sketcher sketcher, Object[] rules) {
      this.program = program;
      this.sketcher = sketcher;
      this.rules = rules;
      this.m = sketcher.budget();
    }

    @Override
    protected FeatureShape apply(int index, LayerKernel kernel, FeatureShape in) {
      double[] k = in.referenceNngp();
      double[] t = in.referenceNtk();
      double[] k2 = new double[k.length];
      double[] t2 = new double[k.length];
      for (int i = 0; i < k.length; i++) {
        t2[i] = kernel.diagonalNtk(k[i], t[i]);
        k2[i] = kernel.diagonal(k[i]);
      }
      int[] budget = budget(index, k2, t2);
      FeatureMap map = kernel.sketch(in.withBudget(budget[0], budget[1]), sketcher);
      rules[index] = map;
      return new FeatureShape(map.nngpDim(), map.ntkDim(), k2, t2, m, m);
    }

    @Override
    protected FeatureShape copy(FeatureShape input) {
      return input;
    }

    @Override
    protected FeatureShape merge(int index, FanInKernel join, int branch, FeatureShape acc,
        FeatureShape in) {
      double[] k = new double[acc.referenceNngp().length];
      double[] t = new double[k.length];
      for (int i = 0; i < k.length; i++) {
        double ka = acc.referenceNngp()[i];
        double kb = in.referenceNngp()[i];
        t[i] = join.join(branch).ntk(acc.referenceNtk()[i], in.referenceNtk()[i], ka, kb);
        k[i] = join.join(branch).nngp(ka, kb);
      }
      int[] budget = budget(index, k, t);
      FeatureMerge merge = join.sketch(branch, acc, in.withBudget(budget[0], budget[1]), sketcher);
      rules[index] = merge;
      return new FeatureShape(merge.nngpDim(), merge.ntkDim(), k, t, m, m);
    }

    @Override
    protected FeatureShape join(int index, FanInKernel join, FeatureShape acc) {
      boolean over = acc.nngp() > m || acc.ntk() > 2 * m;
      boolean far = acc.nngp() > 4 * m || acc.ntk() > 8 * m;
      if (!over || (!far && activationAhead(index))) {
        return acc;
      }
      int[] budget = budget(index, acc.referenceNngp(), acc.referenceNtk());
      if (budget[0] == m && budget[1] == m) {
        budget[1] = 2 * m;
      }
      FeatureMap map = sketcher.project(join.where(), acc.withBudget(budget[0], budget[1]));
      rules[index] = map;
      return new FeatureShape(map.nngpDim(), map.ntkDim(), acc.referenceNngp(), acc.referenceNtk(),
          m, m);
    }

    /**
     * The widths a projecting rule at {@code index} should produce: {@code (m − bias feature of the
     * next Dense, m)}, or the readout's split of {@code 2m}.
     */
    private int[] budget(int index, double[] k, double[] t) {
      Affine readout = sketcher.ntk() ? readoutAfter(index) : null;
      if (readout == null) {
        Affine next = nextAffine(index);
        return new int[] {m - (next != null && next.b2() > 0 ? 1 : 0), m};
      }
      // the readout's NTK features are [√a Φ_K, √b Φ_Θ, √c]: share 2m between the two blocks in
      // proportion to their contributions a·K(x,x) and b·Θ(x,x) (squared errors ∝ size²/width)
      double fraction = 0;
      int count = Math.min(k.length, 64);
      for (int i = 0; i < count; i++) {
        double partK = readout.ntkFromNngp() * k[i];
        double partT = readout.ntkFromNtk() * t[i];
        fraction += partK + partT > 0 ? partK / (partK + partT) / count : 0.5 / count;
      }
      int total = 2 * m - (readout.ntkConstant() > 0 ? 1 : 0);
      int nngp = Math.max(m / 4, Math.min(total - m / 4, (int) Math.round(total * fraction)));
      return new int[] {nngp, (total - nngp) & ~1};
    }

    /** The Dense right after {@code index} (identities skipped), or {@code null}. */
    private Affine nextAffine(int index) {
      for (int i = index + 1; i < program.size(); i++) {
        if (!(program.get(i) instanceof Instruction.Apply a)) {
          return null;
        }
        if (a.kernel() instanceof DenseKernel d) {
          return d.affine();
        }
        if (!(a.kernel() instanceof IdentityKernel)) {
          return null;
        }
      }
      return null;
    }

    /**
     * The first Dense after {@code index} if nothing after it projects or branches again (the
     * program's last projecting rule), else {@code null}.
     */
    private Affine readoutAfter(int index) {
      Affine readout = null;
      for (int i = index + 1; i < program.size(); i++) {
        Instruction ins = program.get(i);
        if (ins instanceof Instruction.Join && i == index + 1) {
          continue;
        }
        if (!(ins instanceof Instruction.Apply a) || a.kernel() instanceof ActivationKernel) {
          return null;
        }
        if (readout == null && a.kernel() instanceof DenseKernel d) {
          readout = d.affine();
        }
      }
      return readout;
    }

    /** Whether an activation consumes the features after {@code index} before any branch point. */
    private boolean activationAhead(int index) {
      for (int i = index + 1; i < program.size(); i++) {
        if (!(program.get(i) instanceof Instruction.Apply a)) {
          return false;
        }
        if (a.kernel() instanceof ActivationKernel) {
          return true;
        }
      }
      return false;
    }
  }
}
