package org.nke.krr;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import org.nke.Kernels;
import org.nke.arch.Architecture;
import org.nke.error.InvalidInputException;
import org.nke.exact.ExactKernel.Kind;
import org.nke.exact.ExactKernel;
import org.nke.io.SparseMatrix;
import org.nke.ir.ImageBatch;
import org.nke.sketch.CntkSketch;
import org.nke.sketch.PlanSpec;
import org.nke.sketch.SketchPlan;
import org.nke.spi.Backend;
import org.nke.spi.Precision;
import org.nke.spi.Progress;
import org.nke.util.Checks;

/**
 * Fits kernel ridge models: one immutable object holding how to fit (backend, precision, threads,
 * progress, ridge, whether to keep the ensemble posterior), and one method per featurizer, each
 * returning its typed model. The inputs (points, images, labels) are not modified; a model keeps a
 * reference to the training points it needs (exact models).
 *
 * <pre>{@code
 * ExactPointsModel m = RidgeFit.on(backend).ridge(1e-3).exact(arch, Kind.NTK, x, labels);
 * double[][] scores = m.scores(test, backend, Precision.F64, Progress.NONE);
 * }</pre>
 *
 * Labels are {@code n × k}: one column of integers is classes, one column of other numbers a
 * regression, several columns multi-output regression (one ridge for all, chosen by the
 * leave-one-out MSE over all entries). Without a ridge it is chosen by exact leave-one-out
 * ({@link KernelRidge}); for classes the softmax temperature of class probabilities is chosen too
 * ({@link LooSelection}).
 */
public final class RidgeFit {
  private final Backend backend;
  private final Precision precision;
  private final ForkJoinPool pool;
  private final Progress progress;
  private final Double ridge;
  private final boolean uncertainty;

  private RidgeFit(Backend backend, Precision precision, ForkJoinPool pool, Progress progress,
      Double ridge, boolean uncertainty) {
    this.backend = backend;
    this.precision = precision;
    this.pool = pool;
    this.progress = progress;
    this.ridge = ridge;
    this.uncertainty = uncertainty;
  }

  /**
   * @param backend an open backend (not closed here)
   * @return a fit on it: float64, this thread, no progress, ridge chosen, no posterior
   */
  public static RidgeFit on(Backend backend) {
    return new RidgeFit(backend, Precision.F64, null, Progress.NONE, null, false);
  }

  /** @param p kernel precision of exact fits @return this fit with it */
  public RidgeFit precision(Precision p) {
    return new RidgeFit(backend, p, pool, progress, ridge, uncertainty);
  }

  /** @param p threads for the {@code O(n p²)} products of feature fits, or {@code null} @return this fit with them */
  public RidgeFit pool(ForkJoinPool p) {
    return new RidgeFit(backend, precision, p, progress, ridge, uncertainty);
  }

  /** @param p progress sink (exact: kernel units; features: points) @return this fit with it */
  public RidgeFit progress(Progress p) {
    return new RidgeFit(backend, precision, pool, p, ridge, uncertainty);
  }

  /**
   * @param lambda the relative ridge {@code λ > 0}, or {@code null} to choose it by leave-one-out
   * @return this fit with it
   * @throws InvalidInputException if {@code λ ≤ 0} or not finite
   */
  public RidgeFit ridge(Double lambda) {
    if (lambda != null && !(lambda > 0 && lambda < Double.POSITIVE_INFINITY)) {
      throw new InvalidInputException("the ridge must be positive and finite, got " + lambda);
    }
    return new RidgeFit(backend, precision, pool, progress, lambda, uncertainty);
  }

  /**
   * @param keep whether sketch fits also keep the primal ensemble posterior ({@link SketchInference};
   *     exact models always can predict at finite times, subspace models never)
   * @return this fit with it
   */
  public RidgeFit uncertainty(boolean keep) {
    return new RidgeFit(backend, precision, pool, progress, ridge, keep);
  }

  /**
   * @param labels one label per point
   * @return them as an {@code n × 1} matrix, as the fits take labels
   */
  public static double[][] column(double[] labels) {
    double[][] out = new double[labels.length][];
    for (int i = 0; i < out.length; i++) {
      out[i] = new double[] {labels[i]};
    }
    return out;
  }

  /** The only column of one-column labels. */
  static double[] column(double[][] labels) {
    double[] y = new double[labels.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = labels[i][0];
    }
    return y;
  }

  /**
   * Fits on the exact kernel of a fully connected network.
   *
   * @param arch a fully connected architecture
   * @param kind {@link Kind#NNGP} or {@link Kind#NTK}
   * @param x training points
   * @param labels one row of labels per point
   * @return the model
   */
  public ExactPointsModel exact(Architecture arch, Kind kind, double[][] x, double[][] labels) {
    Checks.points("X", x);
    Labels l = Labels.of(x.length, labels, "point");
    var pair = ExactKernel.compute(arch, x, null, kind, backend, precision, progress);
    Map<String, String> info = new LinkedHashMap<>();
    Exact s = exact(kind == Kind.NTK ? pair.ntk().toArray() : pair.nngp().toArray(), l, info);
    return new ExactPointsModel(arch.describe(), kind, s.ridge(),
        LooSelection.calibrated(l.targets(), info), x, s.alpha(), info);
  }

  /**
   * Fits on the exact CNTK of a convolutional network.
   *
   * @param arch a convolutional architecture
   * @param kind {@link Kind#NNGP} or {@link Kind#NTK}
   * @param x training images (standardised, if they are to be)
   * @param labels one row of labels per image
   * @return the model
   */
  public ExactImagesModel exact(Architecture arch, Kind kind, ImageBatch x, double[][] labels) {
    Labels l = Labels.of(x.count(), labels, "image");
    var pair = Kernels.of(arch).withPrecision(precision).withProgress(progress)
        .compute(backend, x, null, kind);
    Map<String, String> info = shapeInfo(x);
    Exact s = exact(kind == Kind.NTK ? pair.ntk().toArray() : pair.nngp().toArray(), l, info);
    return new ExactImagesModel(arch.describe(), kind, s.ridge(),
        LooSelection.calibrated(l.targets(), info), x, s.alpha(), info);
  }

  /**
   * Fits on the features of a dense sketch plan (data-free or adapted), so that the model's features
   * of a point are those {@code nke features} and {@link org.nke.Sketches} give it with the same
   * plan; with {@link #uncertainty} also the primal posterior, in the same single pass.
   *
   * @param spec a dense sketch plan of the points' dimension
   * @param x training points
   * @param labels one row of labels per point
   * @return the model, holding {@code spec}
   */
  public SketchModel sketch(PlanSpec spec, double[][] x, double[][] labels) {
    spec.checkShape("X", Checks.points("X", x));
    Labels l = Labels.of(x.length, labels, "point");
    SketchPlan plan = spec.densePlan();
    SketchPlan twin = uncertainty && spec.options().ntk()
        ? SketchInference.nngpTwin(spec).densePlan() : null;
    Map<String, String> info = new LinkedHashMap<>();
    Features f = features(x.length, plan.outputDim(), FeatureSource.of(backend, plan, x, progress),
        twin == null ? 0 : twin.outputDim(),
        twin == null ? null : FeatureSource.of(backend, twin, x, Progress.NONE), l, info);
    return new SketchModel(spec, f.solution().ridge(), LooSelection.calibrated(l.targets(), info),
        f.solution().weights(), info, f.posterior());
  }

  /**
   * Fits on the features of a CNTK sketch plan. The images are taken as they are: a plan's
   * standardization, if any, must already have been applied to {@code x}.
   *
   * @param spec a CNTK sketch plan of the images' shape
   * @param x training images
   * @param labels one row of labels per image
   * @return the model, holding {@code spec}
   */
  public CntkSketchModel sketch(PlanSpec spec, ImageBatch x, double[][] labels) {
    spec.checkShape("the images", x.height(), x.width(), x.channels());
    Labels l = Labels.of(x.count(), labels, "image");
    CntkSketch plan = spec.cntkPlan();
    CntkSketch twin = uncertainty && spec.options().ntk()
        ? SketchInference.nngpTwin(spec).cntkPlan() : null;
    Map<String, String> info = shapeInfo(x);
    Features f = features(x.count(), plan.outputDim(), FeatureSource.of(backend, plan, x, progress),
        twin == null ? 0 : twin.outputDim(),
        twin == null ? null : FeatureSource.of(backend, twin, x, Progress.NONE), l, info);
    return new CntkSketchModel(spec, f.solution().ridge(),
        LooSelection.calibrated(l.targets(), info), f.solution().weights(), info, f.posterior());
  }

  /**
   * Fits on the subspace embedding of dense or sparse points (rows embedded in parallel on the
   * pool).
   *
   * @param spec a subspace plan of the points' dimension
   * @param dense dense training points, or {@code null}
   * @param sparse sparse training points, or {@code null}
   * @param labels one row of labels per point
   * @return the model, holding {@code spec}
   * @throws InvalidInputException with {@link #uncertainty} (a subspace model has no posterior)
   */
  public SubspaceModel subspace(PlanSpec spec, double[][] dense, SparseMatrix sparse,
      double[][] labels) {
    if (uncertainty) {
      throw new InvalidInputException("the ensemble posterior (uncertainty) needs a sketch model, "
          + "got a subspace plan");
    }
    SubspaceRidge.Rows rows = new SubspaceRidge.Rows(dense, sparse);
    spec.checkShape("X", rows.dim());
    Labels l = Labels.of(rows.count(), labels, "point");
    var e = spec.embedding();
    Map<String, String> info = new LinkedHashMap<>();
    info.put("degree", Integer.toString(e.degree()));
    Features f = features(rows.count(), e.outputDim(), rows.source(e, pool, progress), 0, null, l,
        info);
    return new SubspaceModel(spec, f.solution().ridge(), LooSelection.calibrated(l.targets(), info),
        f.solution().weights(), info);
  }

  /** The ridge and dual coefficients of an exact fit. */
  private record Exact(double ridge, double[][] alpha) {
  }

  /** An exact fit on the training kernel {@code k}: ridge, solve, training metric. */
  private Exact exact(double[][] k, Labels l, Map<String, String> info) {
    Targets targets = l.targets();
    if (ridge == null) {
      progress.phase("choosing the ridge (leave-one-out)");
    }
    double lambda = ridge != null ? ridge : KernelRidge.chooseByLoo(k, l.truth(), targets, info);
    if (ridge != null) {
      LooSelection.calibrateAt(k, l.truth(), targets, ridge, info);
    }
    progress.phase("solving (Cholesky of " + k.length + " x " + k.length + ")");
    double[][] alpha = ExactRidge.fit(k, targets.y(), lambda);
    double train = targets.scoreMetric(ExactRidge.scores(k, alpha), l.truth());
    info.put("train_" + targets.metricName(), String.format(Locale.ROOT, "%.6g", train));
    info.put("train_points", Integer.toString(k.length));
    return new Exact(lambda, alpha);
  }

  /** The ridge solution of a feature fit, and its posterior ({@code null} without one). */
  private record Features(FeatureRidge.Solution solution, FeatureEnsemblePosterior posterior) {
  }

  /**
   * A fit on features ({@link FeatureRidge#solve}) that, with {@link #uncertainty}, also accumulates
   * the posterior's products ({@code GᵀG}, {@code Gᵀy}, and {@code GᵀF} with the NNGP twin's
   * features {@code nngp} for an NTK model) from the same blocks.
   *
   * @param q the model's feature count
   * @param p the NNGP twin's feature count (0 without a twin)
   */
  private Features features(int n, int q, FeatureSource model, int p, FeatureSource nngp, Labels l,
      Map<String, String> info) {
    FeatureSource source = model;
    PosteriorSums acc = null;
    if (uncertainty) {
      int k = l.targets().columns();
      SketchInference.checkFitMemory(q, p, k);
      EnsembleKind kind = nngp == null ? EnsembleKind.NNGP : EnsembleKind.NTK;
      PosteriorSums a = nngp == null
          ? FeatureEnsemblePosterior.accumulator(kind, q, 0, k)
          : FeatureEnsemblePosterior.accumulator(kind, p, q, k);
      a.pool(pool);
      double[][] y = l.targets().y();
      source = (from, to) -> {
        double[][] g = model.rows(from, to);
        double[][] block = Arrays.copyOfRange(y, from, to);
        if (nngp == null) {
          a.add(g, null, block);
        } else {
          a.add(nngp.rows(from, to), g, block);
        }
        return g;
      };
      acc = a;
    }
    FeatureRidge.Solution s = FeatureRidge.solve(n, q, source, l.truth(), l.targets(), ridge, pool,
        info);
    FeatureEnsemblePosterior posterior = acc == null ? null : acc.build(s.ridge());
    info.put("train_points", Integer.toString(n));
    if (posterior != null) {
      info.put("posterior", SketchInference.describe(posterior.state()));
    }
    return new Features(s, posterior);
  }

  private static Map<String, String> shapeInfo(ImageBatch x) {
    Map<String, String> info = new LinkedHashMap<>();
    info.put(ImageRidge.SHAPE, x.height() + "," + x.width() + "," + x.channels());
    return info;
  }
}
