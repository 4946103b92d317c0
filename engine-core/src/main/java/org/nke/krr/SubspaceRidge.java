package org.nke.krr;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import org.nke.arch.Architecture;
import org.nke.error.InvalidInputException;
import org.nke.io.SparseMatrix;
import org.nke.sketch.PlanSpec;
import org.nke.sketch.SketchOptions;
import org.nke.sketch.SubspaceEmbedding;
import org.nke.spi.Progress;

/**
 * Kernel ridge regression on the input-sparsity-time {@link SubspaceEmbedding} of a bias-free
 * homogeneous network, for dense or sparse points; the ridge machinery is
 * {@link KernelRidge#ridgeOnFeatures}. Rows are embedded in parallel on the given pool.
 */
public final class SubspaceRidge {
  private SubspaceRidge() {
  }

  /** Dense rows or sparse rows, exactly one of them. */
  private record Rows(double[][] dense, SparseMatrix sparse) {
    int count() {
      return dense != null ? dense.length : sparse.rows();
    }

    int dim() {
      return dense != null ? dense[0].length : sparse.cols();
    }

    double[][] features(SubspaceEmbedding e, int from, int to, ForkJoinPool pool, Progress progress) {
      double[][] out = new double[to - from][];
      Runnable all = () -> IntStream.range(from, to).parallel().forEach(i -> {
        out[i - from] = dense != null ? e.features(dense[i]) : e.features(sparse, i);
        progress.advance(1);
      });
      if (pool == null) {
        all.run();
      } else {
        pool.submit(all).join();
      }
      return out;
    }
  }

  /**
   * @param arch a bias-free network with homogeneous activations
   * @param options budget, seed, kind, degree
   * @param dense dense training points, or {@code null}
   * @param sparse sparse training points, or {@code null}
   * @param labels one label per point
   * @param ridge relative ridge, or {@code null} to choose it
   * @param pool threads, or {@code null}
   * @param progress progress sink (units: points)
   * @return the model ({@code method = subspace})
   */
  public static RidgeModel fit(Architecture arch, SketchOptions options, double[][] dense,
      SparseMatrix sparse, double[] labels, Double ridge, ForkJoinPool pool, Progress progress) {
    Rows rows = new Rows(dense, sparse);
    if (labels.length != rows.count()) {
      throw new InvalidInputException("labels must have one value per point: " + rows.count()
          + " points, got " + labels.length + " labels");
    }
    PlanSpec spec = PlanSpec.reference("subspace", arch, options, rows.dim());
    SubspaceEmbedding e = spec.embedding();
    Targets targets = Targets.of(labels);
    Map<String, String> info = new LinkedHashMap<>();
    info.put("degree", Integer.toString(e.degree()));
    double[] lambda = new double[1];
    double[][] w = KernelRidge.ridgeOnFeatures(rows.count(), e.outputDim(),
        (from, to) -> rows.features(e, from, to, pool, progress), labels, targets, ridge, pool, info,
        lambda);
    info.put("train_points", Integer.toString(rows.count()));
    return new RidgeModel("subspace", spec.architecture(), spec.kind(), rows.dim(), lambda[0],
        LooSelection.calibrated(targets, info), new double[0][], w, spec, info);
  }

  /**
   * @param model a model from {@link #fit}
   * @param dense dense points, or {@code null}
   * @param sparse sparse points, or {@code null}
   * @param pool threads, or {@code null}
   * @param progress progress sink
   * @return scores, one row per point
   */
  public static double[][] scores(RidgeModel model, double[][] dense, SparseMatrix sparse,
      ForkJoinPool pool, Progress progress) {
    Rows rows = new Rows(dense, sparse);
    if (rows.dim() != model.inputDim()) {
      throw new InvalidInputException(String.format(Locale.ROOT, "X must have the dimension of the "
          + "model's training data (%d), got %d", model.inputDim(), rows.dim()));
    }
    SubspaceEmbedding e = model.plan().embedding();
    double[][] out = new double[rows.count()][];
    for (int start = 0; start < rows.count(); start += KernelRidge.BLOCK) {
      int end = Math.min(rows.count(), start + KernelRidge.BLOCK);
      double[][] s = FeatureRidge.scores(rows.features(e, start, end, pool, progress), model.weights());
      System.arraycopy(s, 0, out, start, s.length);
    }
    return out;
  }
}
