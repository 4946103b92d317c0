package org.nke.io;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.nke.error.InvalidInputException;

/**
 * Readers of sparse point sets: the svmlight / libsvm text format ({@code label idx:val idx:val …},
 * {@code #} comments, {@code qid:} ignored; optionally gzipped) and scipy's sparse
 * CSR {@code .npz} files ({@code scipy.sparse.save_npz}: {@code data.npy}, {@code indices.npy},
 * {@code indptr.npy}, {@code shape.npy}, {@code format.npy} = "csr").
 *
 * <p>libsvm indices are one-based, but scikit-learn's {@code dump_svmlight_file} writes zero-based
 * ones by default. As its {@code load_svmlight_file(zero_based="auto")} does, a file in which some
 * index is 0 is read as zero-based ({@link IndexBase#AUTO}), any other file as one-based. The caller
 * can instead fix the numbering ({@link IndexBase#ZERO}, {@link IndexBase#ONE}), e.g. to read test
 * data the way the model's training file was read. The dimension of a libsvm file is its largest
 * index unless one is given; given a dimension, the entries beyond it (and index 0 of a file read as
 * one-based) are dropped and counted ({@link Labelled#ignoredValues()}), as liblinear's
 * {@code predict} drops features it did not see in training.
 */
public final class SparseReaders {
  private SparseReaders() {
  }

  /** How the indices of a libsvm file are numbered. */
  public enum IndexBase {
    /** Zero-based if some index is 0, else one-based (scikit-learn's {@code zero_based="auto"}). */
    AUTO,
    /** Zero-based, whether or not an index 0 occurs. */
    ZERO,
    /** One-based; entries at index 0 are dropped and counted. */
    ONE
  }

  /**
   * Points and labels of a sparse file.
   *
   * @param points the points
   * @param labels one label per point (empty for {@code .npz})
   * @param base how the libsvm indices were read ({@link IndexBase#ZERO} or {@link IndexBase#ONE};
   *     {@code null} for {@code .npz})
   * @param sawZero whether an index 0 occurred in the libsvm file
   * @param ignoredValues entries dropped: index beyond the requested dimension, or 0 when one-based
   * @param ignoredRows rows that lost at least one entry that way
   */
  public record Labelled(SparseMatrix points, double[] labels, IndexBase base, boolean sawZero,
      long ignoredValues, int ignoredRows) {
  }

  /**
   * @param path a scipy sparse {@code .npz}, {@code .svm}, {@code .libsvm} or {@code .svmlight} file
   *     (or any name ending in {@code .gz} of the text format); a dense {@code .npz} ({@code np.savez})
   *     is for {@link DataFiles}
   * @return whether this reader takes it
   */
  public static boolean accepts(Path path) {
    if (path.getFileName() == null) {
      return false;
    }
    String n = path.getFileName().toString().toLowerCase(Locale.ROOT);
    return (n.endsWith(".npz") && NpzReader.isSparse(path)) || n.contains(".svm") || n.contains(".libsvm") || n.contains(".svmlight");
  }

  /**
   * Reads a sparse file, libsvm indices numbered as {@link IndexBase#AUTO}.
   *
   * @param path a sparse file
   * @param dim the dimension to use (libsvm entries beyond it are dropped and counted), or 0 for the
   *     largest index seen (libsvm) / the stored shape
   * @return points and labels (labels empty for {@code .npz})
   */
  public static Labelled read(Path path, int dim) {
    return read(path, dim, IndexBase.AUTO);
  }

  /**
   * @param path a sparse file
   * @param dim the dimension to use (libsvm entries beyond it are dropped and counted), or 0 for the
   *     largest index seen (libsvm) / the stored shape
   * @param base how libsvm indices are numbered
   * @return points and labels (labels empty for {@code .npz})
   */
  public static Labelled read(Path path, int dim, IndexBase base) {
    if (!Files.isRegularFile(path)) {
      throw new InvalidInputException(path + " must be an existing file, got nothing there");
    }
    return path.toString().toLowerCase(Locale.ROOT).endsWith(".npz")
        ? new Labelled(npz(path), new double[0], null, false, 0, 0) : libsvm(path, dim, base);
  }

  private static Labelled libsvm(Path path, int dim, IndexBase base) {
    String name = path.toString();
    IntList ptr = new IntList();
    IntList idx = new IntList();
    DoubleList val = new DoubleList();
    DoubleList labels = new DoubleList();
    ptr.add(0);
    int maxIndex = -1;
    boolean sawZero = false;
    try (InputStream raw = Files.newInputStream(path);
        InputStream in = name.endsWith(".gz") ? new GZIPInputStream(raw) : raw;
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      int lineNo = 0;
      while ((line = r.readLine()) != null) {
        lineNo++;
        int hash = line.indexOf('#');
        String t = (hash >= 0 ? line.substring(0, hash) : line).strip();
        if (t.isEmpty()) {
          continue;
        }
        String[] tok = t.split("\\s+");
        labels.add(number(tok[0], name, lineNo, "label"));
        int last = -1;
        for (int k = 1; k < tok.length; k++) {
          if (tok[k].startsWith("qid:")) {
            continue;
          }
          int colon = tok[k].indexOf(':');
          if (colon < 0) {
            throw new InvalidInputException(name + " entries must be index:value, got '" + tok[k]
                + "' at line " + lineNo);
          }
          // the index as written; the base is known only at the end of the file
          double written = number(tok[k].substring(0, colon), name, lineNo, "index");
          if (written != Math.rint(written) || written < 0 || written > Integer.MAX_VALUE - 1) {
            throw new InvalidInputException(name + " feature indices must be whole numbers from 0 to "
                + (Integer.MAX_VALUE - 1) + ", got '" + tok[k].substring(0, colon) + "' at line "
                + lineNo);
          }
          int j = (int) written;
          if (j <= last) {
            throw new InvalidInputException(name + " indices must be increasing within a line, got "
                + j + " at line " + lineNo);
          }
          double v = number(tok[k].substring(colon + 1), name, lineNo, "value");
          last = j;
          sawZero |= j == 0;
          maxIndex = Math.max(maxIndex, j);
          if (v != 0) {
            idx.add(j);
            val.add(v);
          }
        }
        ptr.add(idx.size());
      }
    } catch (IOException e) {
      throw new InvalidInputException("cannot read " + name + ": " + e.getMessage(), e);
    }
    IndexBase read = base != IndexBase.AUTO ? base : sawZero ? IndexBase.ZERO : IndexBase.ONE;
    int shift = read == IndexBase.ZERO ? 0 : 1;
    int d = dim > 0 ? dim : maxIndex + 1 - shift;
    int[] p = ptr.toArray();
    int[] j = idx.toArray();
    double[] v = val.toArray();
    // column = written index - shift; entries at columns < 0 or >= d are dropped, rows compacted in place
    long ignored = 0;
    int ignoredRows = 0;
    int kept = 0;
    for (int i = 0; i + 1 < p.length; i++) {
      int from = p[i];
      p[i] = kept;
      int before = kept;
      for (int q = from; q < p[i + 1]; q++) {
        int c = j[q] - shift;
        if (c >= 0 && c < d) {
          j[kept] = c;
          v[kept++] = v[q];
        }
      }
      int dropped = (p[i + 1] - from) - (kept - before);
      ignored += dropped;
      ignoredRows += dropped > 0 ? 1 : 0;
    }
    p[p.length - 1] = kept;
    SparseMatrix m = new SparseMatrix(labels.size(), Math.max(d, 1), p,
        java.util.Arrays.copyOf(j, kept), java.util.Arrays.copyOf(v, kept));
    return new Labelled(m.validate(name), labels.toArray(), read, sawZero, ignored, ignoredRows);
  }

  private static double number(String s, String name, int line, String what) {
    try {
      double v = TextNumbers.parse(s);
      if (!Double.isFinite(v)) {
        throw new InvalidInputException(name + " " + what + "s must be finite, got " + s + " at line " + line);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new InvalidInputException(name + " " + what + "s must be numbers, got '" + s + "' at line "
          + line, e);
    }
  }

  private static SparseMatrix npz(Path path) {
    Map<String, NpyArray> arrays = new HashMap<>();
    try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(path))) {
      ZipEntry e;
      while ((e = zip.getNextEntry()) != null) {
        String key = e.getName().replace(".npy", "");
        byte[] bytes = zip.readAllBytes();
        if (key.equals("format")) {
          String s = new String(bytes, StandardCharsets.ISO_8859_1);
          if (!s.contains("csr")) {
            throw new InvalidInputException(path + " must hold a CSR matrix (scipy.sparse.save_npz of "
                + "a csr_matrix), got another format");
          }
          continue;
        }
        arrays.put(key, NpyReader.read(new ByteArrayInputStream(bytes), path + "/" + e.getName()));
      }
    } catch (IOException e) {
      throw new InvalidInputException("cannot read " + path + ": " + e.getMessage(), e);
    }
    for (String k : new String[] {"data", "indices", "indptr", "shape"}) {
      if (!arrays.containsKey(k)) {
        throw new InvalidInputException(path + " must contain " + k + ".npy (a scipy sparse CSR .npz)");
      }
    }
    double[] shape = arrays.get("shape").data();
    double[] ptr = arrays.get("indptr").data();
    double[] ind = arrays.get("indices").data();
    int[] p = new int[ptr.length];
    int[] j = new int[ind.length];
    for (int i = 0; i < p.length; i++) {
      p[i] = (int) ptr[i];
    }
    for (int i = 0; i < j.length; i++) {
      j[i] = (int) ind[i];
    }
    return new SparseMatrix((int) shape[0], (int) shape[1], p, j, arrays.get("data").data())
        .validate(path.toString());
  }

  /** A growable int array. */
  private static final class IntList {
    private int[] a = new int[1024];
    private int n;

    void add(int v) {
      if (n == a.length) {
        a = java.util.Arrays.copyOf(a, 2 * n);
      }
      a[n++] = v;
    }

    int size() {
      return n;
    }

    int[] toArray() {
      return java.util.Arrays.copyOf(a, n);
    }
  }

  /** A growable double array. */
  private static final class DoubleList {
    private double[] a = new double[1024];
    private int n;

    void add(double v) {
      if (n == a.length) {
        a = java.util.Arrays.copyOf(a, 2 * n);
      }
      a[n++] = v;
    }

    int size() {
      return n;
    }

    double[] toArray() {
      return java.util.Arrays.copyOf(a, n);
    }
  }
}
