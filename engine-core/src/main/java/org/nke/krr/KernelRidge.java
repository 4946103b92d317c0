package org.nke.krr;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import org.nke.Sketches;
import org.nke.arch.Architecture;
import org.nke.error.InvalidInputException;
import org.nke.exact.ExactKernel;
import org.nke.exact.ExactKernel.Kind;
import org.nke.sketch.PlanSpec;
import org.nke.sketch.SketchOptions;
import org.nke.sketch.SketchPlan;
import org.nke.spi.Backend;
import org.nke.spi.Precision;
import org.nke.spi.Progress;
import org.nke.util.Checks;

/**
 * Kernel ridge regression and classification on exact kernels ({@link ExactRidge}) or on sketch
 * features ({@link FeatureRidge}; the dual form when there are fewer points than features). The ridge
 * is given, or chosen by exact leave-one-out on an evenly spaced subsample of up to
 * {@link #SELECTION_POINTS} points (for sketches, on the sketch kernel of the subsample).
 */
public final class KernelRidge {
  /** Largest sample used to choose the ridge by leave-one-out. */
  public static final int SELECTION_POINTS = 2000;
  /** Points per feature block. */
  public static final int BLOCK = 512;

  private KernelRidge() {
  }

  /**
   * The training rows whose features choose the ridge when none is given:
   * {@code ⌊i n / m⌋} for {@code i < m = min(n, SELECTION_POINTS)}, in increasing order. A
   * distributed fit that picks the same rows (by global row number) chooses the same ridge.
   *
   * @param n the number of training rows
   * @return the selection rows
   */
  public static long[] selectionRows(long n) {
    int m = (int) Math.min(n, SELECTION_POINTS);
    long[] idx = new long[m];
    for (int i = 0; i < m; i++) {
      idx[i] = Math.multiplyExact(i, n) / m;
    }
    return idx;
  }

  /**
   * Chooses the relative ridge on features: exact leave-one-out on the feature kernel
   * {@code K_S = F_S F_Sᵀ} of the {@link #selectionRows selection rows}, over {@link ExactRidge#GRID}
   * (the ridge relative to the mean of {@code diag K_S}), so that only one {@code p × p} Cholesky is
   * needed for the final primal solve.
   *
   * @param features the selection rows' features, in {@link #selectionRows} order, not modified
   * @param labels their labels
   * @param targets the task of the whole training set (its classes)
   * @param pool threads, or {@code null}
   * @param info facts to record ({@code ridge_selection}, {@code loo_<metric>}, for classes
   *     {@code loo_log_loss}), modified
   * @return the relative ridge
   */
  public static double chooseRidge(double[][] features, double[] labels, Targets targets,
      ForkJoinPool pool, Map<String, String> info) {
    double lambda = chooseCalibrated(features, labels, targets, pool, info);
    // the temperature goes into a model by LooSelection.calibrated, which callers of this do not use
    info.remove(LooSelection.TEMPERATURE);
    info.remove(LooSelection.TEMPERATURE_SELECTION);
    return lambda;
  }

  /** As {@link #chooseRidge}, leaving the classes' LOO temperature in {@code info}. */
  static double chooseCalibrated(double[][] features, double[] labels, Targets targets,
      ForkJoinPool pool, Map<String, String> info) {
    int rows = labels != null ? labels.length : targets.y().length;
    if (features.length != rows || features.length < 2) {
      throw new InvalidInputException("choosing the ridge needs at least 2 rows with one label each, "
          + "got " + features.length + " rows and " + rows + " labels");
    }
    double[][] k = new double[features.length][features.length];
    Syrk.accumulateUpper(features, k, pool);
    Syrk.symmetrize(k);
    return chooseByLoo(k, labels, targets.classification()
        ? Targets.classification(labels, targets.classes())
        : labels == null ? targets : Targets.of(labels), info);
  }

  static double chooseByLoo(double[][] k, double[] labels, Targets targets,
      Map<String, String> info) {
    return LooSelection.loo(k, labels, targets, ExactRidge.GRID, info);
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.6g", v);
  }

  /**
   * Fits on the exact kernel.
   *
   * @param arch a fully connected architecture
   * @param kind {@link Kind#NNGP} or {@link Kind#NTK}
   * @param x training points, not modified
   * @param labels one label per point
   * @param ridge relative ridge, or {@code null} to choose it
   * @param backend an open backend
   * @param precision kernel precision
   * @param progress progress sink
   * @return the model
   */
  public static RidgeModel fitExact(Architecture arch, Kind kind, double[][] x, double[] labels,
      Double ridge, Backend backend, Precision precision, Progress progress) {
    checkLabels(x, labels.length);
    return fitExact(arch, kind, x, Targets.of(labels), labels, ridge, backend, precision, progress);
  }

  /**
   * Fits on the exact kernel with labels of one or more columns ({@link Targets#of(double[][])}:
   * several columns are multi-output regression, one ridge for all of them).
   *
   * @param arch a fully connected architecture
   * @param kind {@link Kind#NNGP} or {@link Kind#NTK}
   * @param x training points, not modified
   * @param labels one row of labels per point ({@code n × k})
   * @param ridge relative ridge, or {@code null} to choose it
   * @param backend an open backend
   * @param precision kernel precision
   * @param progress progress sink
   * @return the model
   */
  public static RidgeModel fitExact(Architecture arch, Kind kind, double[][] x, double[][] labels,
      Double ridge, Backend backend, Precision precision, Progress progress) {
    if (labels.length > 0 && labels[0].length == 1) {
      return fitExact(arch, kind, x, column(labels), ridge, backend, precision, progress);
    }
    checkLabels(x, labels.length);
    return fitExact(arch, kind, x, Targets.of(labels), null, ridge, backend, precision, progress);
  }

  /** The only column of one-column labels. */
  static double[] column(double[][] labels) {
    double[] y = new double[labels.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = labels[i][0];
    }
    return y;
  }

  private static RidgeModel fitExact(Architecture arch, Kind kind, double[][] x, Targets targets,
      double[] labels, Double ridge, Backend backend, Precision precision, Progress progress) {
    int d = Checks.points("X", x);
    var pair = ExactKernel.compute(arch, x, null, kind, backend, precision, progress);
    double[][] k = (kind == Kind.NTK ? pair.ntk() : pair.nngp()).toArray();
    pair = null;
    Map<String, String> info = new LinkedHashMap<>();
    if (ridge == null) {
      progress.phase("choosing the ridge (leave-one-out)");
    }
    double lambda = ridge != null ? ridge : chooseByLoo(k, labels, targets, info);
    if (ridge != null) {
      LooSelection.calibrateAt(k, labels, targets, ridge, info);
    }
    progress.phase("solving (Cholesky of " + k.length + " x " + k.length + ")");
    double[][] alpha = ExactRidge.fit(k, targets.y(), lambda);
    double train = targets.scoreMetric(ExactRidge.scores(k, alpha), labels);
    info.put("train_" + targets.metricName(), fmt(train));
    info.put("train_points", Integer.toString(x.length));
    return new RidgeModel("exact", arch.describe(), kind.name().toLowerCase(Locale.ROOT), d, lambda,
        LooSelection.calibrated(targets, info), x, alpha, null, info);
  }

  private static void checkLabels(double[][] x, int labels) {
    if (labels != x.length) {
      throw new InvalidInputException("labels must have one value per point: " + x.length
          + " points, got " + labels + " labels");
    }
  }

  /**
   * Fits on the features of the data-free sketch plan ({@link SketchPlan#build(Architecture, int,
   * SketchOptions)}), so that the model's features of a point are those {@code nke features} and
   * {@link Sketches} give it with the same options.
   *
   * @param arch a fully connected architecture
   * @param options sketch budget, seed, kind, degree
   * @param x training points, not modified
   * @param labels one label per point
   * @param ridge relative ridge, or {@code null} to choose it
   * @param backend an open backend
   * @param pool threads for the {@code O(n p²)} accumulation, or {@code null}
   * @param progress progress sink (units: points)
   * @return the model
   */
  public static RidgeModel fitSketch(Architecture arch, SketchOptions options, double[][] x,
      double[] labels, Double ridge, Backend backend, ForkJoinPool pool, Progress progress) {
    int d = Checks.points("X", x);
    return fitSketch(PlanSpec.reference("sketch", arch, options, d), x, labels, ridge, backend, pool,
        progress);
  }

  /**
   * Fits on the features of a given plan (data-free, or adapted to a sample and kept in the model).
   *
   * @param spec a dense sketch plan of the points' dimension
   * @param x training points, not modified
   * @param labels one label per point
   * @param ridge relative ridge, or {@code null} to choose it
   * @param backend an open backend
   * @param pool threads for the {@code O(n p²)} accumulation, or {@code null}
   * @param progress progress sink (units: points)
   * @return the model, holding {@code spec}
   */
  public static RidgeModel fitSketch(PlanSpec spec, double[][] x, double[] labels, Double ridge,
      Backend backend, ForkJoinPool pool, Progress progress) {
    checkLabels(x, labels.length);
    return fitSketch(spec, x, Targets.of(labels), labels, ridge, backend, pool, progress);
  }

  /**
   * Fits on the features of a given plan with labels of one or more columns
   * ({@link Targets#of(double[][])}).
   *
   * @param spec a dense sketch plan of the points' dimension
   * @param x training points, not modified
   * @param labels one row of labels per point ({@code n × k})
   * @param ridge relative ridge, or {@code null} to choose it
   * @param backend an open backend
   * @param pool threads, or {@code null}
   * @param progress progress sink (units: points)
   * @return the model, holding {@code spec}
   */
  public static RidgeModel fitSketch(PlanSpec spec, double[][] x, double[][] labels, Double ridge,
      Backend backend, ForkJoinPool pool, Progress progress) {
    if (labels.length > 0 && labels[0].length == 1) {
      return fitSketch(spec, x, column(labels), ridge, backend, pool, progress);
    }
    checkLabels(x, labels.length);
    return fitSketch(spec, x, Targets.of(labels), null, ridge, backend, pool, progress);
  }

  private static RidgeModel fitSketch(PlanSpec spec, double[][] x, Targets targets, double[] labels,
      Double ridge, Backend backend, ForkJoinPool pool, Progress progress) {
    spec.checkShape("X", Checks.points("X", x));
    SketchPlan plan = spec.densePlan();
    int p = plan.outputDim();
    Map<String, String> info = new LinkedHashMap<>();
    double[] lambda = new double[1];
    double[][] w = ridgeOnFeatures(x.length, p, (from, to) -> Sketches.features(backend, plan,
        Arrays.copyOfRange(x, from, to), progress), labels, targets, ridge, pool, info, lambda);
    info.put("train_points", Integer.toString(x.length));
    return new RidgeModel("sketch", spec.architecture(), spec.kind(), spec.inputSize(), lambda[0],
        LooSelection.calibrated(targets, info), new double[0][], w, spec, info);
  }

  /** Features of training rows {@code from … to−1}. */
  @FunctionalInterface
  interface FeatureSource {
    /**
     * @param from first row
     * @param to end row
     * @return their features
     */
    double[][] rows(int from, int to);
  }

  /**
   * Ridge on features of {@code n} points: the dual form when {@code n ≤ p} (and {@code n ≤ 20,000}),
   * else the primal form with {@code FᵀF} accumulated block by block; the ridge, when not given, by
   * exact leave-one-out on the feature kernel of an evenly spaced subsample, so that only one
   * {@code p × p} Cholesky is needed.
   */
  static double[][] ridgeOnFeatures(int n, int p, FeatureSource source, double[] labels,
      Targets targets, Double ridge, ForkJoinPool pool, Map<String, String> info, double[] lambda) {
    info.put("features", Integer.toString(p));
    int c = targets.columns();
    if (n <= p && n <= 20000) {
      double[][] f = source.rows(0, n);
      double[][] k = new double[n][n];
      Syrk.accumulateUpper(f, k, pool);
      Syrk.symmetrize(k);
      lambda[0] = ridge != null ? ridge : chooseByLoo(k, labels, targets, info);
      if (ridge != null) {
        LooSelection.calibrateAt(k, labels, targets, ridge, info);
      }
      double[][] alpha = ExactRidge.fit(k, targets.y(), lambda[0]);
      double[][] w = new double[p][c];
      for (int r = 0; r < n; r++) {
        for (int i = 0; i < p; i++) {
          for (int t = 0; t < c; t++) {
            w[i][t] += f[r][i] * alpha[r][t];
          }
        }
      }
      info.put("form", "dual (" + n + " points <= " + p + " features)");
      return w;
    }
    FeatureRidge system = new FeatureRidge(p, c);
    long[] picks = ridge == null || targets.classification() ? selectionRows(n) : new long[0];
    double[][] picked = new double[picks.length][];
    int next = 0;
    for (int start = 0; start < n; start += BLOCK) {
      int end = Math.min(n, start + BLOCK);
      double[][] f = source.rows(start, end);
      system.add(f, Arrays.copyOfRange(targets.y(), start, end), pool);
      while (next < picks.length && picks[next] < end) {
        picked[next] = f[(int) picks[next] - start];
        next++;
      }
    }
    double[] pl = null;
    if (labels != null) {
      pl = new double[picks.length];
      for (int i = 0; i < picks.length; i++) {
        pl[i] = labels[(int) picks[i]];
      }
    }
    if (ridge != null) {
      lambda[0] = ridge;
      if (targets.classification()) {
        double[][] kp = new double[picked.length][picked.length];
        Syrk.accumulateUpper(picked, kp, pool);
        Syrk.symmetrize(kp);
        LooSelection.calibrateAt(kp, pl, Targets.classification(pl, targets.classes()), ridge, info);
      }
    } else {
      lambda[0] = chooseCalibrated(picked, pl, labels != null ? targets
          : targets.rows(toInts(picks), null), pool, info);
    }
    info.put("form", "primal (" + n + " points, " + p + " features)");
    return system.solve(lambda[0]);
  }

  private static int[] toInts(long[] rows) {
    int[] out = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = (int) rows[i];
    }
    return out;
  }

  /**
   * Scores of new points.
   *
   * @param model the model
   * @param x points of the model's input dimension, not modified
   * @param backend an open backend
   * @param precision kernel precision (exact models)
   * @param progress progress sink
   * @return scores, one row per point
   */
  public static double[][] scores(RidgeModel model, double[][] x, Backend backend,
      Precision precision, Progress progress) {
    Checks.sameDimension("the model's training data", model.inputDim(), "X", Checks.points("X", x));
    Architecture arch = Architecture.parse(model.architecture());
    if (!model.isSketch()) {
      Kind kind = Kind.parse(model.kernel());
      var k = ExactKernel.compute(arch, x, model.points(), kind, backend, precision, progress);
      return ExactRidge.scores((kind == Kind.NTK ? k.ntk() : k.nngp()).toArray(), model.weights());
    }
    if (model.method().equals("subspace")) {
      return SubspaceRidge.scores(model, x, null, null, progress);
    }
    SketchPlan plan = model.plan().densePlan();
    double[][] out = new double[x.length][];
    for (int start = 0; start < x.length; start += BLOCK) {
      int end = Math.min(x.length, start + BLOCK);
      double[][] f = Sketches.features(backend, plan, Arrays.copyOfRange(x, start, end), progress);
      double[][] s = FeatureRidge.scores(f, model.weights());
      System.arraycopy(s, 0, out, start, s.length);
    }
    return out;
  }
}
