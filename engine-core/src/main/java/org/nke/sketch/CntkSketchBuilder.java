package org.nke.sketch;

import java.util.ArrayList;
import java.util.List;
import org.nke.cntk.CntkNetwork;
import org.nke.cntk.PixelVariances;
import org.nke.dual.ABReluDual;
import org.nke.dual.DualActivation;
import org.nke.dual.RectifiedMonomialDual;
import org.nke.exact.DenseNetwork;
import org.nke.hermite.HermiteSource;
import org.nke.hermite.HomogeneousHermiteSource;
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
 * contributions (as in {@link SketchPlan}).
 */
final class CntkSketchBuilder {
  /** Seed path prefix of the patch sketches (activation layers use small indices). */
  private static final int PATCH_PATH = 1 << 20;

  private final CntkNetwork net;
  private final SketchOptions options;
  private final PatchSketch.Kind patch;
  private final PixelVariances.Result[] sample;
  private final int m;
  private final boolean ntk;
  private final List<CntkStep> out = new ArrayList<>();
  private int inK;
  private int inT;
  /** Heavy suffix lengths of the current features (see {@link PixelPatch}). */
  private int heavyK;
  private int heavyT;
  private int layer;

  CntkSketchBuilder(CntkNetwork net, SketchOptions options, PatchSketch.Kind patch,
      PixelVariances.Result[] sample) {
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
      for (PixelVariances.Result r : sample) {
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
      }
    }
    tail(tail);
    return new CntkSketch(options, net, out, ntk ? inT : inK, exactVariances);
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
            double[] kt = throughTail(tail, s + 1, sample[i].nngp(), sample[i].ntk());
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

  /** The exact (K, Θ) of one image at the input of tail step {@code end}. */
  private static double[] throughTail(List<DenseNetwork.Step> tail, int end, double k, double t) {
    for (int s = 0; s < end; s++) {
      if (tail.get(s) instanceof DenseNetwork.Affine a) {
        t = a.ntkFromNngp() * k + a.ntkFromNtk() * t + a.ntkConstant();
        k = a.w2() * k + a.b2();
      } else if (tail.get(s) instanceof DenseNetwork.Activation n) {
        t *= n.dual().derivative(k, k, k);
        k = n.dual().diagonal(k);
      }
    }
    return new double[] {k, t};
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
