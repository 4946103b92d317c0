package org.nke.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import org.nke.io.DataFiles;
import org.nke.io.InputData;
import org.nke.io.SparseMatrix;
import org.nke.io.SparseReaders;
import org.nke.util.Checks;

/**
 * Point files for the commands that accept sparse data: libsvm/svmlight text and scipy {@code .npz}
 * CSR files stay sparse (libsvm files bring their labels), anything else is read as dense points.
 */
final class Inputs {
  /**
   * Model info key: how the training libsvm file's indices were read ({@code zero} or {@code one}),
   * so that {@code nke predict} reads test files the same way.
   */
  static final String INDEX_BASE = "libsvm_index_base";

  private Inputs() {
  }

  /**
   * Points, dense or sparse, and the labels a libsvm file carries.
   *
   * @param dense dense points, or {@code null}
   * @param sparse sparse points, or {@code null}
   * @param labels labels from the file, or {@code null}
   * @param base how a libsvm file's indices were read, or {@code null} for other files
   */
  record Loaded(double[][] dense, SparseMatrix sparse, double[] labels, SparseReaders.IndexBase base) {
    int count() {
      return dense != null ? dense.length : sparse.rows();
    }

    int dim() {
      return dense != null ? dense[0].length : sparse.cols();
    }

    /**
     * The points as dense rows, refusing (exit code 5) when they would not fit in memory.
     *
     * @param purpose what needs them dense, e.g. {@code --method exact} or {@code nke kernel}
     */
    double[][] densify(String purpose) {
      if (dense != null) {
        return dense;
      }
      Checks.fitsInHeap(String.format(Locale.ROOT, "%d sparse points of dimension %d made dense for %s",
          sparse.rows(), sparse.cols(), purpose), (long) sparse.rows() * sparse.cols() * 8,
          "use --method subspace (nke features, nke fit), which works on sparse points directly");
      return sparse.toDense();
    }

    /**
     * @param d a dimension
     * @return libsvm points with {@code d} columns when that is more than their largest index (a
     *     libsvm file does not state its dimension), or these points
     */
    Loaded widened(int d) {
      return base == null || d <= sparse.cols() ? this : new Loaded(null, new SparseMatrix(
          sparse.rows(), d, sparse.indptr(), sparse.indices(), sparse.values()), labels, base);
    }
  }

  /**
   * Reads training points (or any points not tied to a model); libsvm indices are zero-based when an
   * index 0 occurs, as said on {@code err}.
   *
   * @param err where notes go
   * @param path a point file
   * @return the points
   */
  static Loaded read(PrintWriter err, Path path) {
    if (!SparseReaders.accepts(path)) {
      return new Loaded(DataFiles.readPoints(path), null, null, null);
    }
    SparseReaders.Labelled l = SparseReaders.read(path, 0);
    if (l.sawZero()) {
      err.println("nke: " + path + " has feature index 0, so its libsvm indices are read as "
          + "zero-based (as scikit-learn's dump_svmlight_file writes them)");
    }
    return loaded(l);
  }

  /**
   * Reads points for a model: libsvm indices numbered as in the model's training file (when it
   * recorded that), features the model has not seen dropped with a warning on {@code err}.
   *
   * @param err where warnings go
   * @param path a point file
   * @param model the model's input dimension
   * @param info the model's info
   * @return the points
   */
  static Loaded readFor(PrintWriter err, Path path, int model, java.util.Map<String, String> info) {
    if (!SparseReaders.accepts(path)) {
      return new Loaded(DataFiles.readPoints(path), null, null, null);
    }
    String base = info.get(INDEX_BASE);
    SparseReaders.Labelled l = SparseReaders.read(path, model, base == null ? SparseReaders.IndexBase.AUTO
        : SparseReaders.IndexBase.valueOf(base.toUpperCase(Locale.ROOT)));
    if (l.ignoredValues() > 0) {
      err.println(String.format(Locale.ROOT, "nke: warning: %s: ignored %d non-zeros in %d rows at "
          + "features the model has not seen: indices beyond its input dimension %d (set by its "
          + "training data)%s", path, l.ignoredValues(), l.ignoredRows(), model,
          l.sawZero() && l.base() == SparseReaders.IndexBase.ONE ? " or index 0 (its training file "
          + "had no index 0, so indices are read as one-based)" : ""));
    } else if (l.sawZero() && base == null) {
      err.println("nke: " + path + " has feature index 0, so its libsvm indices are read as zero-based");
    }
    return loaded(l);
  }

  /**
   * Reads a labels file that may have several columns (multi-output regression).
   *
   * @param labels the labels file
   * @param x the file of the points or images
   * @param count how many points or images X has
   * @param unit {@code point} or {@code image}
   * @return one row of labels per row of X ({@code n × k})
   * @throws org.nke.error.InvalidInputException naming both files when the counts differ
   */
  static double[][] labelColumns(Path labels, Path x, int count, String unit) {
    double[][] y = DataFiles.readLabelColumns(labels);
    if (y.length != count) {
      throw new org.nke.error.InvalidInputException(String.format(Locale.ROOT, "%s must have one label "
          + "per %s of %s: %d %ss, got %d labels", labels, unit, x, count, unit, y.length));
    }
    return y;
  }

  /**
   * @param y labels, one row per point
   * @return their only column, or {@code null} when they have several
   */
  static double[] single(double[][] y) {
    if (y.length > 0 && y[0].length != 1) {
      return null;
    }
    double[] out = new double[y.length];
    for (int i = 0; i < y.length; i++) {
      out[i] = y[i][0];
    }
    return out;
  }

  /**
   * X and Y for a command that needs dense rows ({@code nke kernel}): sparse files are made dense
   * when they fit in memory, a libsvm file widened to the other file's dimension; other files are
   * read as {@link DataFiles#readInput} does.
   *
   * @param err where notes go
   * @param x the first file
   * @param y the second file, or {@code null}
   * @param purpose what needs dense rows, for the memory message
   * @return the inputs of X and Y ({@code null} without Y)
   */
  static InputData[] dense(PrintWriter err, Path x, Path y, String purpose) {
    Loaded sx = SparseReaders.accepts(x) ? read(err, x) : null;
    Loaded sy = y != null && SparseReaders.accepts(y) ? read(err, y) : null;
    if (sx != null && sy != null && sx.base() != null && sy.base() != null
        && sx.base() != sy.base()) {
      // one libsvm file has index 0, so both are zero-based (the other merely lacks index 0)
      boolean xZero = sx.base() == SparseReaders.IndexBase.ZERO;
      Path other = xZero ? y : x;
      Loaded again = loaded(SparseReaders.read(other, 0, SparseReaders.IndexBase.ZERO));
      err.println("nke: " + other + " is read as zero-based too, as " + (xZero ? x : y));
      sx = xZero ? sx : again;
      sy = xZero ? again : sy;
    }
    InputData dx = sx == null ? DataFiles.readInput(x) : null;
    InputData dy = y == null || sy != null ? null : DataFiles.readInput(y);
    int d = Math.max(width(sx, dx), width(sy, dy));
    return new InputData[] {dx != null ? dx : InputData.ofPoints(sx.widened(d).densify(purpose)),
        sy == null ? dy : InputData.ofPoints(sy.widened(d).densify(purpose))};
  }

  private static int width(Loaded sparse, InputData other) {
    return sparse != null ? sparse.dim() : other == null || other.isImages() ? 0
        : other.points()[0].length;
  }

  private static Loaded loaded(SparseReaders.Labelled l) {
    return new Loaded(null, l.points(), l.labels().length == l.points().rows() ? l.labels() : null,
        l.base());
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
    org.nke.sketch.SketchOptions estimate = new org.nke.sketch.SketchOptions(e.features(),
        options.seed(), options.ntk(), options.degree(), options.tailTolerance());
    // at least what the degree's blocks need (a small statistical dimension can ask for less)
    int dim = org.nke.sketch.SubspaceEmbedding.smallestDim(arch, in.dim(), estimate);
    org.nke.sketch.SketchOptions chosen = new org.nke.sketch.SketchOptions(dim, options.seed(),
        options.ntk(), options.degree(), options.tailTolerance());
    int written = org.nke.sketch.SubspaceEmbedding.build(arch, in.dim(), chosen).outputDim();
    err.println(String.format(java.util.Locale.ROOT, "nke: epsilon %.3g at ridge %.3g: statistical "
        + "dimension about %.0f, so --dim %d (%d features)%s", epsilon, ridge,
        e.statisticalDimension(), dim, written, dim > e.features() ? " — raised from "
        + e.features() + ": the smallest that fits the embedding's degree" : ""));
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
