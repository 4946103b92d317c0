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
}
