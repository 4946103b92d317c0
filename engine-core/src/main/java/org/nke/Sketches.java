package org.nke;

import java.util.Arrays;
import org.nke.arch.Architecture;
import org.nke.error.InvalidInputException;
import org.nke.ir.ImageBatch;
import org.nke.sketch.CntkSketch;
import org.nke.sketch.PlanFile;
import org.nke.sketch.PlanMethod;
import org.nke.sketch.PlanSpec;
import org.nke.sketch.SketchOptions;
import org.nke.sketch.SketchPlan;
import org.nke.spi.Backend;
import org.nke.spi.BackendOptions;
import org.nke.spi.Backends;
import org.nke.spi.Progress;
import org.nke.util.Checks;

/**
 * The library's front door for sketches: random features whose inner products approximate the NNGP
 * or NTK of a fully connected network with any activation (Han et al. 2022):
 *
 * <pre>{@code
 * double[][] f = Sketches.of("Dense(W_std=1.5, b_std=0.1), Gelu(), Dense()").withDim(8192).ntk(x);
 * // f[i]·f[j] ≈ Θ(x_i, x_j); at most 2·8192 features for the NTK, 8192 for the NNGP
 * }</pre>
 *
 * The plan (every random draw, the block widths) depends only on the architecture, the input
 * dimension and these settings — not on the data — so the features of a point are the same
 * whatever else is sketched with it: {@code ntk(train)} and {@code ntk(test)} compose, in one
 * process or in two ({@link SketchPlan#build(Architecture, int, SketchOptions)}). Same seed, same
 * point → bit-identical features, on any number of threads. Block widths adapted to a sample of the
 * data ({@link #plan(double[][], boolean)}) are an option; keep that plan (or its
 * {@link PlanSpec}) for further data. Cost per point {@code O(L·q·m log m)}.
 *
 * <p>For convolutional architectures the same calls take {@link ImageBatch}es and give CNTK sketch
 * features ({@link CntkSketch}: per-pixel features through Conv, activations and pools):
 *
 * <pre>{@code
 * CntkSketch plan = Sketches.of("Myrtle5").withDim(8192).plan(train, true);
 * double[][] f = Sketches.of("Myrtle5").features(plan, test);   // f[i]·f[j] ≈ Θ(x_i, x_j)
 * }</pre>
 */
public final class Sketches {
  /** Rows of the data used to choose block widths and degrees. */
  public static final int SAMPLE = 256;

  private final Architecture arch;
  private final SketchOptions nngp;
  private final String backend;
  private final BackendOptions options;
  private final Progress progress;

  private Sketches(Architecture arch, SketchOptions nngp, String backend, BackendOptions options,
      Progress progress) {
    this.arch = arch;
    this.nngp = nngp;
    this.backend = backend;
    this.options = options;
    this.progress = progress;
  }

  /**
   * @param architecture an architecture string
   * @return sketches of that network, {@code m = 4096}, seed 0
   */
  public static Sketches of(String architecture) {
    return of(Architecture.parse(architecture));
  }

  /**
   * @param architecture the network
   * @return sketches of that network, {@code m = 4096}, seed 0
   */
  public static Sketches of(Architecture architecture) {
    return new Sketches(architecture, SketchOptions.of(4096, 0, false), null,
        BackendOptions.defaults(), Progress.NONE);
  }

  /**
   * @param m the feature budget (NNGP at most {@code m}, NTK at most {@code 2m} features)
   * @return a copy with that budget
   */
  public Sketches withDim(int m) {
    return new Sketches(arch, new SketchOptions(m, nngp.seed(), false, nngp.degree(),
        nngp.tailTolerance()), backend, options, progress);
  }

  /**
   * @param seed the seed of all random draws
   * @return a copy with that seed
   */
  public Sketches withSeed(long seed) {
    return new Sketches(arch, new SketchOptions(nngp.dim(), seed, false, nngp.degree(),
        nngp.tailTolerance()), backend, options, progress);
  }

  /**
   * @param q the Hermite truncation degree (0: chosen automatically)
   * @return a copy with that degree
   */
  public Sketches withDegree(int q) {
    return new Sketches(arch, nngp.withDegree(q), backend, options, progress);
  }

  /**
   * @param name {@code auto}, {@code cpu} or {@code cuda}
   * @return a copy using that backend
   */
  public Sketches withBackend(String name) {
    return new Sketches(arch, nngp, name, options, progress);
  }

  /**
   * @param threads CPU worker threads
   * @return a copy using that many threads
   */
  public Sketches withThreads(int threads) {
    return new Sketches(arch, nngp, backend, options.withThreads(threads), progress);
  }

  /**
   * @param p progress sink (units: points)
   * @return a copy reporting progress
   */
  public Sketches withProgress(Progress p) {
    return new Sketches(arch, nngp, backend, options, p);
  }

  /**
   * The data-free plan for points of dimension {@code d}: the plan {@link #nngp(double[][])} and
   * {@link #ntk(double[][])} use.
   *
   * @param d the input dimension
   * @param ntk NTK features (else NNGP)
   * @return the plan
   */
  public SketchPlan plan(int d, boolean ntk) {
    return spec(ntk, d).densePlan();
  }

  /**
   * @param ntk NTK features (else NNGP)
   * @param shape {@code {d}} for points, {@code {H, W, C}} for images
   * @return the data-free plan description with these settings (for {@link PlanFile})
   */
  public PlanSpec spec(boolean ntk, int... shape) {
    return PlanSpec.reference(PlanMethod.SKETCH, arch, options(ntk), shape);
  }

  private SketchOptions options(boolean ntk) {
    return new SketchOptions(nngp.dim(), nngp.seed(), ntk, nngp.degree(), nngp.tailTolerance());
  }

  /**
   * Compiles a plan whose block widths are adapted to the first {@link #SAMPLE} rows of
   * {@code data} (rather than the data-free reference); features of other data compose with these
   * only through this plan.
   *
   * @param data points (only the first rows are read), not modified
   * @param ntk NTK features (else NNGP)
   * @return the plan
   */
  public SketchPlan plan(double[][] data, boolean ntk) {
    int d = Checks.points("X", data);
    return SketchPlan.build(arch, d, options(ntk), Arrays.copyOf(data, Math.min(SAMPLE, data.length)));
  }

  /**
   * @param x points
   * @return NNGP features, one row per point
   */
  public double[][] nngp(double[][] x) {
    return features(plan(Checks.points("X", x), false), x);
  }

  /**
   * @param x points
   * @return NTK features, one row per point
   */
  public double[][] ntk(double[][] x) {
    return features(plan(Checks.points("X", x), true), x);
  }

  /**
   * @param plan a plan from {@link #plan}
   * @param x points of the plan's dimension
   * @return features, one row per point
   */
  public double[][] features(SketchPlan plan, double[][] x) {
    Checks.sameDimension("the sketch plan", plan.inputDim(), "X", Checks.points("X", x));
    try (Backends.Selection s = Backends.open(backend, options)) {
      return features(s.backend(), plan, x, progress);
    }
  }

  /**
   * The data-free CNTK sketch plan for images of a shape: the plan {@link #nngp(ImageBatch)} and
   * {@link #ntk(ImageBatch)} use.
   *
   * @param height image height
   * @param width image width
   * @param channels image channels
   * @param ntk NTK features (else NNGP)
   * @return the plan
   */
  public CntkSketch plan(int height, int width, int channels, boolean ntk) {
    return spec(ntk, height, width, channels).cntkPlan();
  }

  /**
   * Compiles a CNTK sketch plan for images of {@code data}'s shape with block widths adapted to its
   * first {@link CntkSketch#SAMPLE_IMAGES} images (rather than the data-free reference).
   *
   * @param data images (only the first are read), not modified
   * @param ntk NTK features (else NNGP)
   * @return the plan, reusable for other images of the same shape (e.g. a test set)
   */
  public CntkSketch plan(ImageBatch data, boolean ntk) {
    return CntkSketch.build(arch, data, options(ntk));
  }

  /**
   * @param x images
   * @return CNTK-sketch NNGP features, one row per image
   */
  public double[][] nngp(ImageBatch x) {
    return features(plan(x.height(), x.width(), x.channels(), false), x);
  }

  /**
   * @param x images
   * @return CNTK-sketch NTK features, one row per image
   */
  public double[][] ntk(ImageBatch x) {
    return features(plan(x.height(), x.width(), x.channels(), true), x);
  }

  /**
   * @param plan a plan from {@link #plan(ImageBatch, boolean)}
   * @param x images of the plan's shape
   * @return features, one row per image
   */
  public double[][] features(CntkSketch plan, ImageBatch x) {
    try (Backends.Selection s = Backends.open(backend, options)) {
      return features(s.backend(), plan, x, progress);
    }
  }

  /**
   * CNTK sketch features on an open backend, falling back to the CPU reference (explicitly, as
   * {@link #features(Backend, SketchPlan, double[][], Progress)}).
   *
   * @param open an open backend (not closed here)
   * @param plan the plan
   * @param x images of the plan's shape
   * @param progress progress sink (units: images)
   * @return features
   * @throws InvalidInputException if the images do not have the plan's shape
   */
  public static double[][] features(Backend open, CntkSketch plan, ImageBatch x,
      Progress progress) {
    if (x.height() != plan.height() || x.width() != plan.width() || x.channels() != plan.channels()) {
      throw new InvalidInputException("images must have the shape the sketch plan was built for (H, W, "
          + "C) = (" + plan.height() + ", " + plan.width() + ", " + plan.channels() + "), got "
          + x.shapeString());
    }
    double[][] f = open.features(plan, x, progress);
    if (f != null) {
      return f;
    }
    try (Backends.Selection cpu = Backends.open("cpu", BackendOptions.defaults())) {
      return cpu.backend().features(plan, x, progress);
    }
  }

  /**
   * Features on an open backend, falling back to the CPU reference when the backend has no sketch
   * implementation (explicitly: the fallback is the CPU backend's own code, opened here).
   *
   * @param open an open backend (not closed here)
   * @param plan the plan
   * @param x points
   * @param progress progress sink
   * @return features
   */
  public static double[][] features(Backend open, SketchPlan plan, double[][] x, Progress progress) {
    double[][] f = open.features(plan, x, progress);
    if (f != null) {
      return f;
    }
    try (Backends.Selection cpu = Backends.open("cpu", BackendOptions.defaults())) {
      return cpu.backend().features(plan, x, progress);
    }
  }
}
