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
 * 1-based indices, {@code #} comments, {@code qid:} ignored; optionally gzipped) and scipy's sparse
 * CSR {@code .npz} files ({@code scipy.sparse.save_npz}: {@code data.npy}, {@code indices.npy},
 * {@code indptr.npy}, {@code shape.npy}, {@code format.npy} = "csr").
 */
public final class SparseReaders {
  private SparseReaders() {
  }

  /**
   * Points and labels of a libsvm file.
   *
   * @param points the points
   * @param labels one label per point
   */
  public record Labelled(SparseMatrix points, double[] labels) {
  }

  /**
   * @param path a {@code .npz}, {@code .svm}, {@code .libsvm} or {@code .svmlight} file (or any name
   *     ending in {@code .gz} of the text format)
   * @return whether this reader takes it
   */
  public static boolean accepts(Path path) {
    String n = path.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".npz") || n.contains(".svm") || n.contains(".libsvm") || n.contains(".svmlight");
  }

  /**
   * @param path a sparse file
   * @param dim the dimension to use, or 0 for the largest index seen (libsvm) / the stored shape
   * @return points and labels (labels empty for {@code .npz})
   */
  public static Labelled read(Path path, int dim) {
    if (!Files.isRegularFile(path)) {
      throw new InvalidInputException(path + " must be an existing file, got nothing there");
    }
    return path.toString().toLowerCase(Locale.ROOT).endsWith(".npz")
        ? new Labelled(npz(path), new double[0]) : libsvm(path, dim);
  }

  private static Labelled libsvm(Path path, int dim) {
    String name = path.toString();
    IntList ptr = new IntList();
    IntList idx = new IntList();
    DoubleList val = new DoubleList();
    DoubleList labels = new DoubleList();
    ptr.add(0);
    int maxIndex = 0;
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
          int j = (int) number(tok[k].substring(0, colon), name, lineNo, "index") - 1;
          if (j < 0 || j <= last) {
            throw new InvalidInputException(name + " indices must be increasing and at least 1, got "
                + (j + 1) + " at line " + lineNo);
          }
          double v = number(tok[k].substring(colon + 1), name, lineNo, "value");
          last = j;
          maxIndex = Math.max(maxIndex, j + 1);
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
    int d = dim > 0 ? dim : maxIndex;
    if (dim > 0 && maxIndex > dim) {
      throw new InvalidInputException(name + " indices must be at most the dimension " + dim
          + ", got " + maxIndex);
    }
    SparseMatrix m = new SparseMatrix(labels.size(), Math.max(d, 1), ptr.toArray(), idx.toArray(),
        val.toArray());
    return new Labelled(m.validate(name), labels.toArray());
  }

  private static double number(String s, String name, int line, String what) {
    try {
      double v = Double.parseDouble(s);
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
