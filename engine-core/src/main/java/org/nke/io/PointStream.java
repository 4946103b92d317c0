package org.nke.io;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.nke.error.InvalidInputException;

/**
 * Reads the points of a {@code .npy} (2-D float64/float32) or {@code .csv} file block by block, so
 * that commands like {@code nke features} use memory independent of the number of points. The number
 * of points is known before reading (from the NPY header, or from a first counting pass over a CSV).
 * Every value is checked as {@link DataFiles} does.
 */
public final class PointStream implements Closeable {
  private final String name;
  private final long count;
  private final int dim;
  private final DataInputStream npy;
  private final ByteOrder order;
  private final int bytes;
  private final BufferedReader csv;
  private long read;
  private int line;
  private boolean skipHeader;
  private double[][] memory;

  private PointStream(String name, long count, int dim, DataInputStream npy, ByteOrder order,
      int bytes, BufferedReader csv, boolean skipHeader) {
    this.name = name;
    this.count = count;
    this.dim = dim;
    this.npy = npy;
    this.order = order;
    this.bytes = bytes;
    this.csv = csv;
    this.skipHeader = skipHeader;
  }

  /**
   * @param path a {@code .npy} or {@code .csv} file
   * @return a stream positioned at the first point
   * @throws InvalidInputException for missing, empty or malformed files
   */
  public static PointStream open(Path path) {
    String name = path.toString();
    if (StandardInput.is(path) && StandardInput.startsAsNpy()) {
      try {
        return openNpy(new DataInputStream(StandardInput.stream()), StandardInput.NAME, -1);
      } catch (EOFException e) {
        throw new InvalidInputException(StandardInput.NAME + " is truncated: it ends inside the "
            + ".npy header", e);
      } catch (IOException e) {
        throw new InvalidInputException("cannot read " + StandardInput.NAME + ": " + e.getMessage(), e);
      }
    }
    if (StandardInput.is(path) || name.toLowerCase(Locale.ROOT).endsWith(".npz")) {
      // text on standard input is read once, into memory; a .npz entry is compressed
      return of(StandardInput.is(path) ? StandardInput.NAME : name, DataFiles.readPoints(path));
    }
    if (!Files.isRegularFile(path)) {
      throw new InvalidInputException(path + " must be an existing file, got nothing there");
    }
    try {
      if (name.toLowerCase(Locale.ROOT).endsWith(".npy")) {
        // The header is parsed by NpyReader on a bounded prefix; the data is then streamed.
        return openNpy(new DataInputStream(new BufferedInputStream(Files.newInputStream(path),
            1 << 16)), name, Files.size(path));
      }
      return openCsv(path);
    } catch (IOException e) {
      throw new InvalidInputException("cannot read " + name + ": " + e.getMessage(), e);
    }
  }

  /**
   * Points already in memory (e.g. a sparse file made dense), served in blocks like a file.
   *
   * @param name the name for messages
   * @param rows the points, rows = points, at least one (kept by reference, not modified)
   * @return a stream positioned at the first point
   */
  public static PointStream of(String name, double[][] rows) {
    PointStream s = new PointStream(name, rows.length, rows[0].length, null, null, 0, null, false);
    s.memory = rows;
    return s;
  }

  /**
   * @param in the stream, at the magic; closed on failure
   * @param path the name for messages
   * @param size the file's length in bytes, or −1 for a pipe (then a short one is found at its end)
   */
  private static PointStream openNpy(DataInputStream in, String path, long size) throws IOException {
    NpyHeader h;
    try {
      h = NpyHeader.read(in, path);
      if (h.fortranOrder()) {
        throw new InvalidInputException(path + " must be in C order, got fortran_order=True");
      }
      if (size >= 0) {
        h.checkData(path, size - h.headerBytes());
      }
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
    String descr = h.descr();
    long[] s = h.shape();
    if (s.length != 2 || !(descr.endsWith("f8") || descr.endsWith("f4"))) {
      in.close();
      throw new InvalidInputException(path + " must be a 2-D float64 or float32 array (n, d), got shape "
          + h.shapeString() + " and dtype " + descr);
    }
    if (s[0] == 0 || s[1] == 0) {
      in.close();
      throw new InvalidInputException(path + " must contain at least one point, got an empty array");
    }
    if (s[1] > Integer.MAX_VALUE - 8) {
      in.close();
      throw new InvalidInputException(path + " must have fewer than 2^31 columns, got " + s[1]);
    }
    ByteOrder order = descr.startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    return new PointStream(path, s[0], (int) s[1], in, order,
        descr.endsWith("f8") ? 8 : 4, null, false);
  }

  private static PointStream openCsv(Path path) throws IOException {
    String name = path.toString();
    long rows = 0;
    int dim = -1;
    boolean header = false;
    try (BufferedReader r = reader(path)) {
      String l;
      boolean first = true;
      while ((l = r.readLine()) != null) {
        String t = l.strip();
        if (t.isEmpty() || t.startsWith("#")) {
          continue;
        }
        if (first) {
          first = false;
          try {
            CsvReader.read(new BufferedReader(new java.io.StringReader(t)), name);
          } catch (InvalidInputException e) {
            header = true;
            continue;
          }
        }
        if (dim < 0) {
          dim = TextNumbers.split(t).length;
        }
        rows++;
      }
    }
    if (rows == 0) {
      throw new InvalidInputException(name + " must contain at least one row of numbers, got none");
    }
    BufferedReader r = reader(path);
    return new PointStream(name, rows, dim, null, null, 0, r, header);
  }

  private static BufferedReader reader(Path path) throws IOException {
    InputStream in = Files.newInputStream(path);
    if (path.toString().endsWith(".gz")) {
      in = new GZIPInputStream(in, 1 << 16);
    }
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
  }

  /** @return number of points */
  public long count() {
    return count;
  }

  /** @return dimension of the points */
  public int dim() {
    return dim;
  }

  /**
   * @param max most points to read
   * @return the next points (fewer at the end, none when exhausted)
   * @throws InvalidInputException for bad values, with the row and column
   */
  public double[][] next(int max) {
    int n = (int) Math.min(max, count - read);
    double[][] out = new double[n][];
    try {
      for (int i = 0; i < n; i++) {
        out[i] = memory != null ? memory[(int) read] : npy != null ? npyRow() : csvRow();
        read++;
      }
    } catch (EOFException e) {
      throw new InvalidInputException(name + " is truncated: it ends before the data the header "
          + "announces", e);
    } catch (IOException e) {
      throw new InvalidInputException("cannot read " + name + ": " + e.getMessage(), e);
    }
    return out;
  }

  private double[] npyRow() throws IOException {
    byte[] buf = new byte[dim * bytes];
    npy.readFully(buf);
    ByteBuffer bb = ByteBuffer.wrap(buf).order(order);
    double[] row = new double[dim];
    for (int j = 0; j < dim; j++) {
      row[j] = bytes == 8 ? bb.getDouble() : bb.getFloat();
      if (!Double.isFinite(row[j])) {
        throw new InvalidInputException(name + " values must be finite, got " + row[j] + " at row "
            + (read + 1) + ", column " + (j + 1));
      }
    }
    return row;
  }

  private double[] csvRow() throws IOException {
    String l;
    while ((l = csv.readLine()) != null) {
      line++;
      String t = l.strip();
      if (t.isEmpty() || t.startsWith("#")) {
        continue;
      }
      if (skipHeader) {
        skipHeader = false;
        continue;
      }
      String[] fields = TextNumbers.split(t);
      if (fields.length != dim) {
        throw new InvalidInputException(name + " rows must all have " + dim + " values, got "
            + fields.length + " at line " + line);
      }
      double[] row = new double[dim];
      for (int j = 0; j < dim; j++) {
        String f = fields[j].strip();
        try {
          row[j] = TextNumbers.parse(f);
        } catch (NumberFormatException e) {
          throw new InvalidInputException(name + " values must be numbers, got '" + f + "' at line "
              + line + ", column " + (j + 1), e);
        }
        if (!Double.isFinite(row[j])) {
          throw new InvalidInputException(name + " values must be finite, got " + f + " at line "
              + line + ", column " + (j + 1));
        }
      }
      return row;
    }
    throw new EOFException();
  }

  @Override
  public void close() throws IOException {
    if (npy != null) {
      npy.close();
    }
    if (csv != null) {
      csv.close();
    }
  }
}
