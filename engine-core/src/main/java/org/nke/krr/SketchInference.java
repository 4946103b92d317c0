package org.nke.krr;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipOutputStream;
import org.nke.error.InvalidInputException;
import org.nke.error.ResourceLimitException;
import org.nke.io.FlatJson;
import org.nke.ir.ImageBatch;
import org.nke.krr.Inference.Prediction;
import org.nke.krr.Inference.Uncertainty;
import org.nke.sketch.CntkSketch;
import org.nke.sketch.PlanSpec;
import org.nke.sketch.SketchOptions;
import org.nke.sketch.SketchPlan;
import org.nke.spi.Backend;
import org.nke.spi.Progress;

/**
 * Finite training times and uncertainty for sketch models, in the primal
 * ({@link FeatureEnsemblePosterior}; {@code shared/spec/cli.md}, "Inference"). The fit
 * ({@code nke fit --method sketch --uncertainty}, {@link RidgeFit#uncertainty}) accumulates the
 * posterior's products in the same single pass over the data as the ridge
 * ({@link FeatureRidge#solve}): {@code GᵀG},
 * {@code Gᵀy} and, for an NTK model, {@code GᵀF} with {@code F} the NNGP features of the plan's
 * {@link #nngpTwin NNGP twin} (same seed, budget and degree). Time is linear in the number of points;
 * the stored posterior is a {@code q × q} eigenbasis plus {@code q × k} projected targets (and a
 * {@code q × p} projected cross matrix for NTK), independent of {@code n}. Predictions cost
 * {@code O(q (p + k))} per test point and time, after {@code O(q² (p + k))} per time.
 *
 * <p>The ridge is the model's (relative to {@code mean ‖g(x_i)‖²}, as {@link FeatureRidge}'s), so at
 * {@code t = ∞} the mean is the model's ridge scores.
 */
public final class SketchInference {
  /** Model file entries of a stored posterior. */
  static final String VALUES = "posterior_values.npy";
  static final String VECTORS = "posterior_vectors.npy";
  static final String TARGETS = "posterior_targets.npy";
  static final String CROSS = "posterior_cross.npy";
  static final String SCALARS = "posterior_scalars.npy";

  private SketchInference() {
  }

  /**
   * @param spec a sketch plan
   * @return the same plan with the NNGP's options (same budget, seed, degree and tail tolerance):
   *     the NNGP features of an NTK model
   */
  public static PlanSpec nngpTwin(PlanSpec spec) {
    SketchOptions o = spec.options();
    return spec.withOptions(new SketchOptions(o.dim(), o.seed(), false, o.degree(),
        o.tailTolerance()));
  }

  /** {@code "q x d eigenbasis + q x p cross + q x k targets (N doubles, X MiB)"}. */
  static String describe(FeatureEnsemblePosterior.State s) {
    int q = s.values().length;
    String cross = s.projectedCross() == null ? "" : " + " + q + " x " + s.projectedCross()[0].length
        + " projected cross (NTK x NNGP features)";
    return String.format(Locale.ROOT, "%s ensemble, %d x %d eigenbasis%s + %d x %d projected targets"
        + " (%d doubles, %.1f MiB)", s.kind().name().toLowerCase(Locale.ROOT), q, s.vectors()[0].length,
        cross, q,
        s.projectedTargets()[0].length, s.doubles(), s.doubles() * 8 / 1048576.0);
  }

  /**
   * Refuses a fit whose posterior products, eigendecomposition and stored state would not fit in
   * the heap: about {@code 5 q² + 3 q p + 2 q k} doubles besides the ridge's own.
   */
  static void checkFitMemory(int q, int p, int k) {
    long need = 8L * (5L * q * q + 3L * q * p + 2L * q * k);
    Runtime rt = Runtime.getRuntime();
    long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    if (need > free || (long) q * q > Integer.MAX_VALUE / 2) {
      throw new ResourceLimitException("--uncertainty (the ensemble posterior of " + q
          + " features" + (p > 0 ? " and " + p + " NNGP features" : "") + ")", need, free,
          "lower --dim, give Java more memory (NKE_JAVA_OPTS=-Xmx...), or fit without --uncertainty "
          + "(t = inf predictions need only the ridge weights)");
    }
  }

  /**
   * {@link SketchModel#predict}.
   *
   * @param model a sketch model of points fitted with its posterior
   * @param x test points of the model's dimension, not modified
   * @param times training times, each {@code ≥ 0} or {@code +∞}
   * @param uncertainty what to compute besides the mean
   * @param backend an open backend
   * @param progress progress sink (units: points)
   * @return one prediction per time, in the given order
   */
  static List<Prediction> predict(SketchModel model, double[][] x, double[] times,
      Uncertainty uncertainty, Backend backend, Progress progress) {
    FeatureEnsemblePosterior posterior = posterior(model, times);
    SketchPlan twin = posterior.kind() == EnsembleKind.NTK && uncertainty != Uncertainty.NONE
        ? nngpTwin(model.plan()).densePlan() : null;
    return predict(posterior, x.length, times, uncertainty,
        FeatureSource.of(backend, model.plan().densePlan(), x, progress),
        twin == null ? null : FeatureSource.of(backend, twin, x, Progress.NONE));
  }

  /**
   * {@link CntkSketchModel#predict}.
   *
   * @param model a CNTK sketch model fitted with its posterior
   * @param x test images of the model's shape (standardised as its plan says), not modified
   * @param times training times, each {@code ≥ 0} or {@code +∞}
   * @param uncertainty what to compute besides the mean
   * @param backend an open backend
   * @param progress progress sink (units: images)
   * @return one prediction per time, in the given order
   */
  static List<Prediction> predict(CntkSketchModel model, ImageBatch x, double[] times,
      Uncertainty uncertainty, Backend backend, Progress progress) {
    FeatureEnsemblePosterior posterior = posterior(model, times);
    CntkSketch twin = posterior.kind() == EnsembleKind.NTK && uncertainty != Uncertainty.NONE
        ? nngpTwin(model.plan()).cntkPlan() : null;
    return predict(posterior, x.count(), times, uncertainty,
        FeatureSource.of(backend, model.plan().cntkPlan(), x, progress),
        twin == null ? null : FeatureSource.of(backend, twin, x, Progress.NONE));
  }

  private static FeatureEnsemblePosterior posterior(FeatureModel model, double[] times) {
    if (model.posterior() == null) {
      throw new InvalidInputException("finite training times and uncertainty need an exact model or "
          + "a sketch model fitted with --uncertainty (nke fit --method sketch --uncertainty); this "
          + "is a sketch model without a stored posterior");
    }
    for (double t : times) {
      if (!(t >= 0)) {
        throw new InvalidInputException("training times must be >= 0 (or inf), got " + t);
      }
    }
    return model.posterior();
  }

  /** Test features block by block; the covariance keeps them all (it is {@code m × m} anyway). */
  private static List<Prediction> predict(FeatureEnsemblePosterior posterior, int m, double[] times,
      Uncertainty uncertainty, FeatureSource model, FeatureSource nngp) {
    boolean covariance = uncertainty == Uncertainty.COVARIANCE;
    if (covariance) {
      Inference.checkCovarianceMemory(m, times.length);
    }
    List<FeatureEnsemblePosterior.AtTime> at = new ArrayList<>();
    double[][][] means = new double[times.length][m][];
    double[][] variances = new double[times.length][];
    for (int i = 0; i < times.length; i++) {
      at.add(posterior.at(times[i]));
      variances[i] = uncertainty == Uncertainty.VARIANCE ? new double[m] : null;
    }
    double[][] allModel = covariance ? new double[m][] : null;
    double[][] allNngp = covariance && nngp != null ? new double[m][] : null;
    for (int start = 0; start < m; start += KernelRidge.BLOCK) {
      int end = Math.min(m, start + KernelRidge.BLOCK);
      double[][] g = model.rows(start, end);
      double[][] f = nngp == null ? null : nngp.rows(start, end);
      for (int i = 0; i < times.length; i++) {
        System.arraycopy(at.get(i).mean(g), 0, means[i], start, end - start);
        if (variances[i] != null) {
          System.arraycopy(at.get(i).variance(g, f), 0, variances[i], start, end - start);
        }
      }
      if (covariance) {
        System.arraycopy(g, 0, allModel, start, end - start);
        if (f != null) {
          System.arraycopy(f, 0, allNngp, start, end - start);
        }
      }
    }
    List<Prediction> out = new ArrayList<>();
    for (int i = 0; i < times.length; i++) {
      out.add(new Prediction(times[i], means[i], variances[i],
          covariance ? at.get(i).covariance(allModel, allNngp) : null));
    }
    return out;
  }

  /**
   * Writes a model's posterior into its model file ({@link ModelFile}).
   *
   * @param zip the model file, open
   * @param posterior the posterior
   * @throws IOException on write errors
   */
  static void write(ZipOutputStream zip, FeatureEnsemblePosterior posterior) throws IOException {
    FeatureEnsemblePosterior.State s = posterior.state();
    FlatJson.putArray(zip, SCALARS, new double[][] {{s.labelCount(), s.shift()}});
    FlatJson.putArray(zip, VALUES, new double[][] {s.values()});
    FlatJson.putArray(zip, VECTORS, s.vectors());
    FlatJson.putArray(zip, TARGETS, s.projectedTargets());
    if (s.projectedCross() != null) {
      FlatJson.putArray(zip, CROSS, s.projectedCross());
    }
  }

  /**
   * @param entries a model file's entries
   * @param kernel the model's kernel ({@code nngp} or {@code ntk})
   * @param path the file, for messages
   * @return its stored posterior, or {@code null} when it has none
   */
  static FeatureEnsemblePosterior read(Map<String, byte[]> entries, String kernel, Path path) {
    if (!entries.containsKey(VECTORS)) {
      return null;
    }
    double[][] scalars = matrix(entries, SCALARS, path);
    double[][] values = matrix(entries, VALUES, path);
    if (scalars.length != 1 || scalars[0].length != 2 || values.length != 1) {
      throw new InvalidInputException(path + " must hold a 1 x 2 " + SCALARS + " and a 1 x q "
          + VALUES + " (an nke model file with a posterior)");
    }
    EnsembleKind kind = kernel.equals("ntk") ? EnsembleKind.NTK : EnsembleKind.NNGP;
    int q = values[0].length;
    double[][] vectors = matrix(entries, VECTORS, path);
    double[][] targets = matrix(entries, TARGETS, path);
    double[][] cross = kind == EnsembleKind.NTK ? matrix(entries, CROSS, path) : null;
    if (q == 0 || vectors.length != q || vectors[0].length < q || targets.length != q
        || cross != null && cross.length != q) {
      throw new InvalidInputException(path + " must hold a q x d " + VECTORS + " (d >= q), a q x k "
          + TARGETS
          + (cross != null ? " and a q x p " + CROSS : "") + " with q = " + q + " (from " + VALUES
          + "), got " + vectors.length + " x " + vectors[0].length + " and " + targets.length
          + " rows");
    }
    return FeatureEnsemblePosterior.of(new FeatureEnsemblePosterior.State(kind, scalars[0][0],
        scalars[0][1], values[0], vectors, targets, cross));
  }

  private static double[][] matrix(Map<String, byte[]> entries, String name, Path path) {
    byte[] b = entries.get(name);
    if (b == null) {
      throw new InvalidInputException(path + " must hold " + name + " (an nke model file with a "
          + "posterior)");
    }
    return FlatJson.matrix(b, path);
  }
}
