package org.nke.exact;

import org.nke.arch.Activation;
import org.nke.arch.Flatten;
import org.nke.arch.GlobalAvgPool;
import org.nke.arch.Layer;
import org.nke.error.ArchException;
import org.nke.ir.FeatureMap;
import org.nke.spi.Backend;
import org.nke.spi.KernelBlock;
import org.nke.spi.Progress;

/**
 * All the kernel rules of one layer type, on vectors and on images — the home of a layer, as a layer's
 * {@code kernel_fn} is in neural-tangents. A subclass must give every rule (each is abstract, so a new
 * layer that forgets one does not compile): what it requires of its input and what it gives
 * ({@link #signal}), the exact rule on a pair block through {@link Backend} primitives
 * ({@link #exact}), the per-point variance recursion ({@link #diagonal}), whether pair angles survive
 * it ({@link #angles}), the NTK diagonal ({@link #diagonalNtk}), the sketch rule ({@link #sketch}:
 * per-point features, compiled at plan time through {@link Sketcher} primitives), the cost and
 * memory rules ({@link #pairFlops}, {@link #pointBytes}; folded into a {@link WorkEstimate} by
 * {@link DenseNetwork#pairFlops}), and on images the image rules: requirements
 * ({@link #imageSignal}), the pixel pairs it needs ({@link #mixesPixels}) and its pixel steps
 * ({@link #pixelSteps}, whose cost and memory are the steps' own). {@link #apply}
 * folds a {@link KernelState} through the exact rules, {@link FeatureProgram} a point's features
 * through the sketch rules.
 *
 * <p>To add a layer: its record (with its stax signature's {@code bind}) in {@code org.nke.arch}, a
 * subclass here and its one line in {@link LayerTypes}, which {@link #of} and {@link #forImages}
 * look the rules up in ({@code docs/adding-a-layer.md}).
 */
public abstract class LayerKernel {
  /** How pair angles (see {@link Backend#carriesAngles()}) fare through a layer. */
  public enum Angles {
    /** Unchanged (bias-free affine layers, identities). */
    KEEP,
    /** Updated in angle form: an activation whose dual carries angles. */
    USE,
    /** Lost: a bias, a dual without an angle form, a join or a normalisation. */
    LOSE
  }

  private final int position;
  private final String describe;

  /**
   * @param position 1-based index of the layer in its chain, for messages
   * @param describe the layer as written
   */
  protected LayerKernel(int position, String describe) {
    this.position = position;
    this.describe = describe;
  }

  /**
   * The layer's kernel class.
   *
   * @param layer a non-branching layer
   * @param position its 1-based index, for messages
   * @param inputWidth the width of its input, or −1
   * @return its rules for dense inputs
   * @throws ArchException for a layer that needs image inputs
   */
  static LayerKernel of(Layer layer, int position, int inputWidth) {
    if (layer.needsImages()) {
      throw needsImages(position, layer.describe());
    }
    return common(layer, position, inputWidth);
  }

  /**
   * The layer's kernel class for a network on images (where a Dense acts on every pixel and takes
   * its fan-in from the {@link ImageSignal}).
   *
   * @param layer a spatial layer (not a readout, Flatten or GlobalAvgPool, and not a fan-out or
   *     fan-in, which the compiler handles)
   * @param position its 1-based index, for messages
   * @return its rules
   * @throws ArchException for a layer without a rule on images
   */
  public static LayerKernel forImages(Layer layer, int position) {
    if (layer instanceof Flatten || layer instanceof GlobalAvgPool) {
      throw new IllegalArgumentException(layer.describe() + " is a readout, not a spatial layer");
    }
    return common(layer, position, LayerTypes.ON_IMAGES);
  }

  /** The rules of an activation, or of a type in {@link LayerTypes}, else the named error. */
  private static LayerKernel common(Layer layer, int position, int inputWidth) {
    if (layer instanceof Activation a) {
      return new ActivationKernel(a, position);
    }
    LayerKernel rules = LayerTypes.rules(layer, position, inputWidth);
    if (rules == null) {
      throw new ArchException("layer " + position + " (" + layer.describe() + ") has no kernel rule");
    }
    return rules;
  }

  /**
   * @param position the layer's index
   * @param describe the layer as written
   * @return the error of an image layer in a network on vectors
   */
  static ArchException needsImages(int position, String describe) {
    return new ArchException("layer " + position + " (" + describe + ") needs image "
        + "inputs (n, H, W, C): give images (Kernels.compute(ImageBatch, ...), or a 4-D .npy, "
        + "CIFAR .bin or IDX file on the command line) for the convolutional kernel (CNTK)");
  }

  /** @return 1-based index of the layer, for messages */
  public int position() {
    return position;
  }

  /** @return the layer as written */
  public String describe() {
    return describe;
  }

  /** @return {@code "layer 3 (Relu())"}, for messages */
  String where() {
    return "layer " + position + " (" + describe + ")";
  }

  /**
   * What the layer requires of its input and what it gives: the Gaussianity and width of the next
   * input.
   *
   * @param in the state before the layer
   * @return the state after it (variances and block untouched)
   * @throws ArchException if the input does not meet the layer's requirements
   */
  protected abstract KernelState signal(KernelState in);

  /**
   * The exact rule: updates the pair block through the backend's primitives.
   *
   * @param block the block; modified
   * @param varX the row points' variances before the layer, not modified
   * @param varY the column points' variances (may be {@code varX}), not modified
   * @param backend the backend
   * @param progress progress sink; advanced by {@code block.rows()} once
   * @return a bound on the relative error the layer introduced (0 for closed forms)
   */
  protected abstract double exact(KernelBlock block, double[] varX, double[] varY, Backend backend,
      Progress progress);

  /**
   * The diagonal rule: one point's variance after the layer, from its variance before.
   *
   * @param variance {@code K(x, x)} before the layer
   * @return {@code K(x, x)} after it
   */
  protected abstract double diagonal(double variance);

  /** @return how pair angles fare through the layer */
  protected abstract Angles angles();

  /**
   * The NTK diagonal rule: one point's {@code Θ(x, x)} after the layer (the sketch sizes its blocks
   * and splits its readout budget with it).
   *
   * @param variance {@code K(x, x)} before the layer
   * @param ntk {@code Θ(x, x)} before the layer
   * @return {@code Θ(x, x)} after it
   */
  protected abstract double diagonalNtk(double variance, double ntk);

  /**
   * The sketch rule on dense inputs: the layer's per-point map of NNGP and NTK features, compiled
   * once through the sketcher's primitives with all its random draws (the point's variance is the
   * diagonal rule's). A layer that cannot be sketched throws a named {@link ArchException}.
   *
   * @param in the features' shape before the layer, with the widths a projecting layer produces
   * @param sketcher the primitives
   * @return the compiled map
   */
  protected abstract FeatureMap sketch(FeatureShape in, Sketcher sketcher);

  /**
   * The image rule at compile time (stax's shape checks on images): what the layer requires of an
   * image signal (a Gaussian input for an activation, a window that fits the grid, a width the
   * standard parameterization can read) and the signal after it.
   *
   * @param in the signal before the layer
   * @return the signal after it
   * @throws ArchException if the input does not meet the layer's requirements on images
   */
  public abstract ImageSignal imageSignal(ImageSignal in);

  /**
   * The image rule's pair requirement: whether the layer reads pixel pairs {@code (p, q)},
   * {@code p ≠ q}, of its input even where only the diagonal pairs of its output are needed (a
   * pooling mixes pixels; pixelwise layers and Conv, whose output pair {@code (p, p)} reads the input
   * pairs {@code (p + δ, p + δ)}, do not).
   *
   * @return whether it needs all pairs of its input
   */
  public abstract boolean mixesPixels();

  /**
   * The image rule: the layer's steps on pixel-pair blocks ({@link org.nke.ir.PixelStep}, each a
   * {@code ConvOps} primitive and a CNTK-sketch step), written to the program with what it carries.
   *
   * @param in the signal before the layer (as given to {@link #imageSignal})
   * @param program the program; appended to
   */
  public abstract void pixelSteps(ImageSignal in, PixelProgram program);

  /**
   * The cost rule: floating-point operations of the exact rule on one pair of points (one block
   * entry, with its {@code Θ} entry when carried), as a documented count, e.g. 2 for a Dense layer's
   * {@code w²K + β²}.
   *
   * @param withNtk whether {@code Θ} is carried
   * @return flops per pair
   */
  protected abstract double pairFlops(boolean withNtk);

  /**
   * The memory rule: bytes per point (row and column points alike) that the exact rule holds beyond
   * the block while it runs, e.g. a numerical dual's per-point tables; 0 for most layers.
   *
   * @param withNtk whether {@code Θ} is carried
   * @return bytes per point
   */
  protected abstract long pointBytes(boolean withNtk);

  /**
   * Folds a state through the layer: the requirements always, the diagonal rule when the state has
   * variances, the exact rule when it has a block.
   *
   * @param in the state before the layer
   * @param backend the backend (unused without a block)
   * @param run collects per-activation variances and error bounds
   * @return the state after the layer
   */
  final KernelState apply(KernelState in, Backend backend, ProgramRun run) {
    KernelState out = signal(in);
    if (!in.hasVariances()) {
      return out;
    }
    run.beforeLayer(this, in);
    if (in.block() != null) {
      run.addErrorBound(exact(in.block(), in.varX(), in.varY(), backend, run.progress()));
    }
    double[] x = diagonals(in.varX());
    return out.withVariances(x, in.same() ? x : diagonals(in.varY()));
  }

  private double[] diagonals(double[] v) {
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = diagonal(v[i]);
    }
    return out;
  }
}
