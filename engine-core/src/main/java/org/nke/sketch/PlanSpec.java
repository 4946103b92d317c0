package org.nke.sketch;

import java.util.Arrays;
import java.util.Locale;
import org.nke.arch.Architecture;
import org.nke.error.InvalidInputException;
import org.nke.ir.ChannelStats;
import org.nke.ir.ImageBatch;

/**
 * Everything a feature map is built from, so that features made in different runs, processes or
 * machines compose: {@code ⟨Φ(x), Φ(y)⟩ ≈ K(x, y)} for {@code x} sketched in one run and {@code y} in
 * another. A plan is a pure function of these fields (every random draw comes from the seed):
 *
 * <ul>
 *   <li>{@code method}: {@link PlanMethod#SKETCH} (dense {@link SketchPlan}, or {@link CntkSketch}
 *   for images) or {@link PlanMethod#SUBSPACE} ({@link SubspaceEmbedding});</li>
 *   <li>the canonical architecture, the options (kind, budget {@code m}, seed, degree, tail
 *   tolerance) and the input shape ({@code {d}} for points, {@code {H, W, C}} for images);</li>
 *   <li>{@code sample}: the rows the block widths were adapted to, or none for the data-free reference
 *   ({@link SketchPlan#referenceInputVariances()}, {@link CntkSketch#referenceImages}), the
 *   default;</li>
 *   <li>{@code standardization}: per-channel statistics fitted to training images, applied to every
 *   image before its features, or {@code null};</li>
 *   <li>{@code exactDiagonal}: whether a CNTK sketch scales each image's features to its exact
 *   self-kernel ({@link CntkSketch#exactDiagonal()}; the default for images since it exists, and
 *   absent, so {@code false}, in plan and model files written before).</li>
 * </ul>
 *
 * Anything fitted to data (the sample, the statistics, a dimension chosen from the data's statistical
 * dimension) lives here, so it is written once ({@link PlanFile}, a model file) and never refitted.
 *
 * @param method sketch or subspace embedding
 * @param architecture the canonical architecture string
 * @param options kind, budget, seed, degree, tail tolerance
 * @param shape {@code {d}} or {@code {H, W, C}}
 * @param sample adaptation rows (points, or images flattened in HWC order); empty for the reference
 * @param standardization image channel statistics, or {@code null}
 * @param exactDiagonal whether the CNTK sketch scales each image's features to its exact self-kernel
 *     (only for {@link PlanMethod#SKETCH} of images)
 */
public record PlanSpec(PlanMethod method, String architecture, SketchOptions options, int[] shape,
    double[][] sample, ChannelStats standardization, boolean exactDiagonal) {
  /** Canonical constructor: validates and copies. */
  public PlanSpec {
    if (shape.length != 1 && shape.length != 3) {
      throw new IllegalArgumentException("shape must be {d} or {H, W, C}, got "
          + Arrays.toString(shape));
    }
    shape = shape.clone();
    int size = Arrays.stream(shape).reduce(1, Math::multiplyExact);
    double[][] copy = new double[sample.length][];
    for (int i = 0; i < sample.length; i++) {
      if (sample[i].length != size) {
        throw new IllegalArgumentException("sample rows must have " + size + " values, got "
            + sample[i].length + " at row " + i);
      }
      copy[i] = sample[i].clone();
    }
    sample = copy;
    if (standardization != null && (shape.length != 3 || standardization.channels() != shape[2])) {
      throw new IllegalArgumentException("standardization needs images with "
          + standardization.channels() + " channels, got shape " + Arrays.toString(shape));
    }
    if (method == PlanMethod.SUBSPACE && (shape.length != 1 || sample.length > 0)) {
      throw new IllegalArgumentException("the subspace embedding takes points and no sample");
    }
    if (exactDiagonal && (method != PlanMethod.SKETCH || shape.length != 3)) {
      throw new IllegalArgumentException("the exact diagonal is an option of the CNTK sketch of "
          + "images, not of a " + method + " of " + (shape.length == 3 ? "images" : "points"));
    }
  }

  /**
   * The data-free plan of a method; a CNTK sketch gets the exact diagonal where its pixel variances
   * are exact ({@link ExactDiagonal#availableFor}).
   *
   * @param method sketch or subspace embedding
   * @param arch the network
   * @param options kind, budget, seed, degree, tail tolerance
   * @param shape {@code {d}} or {@code {H, W, C}}
   * @return the spec
   */
  public static PlanSpec reference(PlanMethod method, Architecture arch, SketchOptions options,
      int... shape) {
    return new PlanSpec(method, arch.describe(), options, shape, new double[0][], null,
        method == PlanMethod.SKETCH && shape.length == 3
            && ExactDiagonal.availableFor(arch, shape[0], shape[1], shape[2]));
  }

  /**
   * @param rows adaptation rows (at most the first {@code limit} are kept), not modified
   * @param limit how many rows to keep
   * @return this spec adapted to those rows
   */
  public PlanSpec adaptedTo(double[][] rows, int limit) {
    return new PlanSpec(method, architecture, options, shape,
        Arrays.copyOf(rows, Math.min(limit, rows.length)), standardization, exactDiagonal);
  }

  /**
   * @param stats image channel statistics, or {@code null}
   * @return this spec with that standardization
   */
  public PlanSpec withStandardization(ChannelStats stats) {
    return new PlanSpec(method, architecture, options, shape, sample, stats, exactDiagonal);
  }

  /**
   * @param o new options
   * @return this spec with those options
   */
  public PlanSpec withOptions(SketchOptions o) {
    return new PlanSpec(method, architecture, o, shape, sample, standardization, exactDiagonal);
  }

  /**
   * @param exact whether the CNTK sketch scales each image's features to its exact self-kernel
   *     ({@code false}: unbiased features)
   * @return this plan with that choice
   * @throws IllegalArgumentException for {@code true} on a plan that is not a sketch of images
   */
  public PlanSpec withExactDiagonal(boolean exact) {
    return new PlanSpec(method, architecture, options, shape, sample, standardization, exact);
  }

  /** @return the shape (a copy) */
  @Override
  public int[] shape() {
    return shape.clone();
  }

  /** @return the adaptation rows (a copy) */
  @Override
  public double[][] sample() {
    double[][] copy = new double[sample.length][];
    for (int i = 0; i < sample.length; i++) {
      copy[i] = sample[i].clone();
    }
    return copy;
  }

  /** @return whether the plan is for images */
  public boolean images() {
    return shape.length == 3;
  }

  /** @return whether the block widths were adapted to data (else the data-free reference) */
  public boolean adapted() {
    return sample.length > 0;
  }

  /** @return {@code nngp} or {@code ntk} */
  public String kind() {
    return options.ntk() ? "ntk" : "nngp";
  }

  /** @return the input dimension {@code d}, or {@code H·W·C} for images */
  public int inputSize() {
    return Arrays.stream(shape).reduce(1, Math::multiplyExact);
  }

  /** @return the dense sketch plan this spec describes */
  public SketchPlan densePlan() {
    require(PlanMethod.SKETCH, false);
    Architecture arch = Architecture.parse(architecture);
    return adapted() ? SketchPlan.build(arch, shape[0], options, sample)
        : SketchPlan.build(arch, shape[0], options);
  }

  /** @return the CNTK sketch plan this spec describes */
  public CntkSketch cntkPlan() {
    require(PlanMethod.SKETCH, true);
    Architecture arch = Architecture.parse(architecture);
    return (adapted()
        ? CntkSketch.build(arch, ImageBatch.ofPoints(sample, shape[0], shape[1], shape[2]), options)
        : CntkSketch.build(arch, shape[0], shape[1], shape[2], options))
        .withExactDiagonal(exactDiagonal);
  }

  /** @return the subspace embedding this spec describes */
  public SubspaceEmbedding embedding() {
    require(PlanMethod.SUBSPACE, false);
    return SubspaceEmbedding.build(Architecture.parse(architecture), shape[0], options);
  }

  private void require(PlanMethod m, boolean img) {
    if (method != m || images() != img) {
      throw new IllegalStateException("this plan is a " + describe() + ", not a " + m
          + (img ? " of images" : " of points"));
    }
  }

  /**
   * Checks that data of the given shape can take these features.
   *
   * @param what the data's name (e.g. a file)
   * @param dataShape {@code {d}} or {@code {H, W, C}}
   * @throws InvalidInputException if the shapes differ
   */
  public void checkShape(String what, int... dataShape) {
    if (!Arrays.equals(shape, dataShape)) {
      throw new InvalidInputException(String.format(Locale.ROOT, "%s must have the shape the plan "
          + "was made for, %s, got %s", what, shapeString(shape), shapeString(dataShape)));
    }
  }

  private static String shapeString(int[] s) {
    return s.length == 1 ? "d = " + s[0] : "(H, W, C) = (" + s[0] + ", " + s[1] + ", " + s[2] + ")";
  }

  /** @return a one-line description, e.g. {@code ntk sketch (m = 4096, seed 0, data-free widths)} */
  public String describe() {
    return String.format(Locale.ROOT, "%s %s of %s (m = %d, seed %d, degree %s, %s%s%s)", kind(),
        method, images() ? "images" : "points", options.dim(), options.seed(),
        options.degree() == 0 ? "auto" : Integer.toString(options.degree()),
        adapted() ? "widths adapted to " + sample.length + " rows" : "data-free widths",
        standardization != null ? ", standardised channels" : "",
        images() && method == PlanMethod.SKETCH ? (exactDiagonal ? ", exact diagonal"
            : ", sketched diagonal") : "");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PlanSpec p && method.equals(p.method) && architecture.equals(p.architecture)
        && options.equals(p.options) && Arrays.equals(shape, p.shape)
        && Arrays.deepEquals(sample, p.sample) && exactDiagonal == p.exactDiagonal
        && (standardization == null ? p.standardization == null : p.standardization != null
            && Arrays.equals(standardization.mean(), p.standardization.mean())
            && Arrays.equals(standardization.std(), p.standardization.std()));
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(method, architecture, options, Arrays.hashCode(shape),
        Arrays.deepHashCode(sample), exactDiagonal);
  }

  @Override
  public String toString() {
    return describe();
  }
}
