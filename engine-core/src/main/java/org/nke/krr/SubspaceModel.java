package org.nke.krr;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import org.nke.error.InvalidInputException;
import org.nke.io.SparseMatrix;
import org.nke.krr.Inference.Prediction;
import org.nke.krr.Inference.Uncertainty;
import org.nke.sketch.PlanSpec;
import org.nke.spi.Backend;
import org.nke.spi.Precision;
import org.nke.spi.Progress;

/**
 * Kernel ridge regression on the input-sparsity-time {@link org.nke.sketch.SubspaceEmbedding} of a
 * bias-free homogeneous network, for dense or sparse points: {@code f(x) = Φ(x)ᵀ W}. Predicts at
 * {@code t = ∞} only (it keeps no posterior).
 *
 * @param plan the subspace plan (options, input dimension)
 * @param ridge the relative ridge {@code λ}
 * @param targets the task (its fitted targets are not kept)
 * @param weights {@code W}, {@code p × c}
 * @param info free-form facts, in insertion order (copied; the accessor's map is modifiable)
 */
public record SubspaceModel(PlanSpec plan, double ridge, Targets targets, double[][] weights,
    Map<String, String> info) implements FeatureModel, PointsModel {
  /** Canonical constructor; copies the info map. */
  public SubspaceModel {
    info = new LinkedHashMap<>(info);
  }

  @Override
  public double[][] scores(double[][] x, Backend backend, Precision precision, Progress progress) {
    return scores(x, (SparseMatrix) null, (ForkJoinPool) null, progress);
  }

  /**
   * Scores of dense or sparse points (sparse rows are embedded in input-sparsity time).
   *
   * @param dense dense points, or {@code null}
   * @param sparse sparse points, or {@code null}
   * @param pool threads, or {@code null}
   * @param progress progress sink
   * @return scores, one row per point
   */
  public double[][] scores(double[][] dense, SparseMatrix sparse, ForkJoinPool pool,
      Progress progress) {
    SubspaceRidge.Rows rows = new SubspaceRidge.Rows(dense, sparse);
    if (rows.dim() != inputDim()) {
      throw new InvalidInputException(String.format(Locale.ROOT, "X must have the dimension of the "
          + "model's training data (%d), got %d", inputDim(), rows.dim()));
    }
    return rows.source(plan.embedding(), pool, progress).scores(rows.count(), weights);
  }

  /** @throws InvalidInputException always: a subspace model predicts at {@code t = ∞} only */
  @Override
  public List<Prediction> predict(double[][] x, double[] times, Uncertainty uncertainty,
      Backend backend, Precision precision, Progress progress) {
    throw new InvalidInputException("finite training times and uncertainty need an exact model or "
        + "a sketch model fitted with --uncertainty; this is a subspace model, which predicts at "
        + "t = inf only");
  }
}
