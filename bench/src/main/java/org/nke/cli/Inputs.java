package org.nke.cli;

import java.nio.file.Path;
import org.nke.io.DataFiles;
import org.nke.io.SparseMatrix;
import org.nke.io.SparseReaders;
import org.nke.util.Checks;

/**
 * Point files for the commands that accept sparse data: libsvm/svmlight text and scipy {@code .npz}
 * CSR files stay sparse (libsvm files bring their labels), anything else is read as dense points.
 */
final class Inputs {
  private Inputs() {
  }

  /**
   * Points, dense or sparse, and the labels a libsvm file carries.
   *
   * @param dense dense points, or {@code null}
   * @param sparse sparse points, or {@code null}
   * @param labels labels from the file, or {@code null}
   */
  record Loaded(double[][] dense, SparseMatrix sparse, double[] labels) {
    int count() {
      return dense != null ? dense.length : sparse.rows();
    }

    int dim() {
      return dense != null ? dense[0].length : sparse.cols();
    }

    /** The points as dense rows, refusing (exit code 5) when they would not fit in memory. */
    double[][] densify(String method) {
      if (dense != null) {
        return dense;
      }
      Checks.fitsInHeap(String.format(java.util.Locale.ROOT, "%d sparse points of dimension %d made "
          + "dense for --method %s", sparse.rows(), sparse.cols(), method),
          (long) sparse.rows() * sparse.cols() * 8,
          "use --method subspace, which works on sparse points directly");
      return sparse.toDense();
    }
  }

  /**
   * @param path a point file
   * @param dim dimension for libsvm files (0: the largest index)
   * @return the points
   */
  static Loaded read(Path path, int dim) {
    if (SparseReaders.accepts(path)) {
      SparseReaders.Labelled l = SparseReaders.read(path, dim);
      return new Loaded(null, l.points(), l.labels().length == l.points().rows() ? l.labels() : null);
    }
    return new Loaded(DataFiles.readPoints(path), null, null);
  }

  /**
   * The embedding's budget for a requested spectral accuracy (or the options unchanged).
   *
   * @param err where to say what was chosen
   * @param arch the network
   * @param in the points
   * @param options the options from the command line
   * @param epsilon requested accuracy, or {@code null} to keep {@code --dim}
   * @param ridge relative ridge for the estimate
   * @return options with the chosen budget
   */
  static org.nke.sketch.SketchOptions dimensionFor(java.io.PrintWriter err,
      org.nke.arch.Architecture arch, Loaded in, org.nke.sketch.SketchOptions options, Double epsilon,
      double ridge) {
    if (epsilon == null) {
      return options;
    }
    SparseMatrix sample = in.sparse() != null ? in.sparse()
        : SparseMatrix.of(java.util.Arrays.copyOf(in.dense(),
            Math.min(in.dense().length, org.nke.sketch.EmbeddingDimension.SAMPLE)));
    org.nke.sketch.EmbeddingDimension.Estimate e = org.nke.sketch.EmbeddingDimension.of(arch, sample,
        in.count(), options.ntk(), epsilon, ridge);
    org.nke.sketch.SketchOptions chosen = new org.nke.sketch.SketchOptions(e.features(),
        options.seed(), options.ntk(), options.degree(), options.tailTolerance());
    int written = org.nke.sketch.SubspaceEmbedding.build(arch, in.dim(), chosen).outputDim();
    err.println(String.format(java.util.Locale.ROOT, "nke: epsilon %.3g at ridge %.3g: statistical "
        + "dimension about %.0f, so --dim %d (%d features)", epsilon, ridge,
        e.statisticalDimension(), e.features(), written));
    if (e.capped()) {
      err.println("nke: warning: the budget was capped at " + org.nke.sketch.EmbeddingDimension.MAX_BUDGET
          + "; the requested epsilon is not guaranteed");
    }
    if (e.saturated()) {
      err.println(String.format(java.util.Locale.ROOT, "nke: warning: the statistical dimension is "
          + "close to the %d sampled points: the kernel is nearly diagonal at ridge %.3g, so the "
          + "estimate is a lower bound and the epsilon guarantee needs about as many features as "
          + "points; use a larger --ridge or a fixed --dim", e.sampled(), ridge));
    }
    return chosen;
  }
}
