package org.nke.sketch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.nke.cntk.CntkNetwork;
import org.nke.cntk.PixelVariances;
import org.nke.dual.ABReluDual;
import org.nke.dual.DualActivation;
import org.nke.dual.RectifiedMonomialDual;
import org.nke.exact.DenseNetwork;
import org.nke.hermite.HermiteSource;
import org.nke.hermite.HomogeneousHermiteSource;
import org.nke.ir.ImageVariances;
import org.nke.ir.Join;
import org.nke.ir.PixelStep.Convolution;
import org.nke.ir.PixelStep.PixelActivation;
import org.nke.ir.PixelStep.Pooling;
import org.nke.ir.PixelStep;

/**
 * The budget bookkeeping of {@link CntkSketch#build}: walks the compiled network once, choosing every
 * patch's exact or sketched form and every activation's block layout, and making every random draw
 * from the seed. Budgets: each activation gives {@code m} NNGP and {@code m} NTK features (less a
 * bias feature a pixelwise affine map adds next), Conv patches re-sketch to {@code m} ({@code 2m}
 * with the NTK's NNGP part), the readout's blocks share {@code 2m} in proportion to their exact
 * contributions (as in {@link SketchPlan}). A fan-out keeps the widths and heavy suffixes of its
 * input for every branch and of its accumulator (a stack of frames, as the exact program's); a
 * linear fan-in adds the branches' widths, a product gives the dense sketch's {@link TensorProduct}
 * widths ({@code m}, {@code m/2 + m/2}), and the end of a fan-in re-sketches per pixel where
 * {@link CntkStep.EndFork} says so. Fan-in draws use the patch seed paths of their step.
 */
final class CntkSketchBuilder {
  /** Seed path prefix of the patch sketches (activation layers use small indices). */
  private static final int PATCH_PATH = 1 << 20;

  private final CntkNetwork net;
  private final SketchOptions options;
  private final PatchSketch.Kind patch;
  private final ImageVariances[] sample;
  private final int m;
  private final boolean ntk;
  private final List<CntkStep> out = new ArrayList<>();
  private int inK;
  private int inT;
  /** Heavy suffix lengths of the current features (see {@link PixelPatch}). */
  private int heavyK;
  private int heavyT;
  private int layer;
  /** Per open fan-out: its input's {@link #state()} and its accumulator's (once branch 0 merged). */
  private final Deque<int[][]> frames = new ArrayDeque<>();

  CntkSketchBuilder(CntkNetwork net, SketchOptions options, PatchSketch.Kind patch,
      ImageVariances[] sample) {
    this.net = net;
    this.options = options;
    this.patch = patch;
    this.sample = sample;
    this.m = options.dim();
    this.ntk = options.ntk();
    this.inK = net.channels();
  }

  CntkSketch compile(boolean exactVariances) {
    List<PixelStep> spatial = net.steps();
    List<DenseNetwork.Step> tail = net.tail();
    boolean tailActs = tail.stream().anyMatch(s -> s instanceof DenseNetwork.Activation);
    DenseNetwork.Affine readout = !tail.isEmpty() && tail.get(0) instanceof DenseNetwork.Affine a
        ? a : null;
    int[] budget = {m - (readout != null && readout.b2() > 0 ? 1 : 0), m};
    if (ntk && !tailActs && readout != null) {
      double frac = 0;
      for (ImageVariances r : sample) {
        frac += fraction(readout, r.nngp(), r.ntk()) / sample.length;
      }
      budget = split(frac, readout);
    }
    for (int s = 0; s < spatial.size(); s++) {
      PixelStep step = spatial.get(s);
      if (step instanceof Convolution c) {
        conv(c, s);
      } else if (step instanceof PixelActivation a) {
        int[] b = {nextIsPointwiseBias(spatial, s) ? m - 1 : m, m};
        if (feedsExactReadout(spatial, s)) {
          b = budget;
        }
        ActivationSketch sk = activation(a.dual(), vars(a.index()), b[0], b[1]);
        out.add(new CntkStep.PixelActivation(sk, a.index()));
      } else if (step instanceof Pooling p) {
        out.add(new CntkStep.Pooling(p.window()));
      } else if (step instanceof PixelStep.Readout r) {
        readout(r, budget);
      } else if (step instanceof PixelStep.Normalize n) {
        out.add(new CntkStep.Normalize(n));
      } else if (step instanceof PixelStep.Fork f) {
        frames.push(new int[][] {state(), null});
        out.add(new CntkStep.Fork(f));
      } else if (step instanceof PixelStep.Branch b) {
        restore(frames.peek()[0]);
        out.add(new CntkStep.Branch(b));
      } else if (step instanceof PixelStep.Merge j) {
        merge(j, s);
      } else if (step instanceof PixelStep.EndFork e) {
        restore(frames.pop()[1]);
        endFork(e, s);
      } else if (!(step instanceof PixelStep.Diagonalize)) {
        // (features carry every pixel: keeping only the diagonal pairs has no feature rule)
        throw new IllegalStateException("no CNTK sketch rule for " + step);
      }
    }
    tail(tail);
    return new CntkSketch(options, net, out, ntk ? inT : inK, exactVariances);
  }

  /** @return {inK, inT, heavyK, heavyT} */
  private int[] state() {
    return new int[] {inK, inT, heavyK, heavyT};
  }

  private void restore(int[] state) {
    inK = state[0];
    inT = state[1];
    heavyK = state[2];
    heavyT = state[3];
  }

  /** A fan-in's merge of the current branch into the accumulator (branch 0 becomes it). */
  private void merge(PixelStep.Merge j, int s) {
    if (j.branch() == 0) {
      frames.peek()[1] = state();
      out.add(new CntkStep.Merge(j, 0, heavyK, 0, heavyT, null));
      return;
    }
    int[] acc = frames.peek()[1];
    FeatureOps.Product product = null;
    if (j.join().kind() == Join.Kind.PRODUCT) {
      // as the dense sketch (PlanSketcher.product): Φ_K to m, each half of Φ_Θ to m/2
      TensorProduct k = new TensorProduct(acc[0], inK, m, SketchRandom.derive(options.seed(),
          PATCH_PATH, s, 0));
      TensorProduct left = !ntk ? null : new TensorProduct(acc[1], inK, m / 2,
          SketchRandom.derive(options.seed(), PATCH_PATH, s, 1));
      TensorProduct right = !ntk ? null : new TensorProduct(acc[0], inT, m / 2,
          SketchRandom.derive(options.seed(), PATCH_PATH, s, 2));
      product = new FeatureOps.Product(k, left, right);
      frames.peek()[1] = new int[] {product.nngpDim(), ntk ? product.ntkDim() : 0, 0, 0};
    } else {
      frames.peek()[1] = new int[] {acc[0] + inK, acc[1] + inT, acc[2] + heavyK, acc[3] + heavyT};
    }
    out.add(new CntkStep.Merge(j, acc[2], heavyK, acc[3], heavyT, product));
  }

  /**
   * The end of a fan-in: its concatenation is re-sketched per pixel where it is over the budget
   * ({@code m}, {@code 2m}) and nothing re-sketches it next, or where it is over twice the budget
   * (the per-pixel working set); a Conv's patch and an activation's sketch project their input
   * anyway, so a re-sketch before them would only add a second projection's error.
   */
  private void endFork(PixelStep.EndFork e, int s) {
    boolean over = inK > m || inT > 2 * m;
    boolean far = inK > 2 * m || inT > 4 * m;
    if (!over || (!far && projectsNext(net.steps(), s))) {
      out.add(new CntkStep.EndFork(e, null, null));
      return;
    }
    PixelPatch pk = inK > m ? patch(1, inK, heavyK, m, s, 0) : null;
    PixelPatch pt = ntk && inT > 2 * m ? patch(1, inT, heavyT, 2 * m, s, 1) : null;
    out.add(new CntkStep.EndFork(e, pk, pt));
    if (pk != null) {
      inK = pk.outputs();
      heavyK = pk.heavyOutputs();
    }
    if (pt != null) {
      inT = pt.outputs();
      heavyT = pt.heavyOutputs();
    }
  }

  /**
   * Whether a Conv, an activation or the readout takes the features after step {@code s}, or a
   * fan-out all of whose branches start with one.
   */
  private static boolean projectsNext(List<PixelStep> spatial, int s) {
    int depth = 0;
    for (int j = s + 1; j < spatial.size(); j++) {
      PixelStep x = spatial.get(j);
      if (x instanceof PixelStep.Fork) {
        depth++;
      } else if (x instanceof PixelStep.Branch && depth == 1) {
        if (!projectsNext(spatial, j)) {
          return false;
        }
      } else if (x instanceof PixelStep.EndFork && --depth == 0) {
        return true;
      } else if (depth == 0 && (x instanceof Convolution || x instanceof PixelActivation
          || x instanceof PixelStep.Readout)) {
        return true;
      } else if (depth == 0 && !(x instanceof Pooling || x instanceof PixelStep.Diagonalize
          || x instanceof PixelStep.Normalize)) {
        return false;
      }
    }
    return false;
  }

  private void conv(Convolution c, int s) {
    int f = c.window().size();
    boolean bias = c.b2() > 0;
    PixelPatch pk = patch(f, inK, heavyK, m - (bias ? 1 : 0), s, 0);
    double tb = c.ntkZero() || inT == 0 ? 0 : Math.sqrt(c.ntkFromNtk() / f);
    PixelPatch pt = null;
    if (ntk && tb > 0) {
      int target = 2 * m - pk.outputs() - (c.ntkConstant() > 0 ? 1 : 0);
      pt = patch(f, inT, heavyT, Math.min(target, m), s, 1);
    }
    CntkStep.Convolution step = new CntkStep.Convolution(c.window(), pk, pt, Math.sqrt(c.w2() / f),
        Math.sqrt(c.b2()), Math.sqrt(c.ntkFromNngp() / f), tb, Math.sqrt(c.ntkConstant()));
    out.add(step);
    inK = step.outK();
    heavyK = step.heavyK();
    inT = ntk ? step.outT() : 0;
    heavyT = ntk ? step.heavyT() : 0;
  }

  /**
   * The patch of {@code taps} vectors of length {@code len} with {@code heavy} exact coordinates,
   * at most {@code budget} outputs: exact when it fits, else the light parts re-sketched (the heavy
   * ones are then hashed too if they would take more than a quarter of the budget).
   */
  private PixelPatch patch(int taps, int len, int heavy, int budget, int step, int role) {
    if (taps * len <= budget) {
      return new PixelPatch(null, taps, len, heavy);
    }
    int h = taps * heavy <= budget / 4 ? heavy : 0;
    int light = len - h;
    PatchSketch sk = new PatchSketch(patch, taps, light, PatchSketch.supportedOutputs(patch, light,
        budget - taps * h), SketchRandom.derive(options.seed(), PATCH_PATH, step, role));
    return new PixelPatch(sk, taps, len, h);
  }

  private void readout(PixelStep.Readout r, int[] budget) {
    int n = r.grid().pixels();
    int step = net.steps().size();
    PixelPatch pk = r.flatten() ? patch(n, inK, heavyK, budget[0], step, 0)
        : inK <= budget[0] ? null : patch(1, inK, heavyK, budget[0], step, 0);
    PixelPatch pt = !ntk ? null : r.flatten() ? patch(n, inT, heavyT, budget[1], step, 1)
        : inT <= budget[1] ? null : patch(1, inT, heavyT, budget[1], step, 1);
    CntkStep.Readout st = new CntkStep.Readout(r.flatten(), r.grid(), pk, pt, inK, inT);
    out.add(st);
    inK = st.outK();
    inT = ntk ? st.outT() : 0;
  }

  private void tail(List<DenseNetwork.Step> tail) {
    int last = -1;
    for (int s = 0; s < tail.size(); s++) {
      if (tail.get(s) instanceof DenseNetwork.Activation) {
        last = s;
      }
    }
    int index = 0;
    for (int s = 0; s < tail.size(); s++) {
      if (tail.get(s) instanceof DenseNetwork.Affine a) {
        out.add(new CntkStep.Affine(a));
        int oldK = inK;
        inK += a.b2() > 0 ? 1 : 0;
        inT = ntk ? oldK + inT + (a.ntkConstant() > 0 ? 1 : 0) : 0;
      } else if (tail.get(s) instanceof DenseNetwork.Activation n) {
        DenseNetwork.Affine next = s + 1 < tail.size()
            && tail.get(s + 1) instanceof DenseNetwork.Affine a ? a : null;
        int[] b = {m - (next != null && next.b2() > 0 ? 1 : 0), m};
        double[] vars = new double[sample.length];
        double frac = 0;
        for (int i = 0; i < sample.length; i++) {
          vars[i] = sample[i].tail()[index];
          if (s == last && next != null && ntk) {
            double[] kt = DenseNetwork.selfKernels(tail, s + 1, sample[i].nngp(), sample[i].ntk(),
                null);
            frac += fraction(next, kt[0], kt[1]) / sample.length;
          }
        }
        if (s == last && next != null && ntk) {
          b = split(frac, next);
        }
        out.add(new CntkStep.TailActivation(activation(n.dual(), vars, b[0], b[1]), index++));
      }
    }
  }

  private ActivationSketch activation(DualActivation dual, double[] vars,
      int budget, int thetaBudget) {
    HermiteSource source = hermiteSource(dual);
    int q = options.degree() > 0 ? options.degree()
        : BlockWidths.autoDegree(source, vars, ntk, options.tailTolerance());
    // widths by the sample's peak coefficient masses (see docs/design-notes.md)
    BlockLayout layout = BlockWidths.layout(source, vars, q, ntk, inK, budget, options.degree() > 0,
        true);
    ActivationSketch sk = new ActivationSketch(source, inK, layout, ntk ? inT : 0, thetaBudget,
        options.seed(), layer++);
    inK = sk.outputDim();
    inT = ntk ? sk.thetaOutputDim() : 0;
    heavyK = 1;
    heavyT = 0;
    return sk;
  }

  /** The sample's pixel variances before spatial activation {@code a}, concatenated. */
  private double[] vars(int a) {
    int pixels = sample[0].spatial()[a].length;
    double[] v = new double[sample.length * pixels];
    for (int i = 0; i < sample.length; i++) {
      System.arraycopy(sample[i].spatial()[a], 0, v, i * pixels, pixels);
    }
    return v;
  }

  /** Whether the next spatial step is a pixelwise affine map adding a bias feature exactly. */
  private static boolean nextIsPointwiseBias(List<PixelStep> spatial, int s) {
    return s + 1 < spatial.size() && spatial.get(s + 1) instanceof Convolution c
        && c.window().isPointwise() && c.b2() > 0;
  }

  /** Whether only pools lie between step {@code s} and a readout that keeps the width. */
  private static boolean feedsExactReadout(List<PixelStep> spatial, int s) {
    for (int j = s + 1; j < spatial.size(); j++) {
      PixelStep x = spatial.get(j);
      if (x instanceof PixelStep.Readout r) {
        return !r.flatten() || r.grid().pixels() == 1;
      }
      if (!(x instanceof Pooling || x instanceof PixelStep.Diagonalize)) {
        return false;
      }
    }
    return false;
  }

  /** {@code a K / (a K + b Θ)}: the NNGP block's share of the readout's NTK features. */
  private static double fraction(DenseNetwork.Affine a, double k, double t) {
    double partK = a.ntkFromNngp() * k;
    double partT = a.ntkFromNtk() * t;
    return partK + partT > 0 ? partK / (partK + partT) : 0.5;
  }

  /** {NNGP, NTK} budgets of the block before the readout affine (squared error ∝ size²/width). */
  private int[] split(double frac, DenseNetwork.Affine a) {
    int total = 2 * m - (a.ntkConstant() > 0 ? 1 : 0);
    int k = Math.max(m / 4, Math.min(total - m / 4, (int) Math.round(total * frac)));
    return new int[] {k, (total - k) & ~1};
  }

  /**
   * The dense sketch's coefficients, except that positively homogeneous activations (the ABReLU
   * family, rectified monomials) scale their unit-scale coefficients ({@link HomogeneousHermiteSource})
   * instead of integrating at every pixel's scale. The dense sketch keeps the quadrature, which the
   * CUDA backend reproduces node for node.
   */
  static HermiteSource hermiteSource(DualActivation dual) {
    HermiteSource quadrature = SketchPlan.hermiteSource(dual);
    if (dual instanceof ABReluDual) {
      return new HomogeneousHermiteSource(quadrature, 1);
    }
    if (dual instanceof RectifiedMonomialDual r && r.degree() >= 1) {
      return new HomogeneousHermiteSource(quadrature, r.degree());
    }
    return quadrature;
  }
}
