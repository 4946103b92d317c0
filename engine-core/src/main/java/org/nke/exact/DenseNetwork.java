package org.nke.exact;

import java.util.ArrayList;
import java.util.List;
import org.nke.arch.Architecture;
import org.nke.arch.FanIn;
import org.nke.arch.FanOut;
import org.nke.arch.Layer;
import org.nke.dual.DualActivation;
import org.nke.error.ArchException;
import org.nke.exact.LayerKernel.Angles;
import org.nke.spi.Precision;
import org.nke.spi.Progress;

/**
 * An architecture compiled once for vector inputs into a program of {@link LayerKernel}s (one class of
 * rules per layer type) and fan-out/fan-in {@link Instruction}s, checked at compile time by folding a
 * {@link KernelState} through it: activations, LayerNorm and FanInSum need Gaussian inputs (stax's
 * rules), convolutional layers are rejected (they need image inputs), and the standard
 * parameterization and FanInConcat know each layer's input width. The exact kernel
 * ({@link ExactKernel}) and the diagonal recursion ({@link #diagonals}) run the same program.
 *
 * The sketch compiles the same program ({@link #sketch}).
 *
 * <p>{@link Step} ({@link Affine}, {@link Activation}) is the CNTK's dense tail, until the CNTK goes
 * through the same program (issue 16, stage 2b); the dense paths do not use it.
 */
public final class DenseNetwork {
  /** One step of the CNTK's dense tail; {@code position} is the 1-based layer index for messages. */
  public sealed interface Step permits Affine, Activation {
    /** @return 1-based index of the layer in the architecture */
    int position();

    /** @return the layer as written */
    String describe();

    /**
     * The diagonal rule: a point's {@code K(x, x)} after the step.
     *
     * @param k {@code K(x, x)} before it
     * @return after it
     */
    double selfNngp(double k);

    /**
     * The NTK diagonal rule: a point's {@code Θ(x, x)} after the step.
     *
     * @param k {@code K(x, x)} before it
     * @param t {@code Θ(x, x)} before it (NaN when not carried: stays NaN)
     * @return after it
     */
    double selfNtk(double k, double t);

    /**
     * The dense cost rule ({@link LayerKernel#pairFlops}) of the step.
     *
     * @param withNtk whether {@code Θ} is carried
     * @return flops per pair
     */
    double pairFlops(boolean withNtk);
  }

  /**
   * {@code Θ ← a·K + b·Θ + c}, then {@code K ← w²K + β²}.
   *
   * @param w2 {@code σ_w²}
   * @param b2 {@code σ_b²}
   * @param ntkFromNngp {@code a}
   * @param ntkFromNtk {@code b}
   * @param ntkConstant {@code c}
   * @param position layer index
   * @param describe layer text
   */
  public record Affine(double w2, double b2, double ntkFromNngp, double ntkFromNtk,
      double ntkConstant, int position, String describe) implements Step {
    /**
     * The scalar NNGP rule, the one home of it (pair entries and diagonals alike).
     *
     * @param k {@code K} before the layer
     * @return {@code K' = w²K + β²}
     */
    public double nngp(double k) {
      return w2 * k + b2;
    }

    /**
     * The scalar NTK rule, the one home of it.
     *
     * @param k {@code K} before the layer
     * @param t {@code Θ} before the layer
     * @return {@code Θ' = a·K + b·Θ + c}
     */
    public double ntk(double k, double t) {
      return ntkFromNngp * k + ntkFromNtk * t + ntkConstant;
    }

    @Override
    public double selfNngp(double k) {
      return nngp(k);
    }

    @Override
    public double selfNtk(double k, double t) {
      return ntk(k, t);
    }

    /**
     * The cost rule of an affine update on one entry: {@code w²K + β²} is 2 flops,
     * {@code a·K + b·Θ + c} 4 more.
     *
     * @param withNtk whether {@code Θ} is carried
     * @return 2, or 6 with {@code Θ}
     */
    @Override
    public double pairFlops(boolean withNtk) {
      return withNtk ? 6 : 2;
    }
  }

  /**
   * An activation.
   *
   * @param dual its dual
   * @param position layer index
   * @param describe layer text
   */
  public record Activation(DualActivation dual, int position, String describe) implements Step {
    /** @return {@code E[φ(u)²]}, {@code u ~ N(0, k)} */
    @Override
    public double selfNngp(double k) {
      return dual.diagonal(k);
    }

    /** @return {@code Θ · E[φ'(u)²]} */
    @Override
    public double selfNtk(double k, double t) {
      return t * dual.derivative(k, k, k);
    }

    /** @return the dual's cost rule, {@link DualActivation#flopsPerEntry} */
    @Override
    public double pairFlops(boolean withNtk) {
      return dual.flopsPerEntry(withNtk);
    }
  }

  /**
   * The diagonal recursion through steps {@code [0, end)} (the CNTK's dense tail): a point's
   * {@code K(x, x)} and {@code Θ(x, x)} after them, by each step's {@link Step#selfNngp} and
   * {@link Step#selfNtk} rules.
   *
   * @param steps the steps
   * @param end how many to apply
   * @param k {@code K(x, x)} before the first
   * @param t {@code Θ(x, x)} before the first, or NaN when not carried
   * @param pre receives each activation's input variance in order, or {@code null}; modified
   * @return {@code {K(x, x), Θ(x, x)}} after step {@code end − 1}
   */
  public static double[] selfKernels(List<Step> steps, int end, double k, double t, double[] pre) {
    int a = 0;
    for (Step s : steps.subList(0, end)) {
      if (pre != null && s instanceof Activation) {
        pre[a++] = k;
      }
      t = s.selfNtk(k, t);
      k = s.selfNngp(k);
    }
    return new double[] {k, t};
  }

  private final List<Instruction> program;
  private final int inputDim;

  private DenseNetwork(List<Instruction> program, int inputDim) {
    this.program = List.copyOf(program);
    this.inputDim = inputDim;
  }

  /**
   * @param arch the architecture
   * @param inputDim the input dimension {@code d} (the first layer's input width)
   * @return the compiled network
   * @throws ArchException if the architecture is not a valid network for vector inputs
   */
  public static DenseNetwork compile(Architecture arch, int inputDim) {
    List<Instruction> program = new ArrayList<>();
    new Compiler().chain(arch.layers(), KernelState.input(inputDim), program);
    return new DenseNetwork(program, inputDim);
  }

  /** Compiles a tree depth first, numbering its layers 1, 2, … in that order. */
  private static final class Compiler {
    private int position;

    KernelState chain(List<Layer> layers, KernelState in, List<Instruction> out) {
      KernelState s = in;
      for (int i = 0; i < layers.size(); i++) {
        Layer layer = layers.get(i);
        position++;
        if (layer instanceof FanOut f) {
          List<List<Layer>> branches = f.branches(layers, i);
          int parallels = FanOut.parallels(layers, i);
          position += parallels;
          i += parallels + 1;
          s = fork(branches, (FanIn) layers.get(i), s, out);
        } else {
          LayerKernel k = LayerKernel.of(layer, position, s.width());
          s = k.signal(s);
          out.add(new Instruction.Apply(k));
        }
      }
      return s;
    }

    /** {@code FanOut(n), parallel(…)*, FanIn}: the branches' layers are already gathered. */
    private KernelState fork(List<List<Layer>> branches, FanIn fanIn, KernelState in,
        List<Instruction> out) {
      List<List<Instruction>> bodies = new ArrayList<>();
      List<KernelState> ends = new ArrayList<>();
      for (List<Layer> b : branches) {
        List<Instruction> body = new ArrayList<>();
        ends.add(chain(b, in, body));
        bodies.add(body);
      }
      position++;
      FanInKernel join = FanInKernel.of(fanIn, position, ends);
      out.add(new Instruction.Fork());
      for (int b = 0; b < bodies.size(); b++) {
        out.add(new Instruction.Branch(b == bodies.size() - 1));
        out.addAll(bodies.get(b));
        out.add(new Instruction.Merge(join, b));
      }
      out.add(new Instruction.Join(join));
      return join.signal(ends.get(0));
    }
  }

  /** @return the instructions, input first */
  List<Instruction> program() {
    return program;
  }

  /** @return the number of layer instructions (progress: each advances by the block's rows once) */
  public int layerSteps() {
    return (int) program.stream().filter(i -> i instanceof Instruction.Apply).count();
  }

  /** @return whether the network branches (has fan-outs) */
  public boolean isBranching() {
    return program.stream().anyMatch(i -> i instanceof Instruction.Fork);
  }

  /** @return the deepest nesting of fan-outs (0 for a chain), folded over the instructions */
  public int forkDepth() {
    int depth = 0;
    int max = 0;
    for (Instruction i : program) {
      depth += i.depthChange();
      max = Math.max(max, depth);
    }
    return max;
  }

  /**
   * The cost of one pair of points, folded over the instructions' cost rules
   * ({@link Instruction#pairFlops}: each layer's {@link LayerKernel#pairFlops}, each merge's join),
   * plus the input kernel {@code x·y/d}: {@code 2d} flops (a multiply-add per coordinate).
   *
   * @param withNtk whether {@code Θ} is carried
   * @return flops per pair
   */
  public double pairFlops(boolean withNtk) {
    double f = 2.0 * inputDim;
    for (Instruction i : program) {
      f += i.pairFlops(withNtk);
    }
    return f;
  }

  /**
   * @param withNtk whether {@code Θ} is carried
   * @return the most bytes per point any layer holds beyond the blocks
   *     ({@link LayerKernel#pointBytes}), plus 8 for the point's variance
   */
  public long pointBytes(boolean withNtk) {
    long max = 0;
    for (Instruction i : program) {
      max = Math.max(max, i.pointBytes(withNtk));
    }
    return 8 + max;
  }

  /**
   * Whether the pair angles can be carried through this network (see
   * {@code Backend.carriesAngles()}): it has no branches, an activation, every activation has an angle
   * form ({@link DualActivation#carriesAngles()}) and no layer loses them (a bias {@code β² ≠ 0}
   * changes the angle; so does LayerNorm's per-point scaling of a biased kernel). The standard
   * parameterization's NTK bias term does not matter.
   *
   * @return {@code true} for bias-free serial networks of the ReLU family
   */
  public boolean carriesAngles() {
    boolean any = false;
    for (Instruction i : program) {
      if (!(i instanceof Instruction.Apply a) || a.kernel().angles() == Angles.LOSE) {
        return false;
      }
      any |= a.kernel().angles() == Angles.USE;
    }
    return any;
  }

  /**
   * Compiles the network's sketch: every layer's and fan-in's sketch rule, through the sketcher's
   * primitives, for the shapes of this program ({@link FeatureProgram}).
   *
   * @param sketcher the sketch's primitives (its budget, seed and kind)
   * @param referenceInputs input variances {@code x·x/d} that size the activations' blocks, not
   *     modified
   * @return the compiled sketch
   * @throws ArchException where a layer cannot be sketched by this sketcher
   */
  public FeatureProgram sketch(Sketcher sketcher, double[] referenceInputs) {
    return FeatureProgram.compile(program, sketcher, inputDim, referenceInputs);
  }

  /**
   * The diagonal recursion's results for one point set.
   *
   * @param preActivation per activation layer, in execution order, the variance of every point
   *     entering it
   * @param output the output NNGP diagonal {@code K(x, x)} per point
   */
  public record Diagonals(List<double[]> preActivation, double[] output) {
  }

  /**
   * The diagonal recursion: each point's variance through the network, computed once per point
   * (never per pair) by each layer's diagonal rule ({@link LayerKernel#diagonal}) and each fan-in's
   * join. With {@link Precision#F32} every value is rounded to single precision after each step,
   * exactly as a float32 block stores its diagonal, so that {@code ρ = 1} holds exactly on the
   * diagonal (the arc-cosine duals are not Lipschitz there).
   *
   * @param inputVariances {@code K⁰(x, x)} per point, not modified
   * @param precision the storage precision of the kernel block
   * @return the variances before each activation and at the output
   */
  public Diagonals diagonals(double[] inputVariances, Precision precision) {
    double[] v = inputVariances.clone();
    KernelState start = new KernelState(null, null, null, false, -1, precision).withVariances(v, v);
    ProgramRun run = new ProgramRun(start, null, Progress.NONE, (b, w) -> { });
    double[] out = run.execute(program).varX();
    return new Diagonals(run.preActivation(), out);
  }
}
