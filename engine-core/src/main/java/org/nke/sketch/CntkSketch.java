package org.nke.sketch;

import java.util.ArrayList;
import java.util.List;
import org.nke.arch.Architecture;
import org.nke.cntk.CntkNetwork;
import org.nke.cntk.CntkNetwork.Convolution;
import org.nke.cntk.CntkNetwork.Nonlinearity;
import org.nke.cntk.CntkNetwork.Pooling;
import org.nke.cntk.Grid;
import org.nke.cntk.PixelVariances;
import org.nke.exact.DenseNetwork;
import org.nke.hermite.HermiteSource;
import org.nke.io.ImageBatch;

/**
 * A CNTK sketch compiled for one architecture, image shape, budget and seed (Zandieh et al. 2021,
 * §5; Han et al. 2022; {@code shared/spec/maths.md}): random features {@code Φ(x)} with
 * {@code ⟨Φ(x), Φ(y)⟩ ≈ K(x, y)} (NNGP) or {@code Θ(x, y)} (NTK) of the convolutional network, from
 * per-pixel features carried layer by layer (stax conventions, NTK parameterization):
 *
 * <pre>{@code
 * input:       Φ_K(p) = x_p/√C,  Φ_Θ(p) = ∅
 * Conv (F taps): P_K(p) = concat_δ Φ_K(p+δ)  (zeros outside; re-sketched by a PatchSketch when wide)
 *              Φ_K'(p) = [σ_w/√F · P_K(p), σ_b],  Φ_Θ'(p) = [√a/√F · P_K(p), √b/√F · P_Θ(p), √c]
 * Activation:  per pixel, ActivationSketch at the pixel's exact variance k(p) (PixelVariances)
 * AvgPool:     Φ'(P) = Σ_{p∈P} Φ(p)/F;   GlobalAvgPool: mean_p Φ(p);   Flatten: concat_p Φ(p)/√N
 * Dense:       Φ_K ← [σ_w Φ_K, σ_b],  Φ_Θ ← [√a Φ_K, √b Φ_Θ, √c]
 * }</pre>
 *
 * All linear steps are exact in expectation, so the features are unbiased for the folded-series
 * kernel when each activation is (one layer). Budgets as in the dense {@link SketchPlan}: at most
 * {@code m} NNGP and {@code 2m} NTK features, the readout's {@code 2m} shared between its two blocks
 * in proportion to {@code a K(x,x)} and {@code b Θ(x,x)}. Every random draw is made here from the
 * seed ({@link SketchRandom#derive}), so features depend only on the plan and the image. Cost per
 * image {@code O(L·H·W·(q·m log m + F·m))}, plus one exact self block for the pixel variances.
 */
public final class CntkSketch {
  /** Images of the sample used for block widths, degrees and the NTK budget split. */
  public static final int SAMPLE_IMAGES = 8;
  /** The patch sketch construction used by default (see docs/design-notes.md). */
  public static final PatchSketch.Kind DEFAULT_PATCH = PatchSketch.Kind.COUNT;
  /**
   * Largest pixel-pair block (entries) for which the per-pixel variances come from the exact self
   * recursion ({@link PixelVariances}); beyond it (images larger than 64 × 64 with pooling),
   * from the squared norms of the pixels' NNGP features.
   */
  public static final long EXACT_VARIANCE_ENTRIES = 1L << 24;
  /** Seed path prefix of the patch sketches (activation layers use small indices). */
  private static final int PATCH_PATH = 1 << 20;

  private final SketchOptions options;
  private final CntkNetwork net;
  private final List<CntkStep> steps;
  private final int outputDim;
  private final boolean exactVariances;

  private CntkSketch(SketchOptions options, CntkNetwork net, List<CntkStep> steps, int outputDim,
      boolean exactVariances) {
    this.options = options;
    this.net = net;
    this.steps = List.copyOf(steps);
    this.outputDim = outputDim;
    this.exactVariances = exactVariances;
  }

  /**
   * Compiles a plan with the default patch sketch.
   *
   * @param arch a convolutional architecture
   * @param sample representative images (the first {@value #SAMPLE_IMAGES} are read); their shape
   *     is the plan's
   * @param options budget, seed, kind, degree
   * @return the plan
   */
  public static CntkSketch build(Architecture arch, ImageBatch sample, SketchOptions options) {
    return build(arch, sample, options, DEFAULT_PATCH);
  }

  /**
   * @param arch a convolutional architecture
   * @param sample representative images, not modified
   * @param options budget, seed, kind, degree
   * @param patch the construction of the Conv and Flatten re-sketches
   * @return the plan
   */
  public static CntkSketch build(Architecture arch, ImageBatch sample, SketchOptions options,
      PatchSketch.Kind patch) {
    return build(arch, sample, options, patch, null);
  }

  /**
   * @param exactVariances whether the pixel variances come from the exact self recursion, or
   *     {@code null} to decide by {@link #EXACT_VARIANCE_ENTRIES}
   */
  static CntkSketch build(Architecture arch, ImageBatch sample, SketchOptions options,
      PatchSketch.Kind patch, Boolean exactVariances) {
    CntkNetwork net = CntkNetwork.compile(arch, new Grid(sample.height(), sample.width()),
        sample.channels());
    boolean exact = exactVariances != null ? exactVariances
        : net.maxBlockEntries() <= EXACT_VARIANCE_ENTRIES;
    int ns = Math.min(sample.count(), SAMPLE_IMAGES);
    PixelVariances.Result[] res = new PixelVariances.Result[ns];
    double[] image = new double[sample.imageSize()];
    for (int i = 0; i < ns; i++) {
      sample.copyImage(i, image);
      res[i] = net.maxBlockEntries() <= EXACT_VARIANCE_ENTRIES
          ? PixelVariances.of(net, image, options.ntk()) : PixelVariances.approximate(net, image);
    }
    return new Builder(net, options, patch, res).compile(exact);
  }

  /** The budget bookkeeping of {@link #build}. */
  private static final class Builder {
    final CntkNetwork net;
    final SketchOptions options;
    final PatchSketch.Kind patch;
    final PixelVariances.Result[] sample;
    final int m;
    final boolean ntk;
    final List<CntkStep> out = new ArrayList<>();
    int inK;
    int inT;
    int layer;

    Builder(CntkNetwork net, SketchOptions options, PatchSketch.Kind patch,
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
      List<CntkNetwork.Step> spatial = net.steps();
      List<DenseNetwork.Step> tail = net.tail();
      boolean tailActs = tail.stream().anyMatch(s -> s instanceof DenseNetwork.Nonlinear);
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
        CntkNetwork.Step step = spatial.get(s);
        if (step instanceof Convolution c) {
          conv(c, s);
        } else if (step instanceof Nonlinearity a) {
          int[] b = {nextIsPointwiseBias(spatial, s) ? m - 1 : m, m};
          if (feedsExactReadout(spatial, s)) {
            b = budget;
          }
          ActivationSketch sk = activation(a.dual(), vars(a.index()), b[0], b[1]);
          out.add(new CntkStep.Act(sk, a.index()));
        } else if (step instanceof Pooling p) {
          out.add(new CntkStep.Pool(p.window()));
        } else if (step instanceof CntkNetwork.Readout r) {
          readout(r, budget);
        }
      }
      tail(tail);
      return new CntkSketch(options, net, out, ntk ? inT : inK, exactVariances);
    }

    private void conv(Convolution c, int s) {
      int f = c.window().size();
      boolean bias = c.b2() > 0;
      boolean exactK = c.window().isPointwise() || f * inK + (bias ? 1 : 0) <= m;
      PatchSketch pk = exactK ? null : new PatchSketch(patch, f, inK,
          PatchSketch.supportedOutputs(patch, inK, m - (bias ? 2 : 0)), rnd(s, 0));
      int rawK = exactK ? f * inK : pk.outputs();
      double tb = c.ntkZero() || inT == 0 ? 0 : Math.sqrt(c.ntkFromNtk() / f);
      PatchSketch pt = null;
      int rawT = 0;
      if (ntk && tb > 0) {
        int target = 2 * m - rawK - (c.ntkConstant() > 0 ? 1 : 0);
        boolean exactT = f * inT <= target;
        pt = exactT ? null : new PatchSketch(patch, f, inT,
            PatchSketch.supportedOutputs(patch, inT, Math.min(target, m)), rnd(s, 1));
        rawT = exactT ? f * inT : pt.outputs();
      }
      CntkStep.Conv step = new CntkStep.Conv(c.window(), pk, pt, Math.sqrt(c.w2() / f),
          Math.sqrt(c.b2()), Math.sqrt(c.ntkFromNngp() / f), tb, Math.sqrt(c.ntkConstant()), inK,
          ntk ? inT : 0, rawK, rawT);
      out.add(step);
      inK = step.outK();
      inT = ntk ? step.outT() : 0;
    }

    private void readout(CntkNetwork.Readout r, int[] budget) {
      int n = r.grid().pixels();
      int wideK = r.flatten() ? n * inK : inK;
      int wideT = r.flatten() ? n * inT : inT;
      int taps = r.flatten() ? n : 1;
      PatchSketch pk = wideK <= budget[0] ? null : new PatchSketch(patch, taps, inK,
          PatchSketch.supportedOutputs(patch, inK, budget[0]), rnd(net.steps().size(), 0));
      PatchSketch pt = !ntk || wideT <= budget[1] ? null : new PatchSketch(patch, taps, inT,
          PatchSketch.supportedOutputs(patch, inT, budget[1]), rnd(net.steps().size(), 1));
      CntkStep.Readout step = new CntkStep.Readout(r.flatten(), r.grid(), pk, pt, inK, inT);
      out.add(step);
      inK = step.outK();
      inT = ntk ? step.outT() : 0;
    }

    private void tail(List<DenseNetwork.Step> tail) {
      int last = -1;
      for (int s = 0; s < tail.size(); s++) {
        if (tail.get(s) instanceof DenseNetwork.Nonlinear) {
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
        } else if (tail.get(s) instanceof DenseNetwork.Nonlinear n) {
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
          out.add(new CntkStep.TailAct(activation(n.dual(), vars, b[0], b[1]), index++));
        }
      }
    }

    private ActivationSketch activation(org.nke.dual.DualActivation dual, double[] vars,
        int budget, int thetaBudget) {
      HermiteSource source = SketchPlan.hermiteSource(dual);
      int q = options.degree() > 0 ? options.degree()
          : SketchPlan.autoDegree(source, vars, ntk, options.tailTolerance());
      BlockLayout layout = SketchPlan.layout(source, vars, q, ntk, inK, budget, options.degree() > 0);
      ActivationSketch sk = new ActivationSketch(source, inK, layout, ntk ? inT : 0, thetaBudget,
          options.seed(), layer++);
      inK = sk.outputDim();
      inT = ntk ? sk.thetaOutputDim() : 0;
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

    private SketchRandom rnd(int step, int role) {
      return SketchRandom.derive(options.seed(), PATCH_PATH, step, role);
    }

    /** Whether the next spatial step is a pixelwise affine map adding a bias feature exactly. */
    private static boolean nextIsPointwiseBias(List<CntkNetwork.Step> spatial, int s) {
      return s + 1 < spatial.size() && spatial.get(s + 1) instanceof Convolution c
          && c.window().isPointwise() && c.b2() > 0;
    }

    /** Whether only pools lie between step {@code s} and a readout that keeps the width. */
    private static boolean feedsExactReadout(List<CntkNetwork.Step> spatial, int s) {
      for (int j = s + 1; j < spatial.size(); j++) {
        CntkNetwork.Step x = spatial.get(j);
        if (x instanceof CntkNetwork.Readout r) {
          return !r.flatten() || r.grid().pixels() == 1;
        }
        if (!(x instanceof Pooling || x instanceof CntkNetwork.Diagonalize)) {
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
        } else if (tail.get(s) instanceof DenseNetwork.Nonlinear n) {
          t *= n.dual().derivative(k, k, k);
          k = n.dual().diagonal(k);
        }
      }
      return new double[] {k, t};
    }
  }

  /** @return the options */
  public SketchOptions options() {
    return options;
  }

  /** @return the number of features of the requested kind */
  public int outputDim() {
    return outputDim;
  }

  /** @return image height the plan was built for */
  public int height() {
    return net.input().height();
  }

  /** @return image width */
  public int width() {
    return net.input().width();
  }

  /** @return image channels */
  public int channels() {
    return net.channels();
  }

  /** @return the activation sketches, input first (spatial, then after the readout) */
  public List<ActivationSketch> layers() {
    List<ActivationSketch> l = new ArrayList<>();
    for (CntkStep s : steps) {
      if (s instanceof CntkStep.Act a) {
        l.add(a.sketch());
      } else if (s instanceof CntkStep.TailAct a) {
        l.add(a.sketch());
      }
    }
    return l;
  }

  /**
   * The features of one image.
   *
   * @param image {@code H·W·C} values in HWC order (the plan's shape), not modified
   * @return NNGP features, or NTK features for an NTK plan
   */
  public double[] features(double[] image) {
    boolean ntk = options.ntk();
    PixelVariances.Result v = exactVariances ? PixelVariances.of(net, image, false) : null;
    PixelFeatures f = PixelFeatures.input(image, net.input(), net.channels(), ntk);
    for (int s = 0; s < steps.size(); s++) {
      CntkStep step = steps.get(s);
      if (step instanceof CntkStep.Conv c) {
        CntkStep.Act next = s + 1 < steps.size() && steps.get(s + 1) instanceof CntkStep.Act a
            ? a : null;
        f = f.conv(c, next, next == null || v == null ? null : v.spatial()[next.index()]);
        s += next == null ? 0 : 1;
      } else if (step instanceof CntkStep.Act a) {
        f = f.activation(a, v == null ? null : v.spatial()[a.index()]);
      } else if (step instanceof CntkStep.Pool p) {
        f = f.pool(p);
      } else if (step instanceof CntkStep.Readout r) {
        f = f.readout(r);
      } else if (step instanceof CntkStep.Affine a) {
        f = f.affine(a);
      } else if (step instanceof CntkStep.TailAct a) {
        f = f.tailActivation(a, v == null ? Double.NaN : v.tail()[a.index()]);
      }
    }
    return ntk ? f.t : f.k;
  }
}
