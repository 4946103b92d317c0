package org.nke.io;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nke.error.InvalidInputException;

/**
 * Reads numpy {@code .npy} files (format versions 1.0–3.0): little- or big-endian float64, float32,
 * signed and unsigned integers and booleans, C order. Fortran order and object arrays are rejected
 * with a clear message. See numpy's {@code format.py} for the layout: magic {@code \x93NUMPY}, version,
 * header length, a Python-literal dict {@code {'descr': …, 'fortran_order': …, 'shape': (…)}}, data.
 */
public final class NpyReader {
  private NpyReader() {
  }

  /**
   * @param path the file
   * @return the array
   * @throws InvalidInputException for a malformed or unsupported file, or one shorter than its header
   *     announces (found before the data is allocated)
   */
  public static NpyArray read(Path path) {
    String name = path.toString();
    try (InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
      return read(in, name, Files.size(path));
    } catch (EOFException e) {
      throw new InvalidInputException(name + " is truncated: it ends before the data the header "
          + "announces", e);
    } catch (IOException e) {
      throw new InvalidInputException("cannot read " + name + ": " + e.getMessage(), e);
    }
  }

  /**
   * @param stream the file contents
   * @param name the file name for messages
   * @return the array
   * @throws IOException on read errors
   */
  public static NpyArray read(InputStream stream, String name) throws IOException {
    return read(stream, name, stream instanceof java.io.ByteArrayInputStream b ? b.available() : -1);
  }

  /**
   * @param stream the file contents
   * @param name the file name for messages
   * @param size the size of the whole file in bytes, or a negative number when unknown
   * @return the array
   * @throws IOException on read errors
   */
  public static NpyArray read(InputStream stream, String name, long size) throws IOException {
    DataInputStream in = new DataInputStream(stream);
    NpyHeader h = NpyHeader.read(in, name);
    if (h.fortranOrder()) {
      throw new InvalidInputException(name + " must be in C order, got fortran_order=True (save it "
          + "with np.ascontiguousarray)");
    }
    h.checkData(name, size < 0 ? -1 : size - h.headerBytes());
    long count = h.count(name);
    if (count > Integer.MAX_VALUE - 8) {
      throw new InvalidInputException(name + " must have fewer than 2^31 values, got " + count
          + " (shape " + h.shapeString() + ")");
    }
    int[] shape = java.util.Arrays.stream(h.shape()).mapToInt(v -> (int) v).toArray();
    return new NpyArray(shape, readData(in, h.descr(), (int) count, name), h.descr());
  }

  private static double[] readData(DataInputStream in, String descr, int count, String name)
      throws IOException {
    char order = descr.charAt(0);
    String type = descr.substring(1);
    ByteOrder bo = order == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    int size;
    switch (type) {
      case "f8", "i8", "u8" -> size = 8;
      case "f4", "i4", "u4" -> size = 4;
      case "i2", "u2", "f2" -> size = 2;
      case "i1", "u1", "b1" -> size = 1;
      default -> throw new InvalidInputException(name + " has dtype " + descr + "; supported: float64, "
          + "float32, integers and booleans");
    }
    if (type.equals("f2")) {
      throw new InvalidInputException(name + " has dtype float16; convert it to float32 first");
    }
    org.nke.util.Checks.fitsInHeap(name + " (" + count + " values as float64)", 8L * count,
        "use a smaller file, or give Java more memory (NKE_JAVA_OPTS=-Xmx...)");
    double[] out = new double[count];
    byte[] buf = new byte[8192 * size];
    int done = 0;
    while (done < count) {
      int chunk = Math.min(8192, count - done);
      in.readFully(buf, 0, chunk * size);
      ByteBuffer bb = ByteBuffer.wrap(buf, 0, chunk * size).order(bo);
      for (int i = 0; i < chunk; i++) {
        out[done + i] = switch (type) {
          case "f8" -> bb.getDouble();
          case "f4" -> bb.getFloat();
          case "i8" -> bb.getLong();
          case "u8" -> unsigned(bb.getLong());
          case "i4" -> bb.getInt();
          case "u4" -> Integer.toUnsignedLong(bb.getInt());
          case "i2" -> bb.getShort();
          case "u2" -> Short.toUnsignedInt(bb.getShort());
          case "i1" -> bb.get();
          default -> Byte.toUnsignedInt(bb.get());
        };
      }
      done += chunk;
    }
    return out;
  }

  private static double unsigned(long v) {
    return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
  }
}
