package org.nke.sketch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import org.nke.arch.Architecture;
import org.nke.cntk.CntkNetwork;
import org.nke.cntk.PixelVariances;
import org.nke.ir.Grid;
import org.nke.ir.ImageBatch;
import org.nke.ir.ImageVariances;
import org.nke.ir.PixelStep;
import org.nke.spi.ConvOps;
import org.nke.spi.PixelBlocks;

/**
 * A CNTK sketch compiled for one architecture, image shape, budget and seed (Zandieh et al. 2021,
 * §5; Han et al. 2022; {@code shared/spec/maths.md}): random features {@code Φ(x)} with
 * {@code ⟨Φ(x), Φ(y)⟩ ≈ K(x, y)} (NNGP) or {@code Θ(x, y)} (NTK) of the convolutional network, from
 * per-pixel features carried layer by layer (stax conventions; {@code a, b, c} the step's NTK
 * coefficients, {@code a = b = σ_w²}, {@code c = σ_b²} under the NTK parameterization, {@code a} the
 * fan-in and {@code c = [b_std given]} under the standard one, {@link PixelStep.Convolution}):
 *
 * <pre>{@code
 * input:       Φ_K(p) = x_p/√C,  Φ_Θ(p) = ∅
 * Conv (F taps): P_K(p) = concat_δ Φ_K(p+δ)  (zeros outside; re-sketched when wide: PixelPatch)
 *              Φ_K'(p) = [σ_w/√F · P_K(p), σ_b],  Φ_Θ'(p) = [√a/√F · P_K(p), √b/√F · P_Θ(p), √c]
 * Activation:  per pixel, ActivationSketch at the pixel's exact variance k(p) (PixelVariances)
 * AvgPool:     Φ'(P) = Σ_{p∈P} Φ(p)/F;   GlobalAvgPool: mean_p Φ(p);   Flatten: concat_p Φ(p)/√N
 * Dense:       Φ_K ← [σ_w Φ_K, σ_b],  Φ_Θ ← [√a Φ_K, √b Φ_Θ, √c]
 * LayerNorm:   Φ(p) ← Φ(p)/√s(p),  s(p) = eps + k(p) (channel axis) or the image's mean of them
 * FanOut:      every branch starts from Φ
 * FanInSum/Concat (α K_acc + β K_i):  Φ(p) ← [√α Φ_acc(p), √β Φ_i(p)]  (heavy coordinates last)
 * FanInProd:   Φ_K(p) ← T(Φ_K,acc(p) ⊗ Φ_K,i(p)),  Φ_Θ(p) ← [T'(Φ_Θ,acc ⊗ Φ_K,i), T''(Φ_K,acc ⊗ Φ_Θ,i)]
 * }</pre>
 *
 * A fan-in's concatenation is re-sketched per pixel ({@link CntkStep.EndFork}) only where it is over
 * the budget and no Conv, activation or readout projects it next, as the dense sketch does
 * ({@code org.nke.exact.FeatureProgram}); products are the dense sketch's {@link TensorProduct}s.
 *
 * All linear steps are exact in expectation, so the features are unbiased for the folded-series
 * kernel when each activation is (one layer). By default ({@link #exactDiagonal()},
 * {@link ExactDiagonal}) each image's
 * features are then scaled to its exact self-kernel,
 *
 * <pre>{@code Φ(x) ← Φ(x) · √(K(x, x) / ‖Φ(x)‖²)}   (Θ for an NTK plan)</pre>
 *
 * so that the sketched Gram matrix has the exact diagonal and the sketch approximates only the
 * angles {@code K(x, y)/√(K(x, x) K(y, y))}: the estimate is no longer unbiased, but it is much closer
 * (the kernel of pooled images is nearly rank one, and most of a sketch's error is then one common
 * scale; on {@code WideResnet(1, 1, 10)} the NTK's Gram error falls 1.2–2.6× at m = 4096, on Myrtle-5
 * 1.8–4×, docs/design-notes.md).
 * {@code K(x, x)} comes from the same exact self recursion as the pixel variances. Budgets as in the
 * dense {@link SketchPlan}: at most
 * {@code m} NNGP and {@code 2m} NTK features, the readout's {@code 2m} shared between its two blocks
 * in proportion to {@code a K(x,x)} and {@code b Θ(x,x)}. Every random draw is made here from the
 * seed ({@link SketchRandom#derive}), so features depend only on the plan and the image. Cost per
 * image {@code O(L·H·W·(q·m log m + F·m))}, plus one exact self block for the pixel variances.
 */
public final class CntkSketch {
  /** Images of the sample used for block widths, degrees and the NTK budget split. */
  public static final int SAMPLE_IMAGES = 8;
  /** The patch sketch construction used by default (see docs/design-notes.md). */
  public static final PatchSketch.Kind DEFAULT_PATCH = PatchSketch.Kind.HADAMARD_COUNT;
  /**
   * Largest pixel-pair block (entries) for which the per-pixel variances come from the exact self
   * recursion ({@link PixelVariances}); beyond it (images larger than 64 × 64 with pooling),
   * from the squared norms of the pixels' NNGP features.
   */
  public static final long EXACT_VARIANCE_ENTRIES = 1L << 24;

  private final SketchOptions options;
  private final CntkNetwork net;
  private final List<CntkStep> steps;
  private final int outputDim;
  private final boolean exactVariances;
  private final boolean exactDiagonal;

  CntkSketch(SketchOptions options, CntkNetwork net, List<CntkStep> steps, int outputDim,
      boolean exactVariances) {
    this(options, net, List.copyOf(steps), outputDim, exactVariances, exactVariances);
  }

  private CntkSketch(SketchOptions options, CntkNetwork net, List<CntkStep> steps, int outputDim,
      boolean exactVariances, boolean exactDiagonal) {
    this.options = options;
    this.net = net;
    this.steps = steps;
    this.outputDim = outputDim;
    this.exactVariances = exactVariances;
    this.exactDiagonal = exactDiagonal;
  }

  /**
   * The same plan (the same draws) with or without the exact diagonal.
   *
   * @param exact whether each image's features are scaled to its exact self-kernel (only where the
   *     plan's pixel variances are exact, {@link #exactVariances()}: that self-kernel is computed
   *     with them); {@code false} gives the unbiased features
   * @return the plan
   * @throws IllegalArgumentException for {@code true} on a plan without exact pixel variances
   */
  public CntkSketch withExactDiagonal(boolean exact) {
    if (exact && !exactVariances) {
      throw new IllegalArgumentException(ExactDiagonal.unavailable(net));
    }
    return exact == exactDiagonal ? this
        : new CntkSketch(options, net, steps, outputDim, exactVariances, exact);
  }

  /**
   * @return whether each image's features are scaled so that {@code ‖Φ(x)‖² = K(x, x)} (or
   *     {@code Θ(x, x)}) exactly ({@link #scaleToDiagonal}); the default where the pixel variances are
   *     exact
   */
  public boolean exactDiagonal() {
    return exactDiagonal;
  }

  /**
   * {@link ExactDiagonal#scale} when the plan has the exact diagonal, else nothing. A backend calls
   * it on the features it computed, with the image's {@link #variances} (with the NTK for an NTK
   * plan).
   *
   * @param features one image's features; modified
   * @param v the image's exact self-kernel quantities
   */
  public void scaleToDiagonal(double[] features, ImageVariances v) {
    if (exactDiagonal) {
      ExactDiagonal.scale(features, options.ntk() ? v.outputNtk() : v.outputNngp());
    }
  }

  /**
   * Compiles the data-free plan for images of the given shape: block widths, degrees and the NTK
   * budget split are chosen for {@link #referenceImages reference images} (constant images whose
   * pixel variances {@code x_p·x_p/C} span the {@link SketchPlan#referenceInputVariances() dense
   * reference}), so an image's features depend only on the architecture, the shape, the options and
   * the image: features of a training and a test set made in two runs compose.
   *
   * @param arch a convolutional architecture
   * @param height image height
   * @param width image width
   * @param channels image channels
   * @param options budget, seed, kind, degree
   * @return the plan
   */
  public static CntkSketch build(Architecture arch, int height, int width, int channels,
      SketchOptions options) {
    return build(arch, referenceImages(height, width, channels), options);
  }

  /**
   * The data-free reference: {@value #SAMPLE_IMAGES} constant images, image {@code i} with every
   * value {@code √v_i}, {@code v_i} spaced log-uniformly over the dense reference range
   * {@code [0.01, 100]}. A pixel's variances up to the first pooling layer depend only on the input
   * variances of the pixels in its receptive field, which these span; constant images are fully
   * correlated across pixels, as natural images nearly are, for the layers after a pooling.
   *
   * @param height image height
   * @param width image width
   * @param channels image channels
   * @return the reference images
   */
  public static ImageBatch referenceImages(int height, int width, int channels) {
    double[] v = SketchPlan.logGrid(0.01, 100, SAMPLE_IMAGES);
    int size = Math.multiplyExact(Math.multiplyExact(height, width), channels);
    double[] nhwc = new double[Math.multiplyExact(size, SAMPLE_IMAGES)];
    for (int i = 0; i < SAMPLE_IMAGES; i++) {
      Arrays.fill(nhwc, i * size, (i + 1) * size, Math.sqrt(v[i]));
    }
    return ImageBatch.of(nhwc, SAMPLE_IMAGES, height, width, channels);
  }

  /**
   * Compiles a plan with the default patch sketch, adapted to a sample of the data; keep the sample
   * (a plan file, a model) to sketch further images the same way.
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
   * As {@link #build(Architecture, ImageBatch, SketchOptions, PatchSketch.Kind)}, choosing where the
   * pixel variances come from (for measurements).
   *
   * @param arch a convolutional architecture
   * @param sample representative images, not modified
   * @param options budget, seed, kind, degree
   * @param patch the construction of the Conv and Flatten re-sketches
   * @param exactVariances whether the pixel variances come from the exact self recursion, or
   *     {@code null} to decide by {@link #EXACT_VARIANCE_ENTRIES}
   * @return the plan
   */
  static CntkSketch build(Architecture arch, ImageBatch sample, SketchOptions options,
      PatchSketch.Kind patch, Boolean exactVariances) {
    // every pixel of an image carries a sketch of the budget's size (NTK: two)
    options.checkFits("a CNTK sketch of " + sample.height() + " x " + sample.width() + " pixels per image",
        (options.ntk() ? 2.0 : 1.0) * options.dim() * sample.height() * sample.width());
    CntkNetwork net = CntkNetwork.compile(arch, new Grid(sample.height(), sample.width()),
        sample.channels());
    boolean available = ExactDiagonal.available(net);
    boolean exact = exactVariances != null ? exactVariances : available;
    int ns = Math.min(sample.count(), SAMPLE_IMAGES);
    ImageVariances[] res = new ImageVariances[ns];
    double[] image = new double[sample.imageSize()];
    for (int i = 0; i < ns; i++) {
      sample.copyImage(i, image);
      res[i] = available
          ? PixelVariances.of(net, image, options.ntk()) : PixelVariances.approximate(net, image);
    }
    return new CntkSketchBuilder(net, options, patch, res).compile(exact);
  }

  /** @return the compiled network (geometry and exact steps) */
  public CntkNetwork network() {
    return net;
  }

  /**
   * @return entries of the largest pixel-pair block of the exact self recursion that gives the pixel
   *     variances ({@link #variances}; a backend sizes its blocks with it)
   */
  public long varianceBlockEntries() {
    return net.maxBlockEntries();
  }

  /**
   * The exact pixel variances of a batch of images by the self recursion on a backend's CNTK
   * primitives (as {@link #features} computes them on the host, one image at a time): every image
   * with itself in one slot of {@code blocks}.
   *
   * @param ops the backend's CNTK primitives
   * @param blocks at least {@code x.count()} slots of {@link #varianceBlockEntries()} entries, from
   *     {@code ops}, with the NTK where {@link #variancesNeedNtk()}; modified
   * @param x the images, not modified
   * @return per image, its variances ({@code ntk} and {@code outputNtk} NaN without NTK blocks)
   */
  public ImageVariances[] variances(ConvOps ops, PixelBlocks blocks, ImageBatch x) {
    return PixelVariances.of(net, ops, blocks, x);
  }

  /**
   * @return how many sets of {@link #varianceBlockEntries()}-entry blocks per image the self
   *     recursion of {@link #variances} holds at once: {@code 1 + 2·depth} for fan-outs nested
   *     {@code depth} deep (a fan-out's input, its accumulator and the current branch per level)
   */
  public int varianceBlockSets() {
    return 1 + 2 * net.forkDepth();
  }

  /**
   * @return whether {@link #variances} needs blocks with the NTK: for the exact diagonal of an NTK
   *     plan ({@code Θ(x, x)})
   */
  public boolean variancesNeedNtk() {
    return exactDiagonal && options.ntk();
  }

  /** @return the compiled steps with their random draws, in order (read-only) */
  public List<CntkStep> steps() {
    return steps;
  }

  /**
   * @return whether {@link #features} takes the pixel variances from the exact self recursion
   *     ({@link PixelVariances}); otherwise from the squared norms of the pixels' NNGP features
   */
  public boolean exactVariances() {
    return exactVariances;
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
      if (s instanceof CntkStep.PixelActivation a) {
        l.add(a.sketch());
      } else if (s instanceof CntkStep.TailActivation a) {
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
    ImageVariances v = exactVariances ? PixelVariances.of(net, image, variancesNeedNtk()) : null;
    PixelFeatures f = PixelFeatures.input(image, net.input(), net.channels(), ntk);
    // per open fan-out: its input features and the fan-in's accumulator
    Deque<PixelFeatures[]> frames = new ArrayDeque<>();
    for (int s = 0; s < steps.size(); s++) {
      CntkStep step = steps.get(s);
      if (step instanceof CntkStep.Convolution c) {
        CntkStep.PixelActivation next = s + 1 < steps.size() && steps.get(s + 1) instanceof CntkStep.PixelActivation a
            ? a : null;
        f = f.conv(c, next, next == null || v == null ? null : v.spatial()[next.index()]);
        s += next == null ? 0 : 1;
      } else if (step instanceof CntkStep.PixelActivation a) {
        f = f.activation(a, v == null ? null : v.spatial()[a.index()]);
      } else if (step instanceof CntkStep.Pooling p) {
        f = f.pool(p);
      } else if (step instanceof CntkStep.Readout r) {
        f = f.readout(r);
      } else if (step instanceof CntkStep.Affine a) {
        f = f.affine(a);
      } else if (step instanceof CntkStep.TailActivation a) {
        f = f.tailActivation(a, v == null ? Double.NaN : v.tail()[a.index()]);
      } else if (step instanceof CntkStep.Normalize n) {
        f = PixelJoins.normalize(f, n, v == null ? null : v.spatial()[n.step().index()]);
      } else if (step instanceof CntkStep.Fork) {
        frames.push(new PixelFeatures[] {f, null});
      } else if (step instanceof CntkStep.Branch) {
        f = frames.peek()[0];
      } else if (step instanceof CntkStep.Merge m) {
        PixelFeatures[] frame = frames.peek();
        frame[1] = m.step().branch() == 0 ? f : PixelJoins.merge(frame[1], f, m);
      } else if (step instanceof CntkStep.EndFork e) {
        f = PixelJoins.endFork(frames.pop()[1], e);
      } else {
        throw new IllegalStateException("no feature rule for " + step);
      }
    }
    double[] out = ntk ? f.t : f.k;
    scaleToDiagonal(out, v);
    return out;
  }
}
