package org.nke.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import org.nke.spi.Precision;

/**
 * Writes matrices as {@code .npy} (format 1.0, little-endian {@code <f8} or {@code <f4}, C order) or,
 * when the path ends in {@code .csv}, as CSV with full round-trip precision; a column of integers as
 * {@code <i8} or plain integers ({@link #writeIntegers}). Rows are supplied one at
 * a time, so a matrix need not exist in memory as a whole.
 */
public final class MatrixWriter implements AutoCloseable {
  /** Supplies row {@code i} into a buffer. */
  @FunctionalInterface
  public interface RowSource {
    /**
     * @param i the row
     * @param out receives its values; modified
     */
    void row(int i, double[] out);
  }

  private final OutputStream out;
  private final boolean csv;
  private final Precision precision;
  private final int cols;
  private final Writer text;

  private MatrixWriter(OutputStream out, boolean csv, Precision precision, int rows, int cols)
      throws IOException {
    this.out = new BufferedOutputStream(out, 1 << 16);
    this.csv = csv;
    this.precision = precision;
    this.cols = cols;
    this.text = csv ? new OutputStreamWriter(this.out, StandardCharsets.UTF_8) : null;
    if (!csv) {
      writeHeader(this.out, precision == Precision.F64 ? "<f8" : "<f4", rows, cols);
    }
  }

  /**
   * @param path the target (its extension picks the format)
   * @return whether it will be written as CSV
   */
  public static boolean isCsv(Path path) {
    String n = path.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".csv");
  }

  /**
   * @param out the stream (e.g. from {@link AtomicOutput#open})
   * @param target the target path (its extension picks the format)
   * @param precision values written as float64 or float32 (npy only)
   * @param rows number of rows
   * @param cols number of columns
   * @return the writer
   * @throws IOException on write errors
   */
  public static MatrixWriter open(OutputStream out, Path target, Precision precision, int rows,
      int cols) throws IOException {
    return new MatrixWriter(out, isCsv(target), precision, rows, cols);
  }

  /**
   * Writes a whole matrix.
   *
   * @param out the stream
   * @param target the target path
   * @param precision value precision
   * @param rows rows
   * @param cols columns
   * @param source the rows
   * @throws IOException on write errors
   */
  public static void write(OutputStream out, Path target, Precision precision, int rows, int cols,
      RowSource source) throws IOException {
    try (MatrixWriter w = open(out, target, precision, rows, cols)) {
      double[] buf = new double[cols];
      for (int i = 0; i < rows; i++) {
        source.row(i, buf);
        w.writeRow(buf);
      }
    }
  }

  /**
   * Writes one column of integers (e.g. predicted class labels): {@code .npy} {@code <i8} of shape
   * {@code (n, 1)}, or CSV lines without a decimal point.
   *
   * @param out the stream (closed when done)
   * @param target the target path (its extension picks the format)
   * @param column the values, not modified
   * @throws IOException on write errors
   */
  public static void writeIntegers(OutputStream out, Path target, long[] column) throws IOException {
    try (OutputStream o = new BufferedOutputStream(out, 1 << 16)) {
      if (isCsv(target)) {
        Writer w = new OutputStreamWriter(o, StandardCharsets.UTF_8);
        for (long v : column) {
          w.write(Long.toString(v));
          w.write('\n');
        }
        w.flush();
        return;
      }
      writeHeader(o, "<i8", column.length, 1);
      ByteBuffer bb = ByteBuffer.allocate(8 * column.length).order(ByteOrder.LITTLE_ENDIAN);
      for (long v : column) {
        bb.putLong(v);
      }
      o.write(bb.array());
    }
  }

  private static void writeHeader(OutputStream out, String descr, int rows, int cols)
      throws IOException {
    String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + rows + ", " + cols
        + "), }";
    int total = 10 + dict.length() + 1;
    int pad = (64 - total % 64) % 64;
    String header = dict + " ".repeat(pad) + "\n";
    out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    int len = header.length();
    out.write(len & 0xff);
    out.write((len >> 8) & 0xff);
    out.write(header.getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * @param row the next row, length {@code cols}, not modified
   * @throws IOException on write errors
   */
  public void writeRow(double[] row) throws IOException {
    if (csv) {
      StringBuilder sb = new StringBuilder(cols * 24);
      for (int j = 0; j < cols; j++) {
        if (j > 0) {
          sb.append(',');
        }
        sb.append(precision == Precision.F64 ? Double.toString(row[j]) : Float.toString((float) row[j]));
      }
      sb.append('\n');
      text.write(sb.toString());
      return;
    }
    ByteBuffer bb = ByteBuffer.allocate(cols * precision.bytes()).order(ByteOrder.LITTLE_ENDIAN);
    for (int j = 0; j < cols; j++) {
      if (precision == Precision.F64) {
        bb.putDouble(row[j]);
      } else {
        bb.putFloat((float) row[j]);
      }
    }
    out.write(bb.array());
  }

  @Override
  public void close() throws IOException {
    if (text != null) {
      text.flush();
    }
    out.close();
  }
}
