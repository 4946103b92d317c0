package org.nke.spark;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.nke.arch.Architecture;
import org.nke.sketch.PlanMethod;
import org.nke.sketch.PlanSpec;
import org.nke.sketch.SketchOptions;
import org.nke.sketch.SketchPlan;

/**
 * Everything a {@link SketchPlan} is built from, in a form Spark can broadcast: the architecture
 * string, the input dimension {@code d}, the sketch options and the sample rows. A plan holds FFT
 * objects and is not serializable, but it is a pure function of these fields
 * ({@code SketchPlan.build(arch, d, options, sample)}: every random draw comes from the seed), so each
 * executor JVM rebuilds the same plan once ({@link ExecutorResources#plan}) and every point gets the
 * same features as in a single process, bit for bit.
 *
 * <p>Immutable: the sample is copied in and never handed out.
 */
public final class SketchSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String architecture;
  private final int inputDim;
  private final int dim;
  private final long seed;
  private final boolean ntk;
  private final int degree;
  private final double tailTolerance;
  private final double[][] sample;
  private final String key;

  /**
   * @param architecture an architecture string, kept as given (parsed here, so syntax errors surface
   *     on the driver)
   * @param options budget {@code m}, seed, kind, degree, tail tolerance
   * @param sample the rows the plan's widths are adapted to (e.g. the first {@code Sketches.SAMPLE}
   *     rows of the training data), at least one, all of the same length {@code d}; copied
   */
  public SketchSpec(String architecture, SketchOptions options, double[][] sample) {
    this(architecture, options, sample[0].length, sample);
  }

  /**
   * @param architecture an architecture string, kept as given (parsed here, so syntax errors surface
   *     on the driver)
   * @param options budget {@code m}, seed, kind, degree, tail tolerance
   * @param inputDim the input dimension {@code d}
   * @param sample the rows the plan's widths are adapted to, all of length {@code d}, or none for
   *     the data-free plan ({@code SketchPlan.build(arch, d, options)}, the default: features that
   *     do not depend on the rest of the data); copied
   */
  public SketchSpec(String architecture, SketchOptions options, int inputDim, double[][] sample) {
    Architecture.parse(architecture);
    this.architecture = architecture;
    this.inputDim = inputDim;
    this.dim = options.dim();
    this.seed = options.seed();
    this.ntk = options.ntk();
    this.degree = options.degree();
    this.tailTolerance = options.tailTolerance();
    this.sample = new double[sample.length][];
    for (int i = 0; i < sample.length; i++) {
      this.sample[i] = sample[i].clone();
    }
    this.key = digest();
  }

  /** @return the architecture string, as given */
  public String architecture() {
    return architecture;
  }

  /** @return the input dimension {@code d} */
  public int inputDim() {
    return inputDim;
  }

  /** @return the sketch options */
  public SketchOptions options() {
    return new SketchOptions(dim, seed, ntk, degree, tailTolerance);
  }

  /** @return a copy of the sample rows */
  public double[][] sample() {
    double[][] out = new double[sample.length][];
    for (int i = 0; i < sample.length; i++) {
      out[i] = sample[i].clone();
    }
    return out;
  }

  /**
   * A SHA-256 digest of every field (the sample by its bits), the cache key of the plan on executors.
   *
   * @return 64 hex digits
   */
  public String key() {
    return key;
  }

  /**
   * Builds the plan (a few milliseconds to a second: the Hermite coefficients and the random draws).
   * Executors call {@link ExecutorResources#plan} instead, which builds it once per JVM.
   *
   * @return the plan
   */
  public SketchPlan build() {
    return planSpec().densePlan();
  }

  /** @return the engine-core description of the same plan (as kept in a model) */
  public PlanSpec planSpec() {
    return new PlanSpec(PlanMethod.SKETCH, architecture, options(), new int[] {inputDim}, sample, null,
        false);
  }

  private String digest() {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(architecture.getBytes(StandardCharsets.UTF_8));
      ByteBuffer b = ByteBuffer.allocate(64);
      b.putInt(inputDim).putInt(dim).putLong(seed).putInt(ntk ? 1 : 0).putInt(degree)
          .putDouble(tailTolerance).putInt(sample.length);
      md.update(b.array(), 0, b.position());
      ByteBuffer row = ByteBuffer.allocate(8 * inputDim);
      for (double[] r : sample) {
        row.clear();
        for (double v : r) {
          row.putLong(Double.doubleToRawLongBits(v));
        }
        md.update(row.array(), 0, row.position());
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  @Override
  public String toString() {
    return "SketchSpec[" + architecture + ", d=" + inputDim + ", m=" + dim + ", seed=" + seed
        + (ntk ? ", ntk" : ", nngp") + ", degree=" + degree + ", " + sample.length + " sample rows]";
  }
}
