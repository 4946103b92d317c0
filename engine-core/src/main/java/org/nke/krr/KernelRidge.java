package org.nke.krr;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import org.nke.Sketches;
import org.nke.arch.Architecture;
import org.nke.error.InvalidInputException;
import org.nke.exact.ExactKernel;
import org.nke.exact.ExactKernel.Kind;
import org.nke.sketch.SketchOptions;
import org.nke.sketch.SketchPlan;
import org.nke.spi.Backend;
import org.nke.spi.Precision;
import org.nke.spi.Progress;
import org.nke.util.Checks;

/**
 * Kernel ridge regression and classification on exact kernels ({@link ExactRidge}) or on sketch
 * features ({@link FeatureRidge}; the dual form when there are fewer points than features). The ridge
 * is given, or chosen: by exact leave-one-out on up to {@link #SELECTION_POINTS} points (exact, and
 * sketches in dual form), or on a held-out tenth of the points (sketches in primal form).
 */
public final class KernelRidge {
  /** Largest sample used to choose the ridge by leave-one-out. */
  public static final int SELECTION_POINTS = 2000;
  /** Points per feature block. */
  public static final int BLOCK = 512;
  /** Ridge grid for sketches in primal form (each value costs one Cholesky of {@code p × p}). */
  public static final double[] PRIMAL_GRID = {1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1};

  private KernelRidge() {
  }

  /** Evenly spaced indices, at most {@code max} of {@code n}. */
  private static int[] subsample(int n, int max) {
    int m = Math.min(n, max);
    int[] idx = new int[m];
    for (int i = 0; i < m; i++) {
      idx[i] = (int) ((long) i * n / m);
    }
    return idx;
  }

  private static double[][] sub(double[][] k, int[] idx) {
    double[][] s = new double[idx.length][idx.length];
    for (int a = 0; a < idx.length; a++) {
      for (int b = 0; b < idx.length; b++) {
        s[a][b] = k[idx[a]][idx[b]];
      }
    }
    return s;
  }

  private static double chooseByLoo(double[][] k, double[] labels, Targets targets,
      Map<String, String> info) {
    int[] idx = subsample(k.length, SELECTION_POINTS);
    double[] sl = new double[idx.length];
    for (int i = 0; i < idx.length; i++) {
      sl[i] = labels[idx[i]];
    }
    Targets st = targets.classification() ? Targets.classification(sl, targets.classes())
        : Targets.of(sl);
    double[] best = ExactRidge.looSelect(sub(k, idx), st, sl, ExactRidge.GRID);
    info.put("ridge_selection", "leave-one-out on " + idx.length + " points");
    info.put("loo_" + targets.metricName(), fmt(best[1]));
    return best[0];
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
    int d = Checks.points("X", x);
    checkLabels(x, labels);
    Targets targets = Targets.of(labels);
    var pair = ExactKernel.compute(arch, x, null, kind, backend, precision, progress);
    double[][] k = (kind == Kind.NTK ? pair.ntk() : pair.nngp()).toArray();
    pair = null;
    Map<String, String> info = new LinkedHashMap<>();
    double lambda = ridge != null ? ridge : chooseByLoo(k, labels, targets, info);
    double[][] alpha = ExactRidge.fit(k, targets.y(), lambda);
    double train = targets.metric(targets.decode(ExactRidge.scores(k, alpha)), labels);
    info.put("train_" + targets.metricName(), fmt(train));
    info.put("train_points", Integer.toString(x.length));
    return new RidgeModel("exact", arch.describe(), kind.name().toLowerCase(Locale.ROOT), d, lambda,
        targets, x, alpha, 0, 0, 0, info);
  }

  private static void checkLabels(double[][] x, double[] labels) {
    if (labels.length != x.length) {
      throw new InvalidInputException("labels must have one value per point: " + x.length
          + " points, got " + labels.length + " labels");
    }
  }

  /**
   * Fits on sketch features.
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
    checkLabels(x, labels);
    Targets targets = Targets.of(labels);
    double[][] sample = Arrays.copyOf(x, Math.min(Sketches.SAMPLE, x.length));
    SketchPlan plan = SketchPlan.build(arch, d, options, sample);
    int p = plan.outputDim();
    Map<String, String> info = new LinkedHashMap<>();
    info.put("features", Integer.toString(p));
    double lambda;
    double[][] w;
    if (x.length <= p && x.length <= 20000) {
      double[][] f = Sketches.features(backend, plan, x, progress);
      double[][] k = new double[x.length][x.length];
      Syrk.accumulateUpper(f, k, pool);
      Syrk.symmetrize(k);
      lambda = ridge != null ? ridge : chooseByLoo(k, labels, targets, info);
      double[][] alpha = ExactRidge.fit(k, targets.y(), lambda);
      w = new double[p][targets.columns()];
      for (int r = 0; r < f.length; r++) {
        for (int i = 0; i < p; i++) {
          for (int t = 0; t < targets.columns(); t++) {
            w[i][t] += f[r][i] * alpha[r][t];
          }
        }
      }
      info.put("form", "dual (" + x.length + " points <= " + p + " features)");
    } else {
      FeatureRidge train = new FeatureRidge(p, targets.columns());
      FeatureRidge held = new FeatureRidge(p, targets.columns());
      List<double[][]> heldFeatures = new ArrayList<>();
      List<double[]> heldLabels = new ArrayList<>();
      int heldMax = ridge == null ? SELECTION_POINTS : 0;
      for (int start = 0; start < x.length; start += BLOCK) {
        int end = Math.min(x.length, start + BLOCK);
        double[][] f = Sketches.features(backend, plan, Arrays.copyOfRange(x, start, end), progress);
        List<double[]> tf = new ArrayList<>();
        List<double[]> ty = new ArrayList<>();
        List<double[]> hf = new ArrayList<>();
        List<double[]> hy = new ArrayList<>();
        for (int r = 0; r < f.length; r++) {
          // heldLabels already counts this block's held rows: the first heldMax rows 9, 19, 29, …
          boolean hold = (start + r) % 10 == 9 && heldLabels.size() < heldMax;
          (hold ? hf : tf).add(f[r]);
          (hold ? hy : ty).add(targets.y()[start + r]);
          if (hold) {
            heldLabels.add(new double[] {labels[start + r]});
          }
        }
        train.add(tf.toArray(new double[0][]), ty.toArray(new double[0][]), pool);
        if (!hf.isEmpty()) {
          double[][] hfa = hf.toArray(new double[0][]);
          held.add(hfa, hy.toArray(new double[0][]), pool);
          heldFeatures.add(hfa);
        }
      }
      if (ridge != null) {
        lambda = ridge;
      } else {
        double[][] hf = heldFeatures.stream().flatMap(Arrays::stream).toArray(double[][]::new);
        double[] hl = heldLabels.stream().mapToDouble(v -> v[0]).toArray();
        lambda = PRIMAL_GRID[0];
        double best = Double.NaN;
        for (double l : PRIMAL_GRID) {
          double m = targets.metric(targets.decode(FeatureRidge.scores(hf, train.solve(l))), hl);
          if (Double.isNaN(best) || targets.better(m, best)) {
            best = m;
            lambda = l;
          }
        }
        info.put("ridge_selection", "held-out " + hl.length + " points");
        info.put("heldout_" + targets.metricName(), fmt(best));
      }
      train.add(held);
      w = train.solve(lambda);
      info.put("form", "primal (" + x.length + " points, " + p + " features)");
    }
    info.put("train_points", Integer.toString(x.length));
    return new RidgeModel("sketch", arch.describe(), options.ntk() ? "ntk" : "nngp", d, lambda,
        targets, sample, w, options.dim(), options.seed(), options.degree(), info);
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
    SketchOptions o = new SketchOptions(model.sketchDim(), model.seed(), model.kernel().equals("ntk"),
        model.degree(), SketchOptions.DEFAULT_TAIL);
    SketchPlan plan = SketchPlan.build(arch, model.inputDim(), o, model.points());
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
