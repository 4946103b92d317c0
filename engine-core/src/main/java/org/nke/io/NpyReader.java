package org.nke.io;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nke.error.InvalidInputException;

/**
 * Reads numpy {@code .npy} files (format versions 1.0–3.0): little- or big-endian float64, float32,
 * signed and unsigned integers and booleans, C order. Fortran order and object arrays are rejected
 * with a clear message. See numpy's {@code format.py} for the layout: magic {@code \x93NUMPY}, version,
 * header length, a Python-literal dict {@code {'descr': …, 'fortran_order': …, 'shape': (…)}}, data.
 */
public final class NpyReader {
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']+)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private NpyReader() {
  }

  /**
   * @param path the file
   * @return the array
   * @throws InvalidInputException for a malformed or unsupported file
   */
  public static NpyArray read(Path path) {
    String name = path.toString();
    try (InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
      return read(in, name);
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
    DataInputStream in = new DataInputStream(stream);
    byte[] magic = new byte[6];
    int got = in.readNBytes(magic, 0, 6);
    if (got == 0) {
      throw new InvalidInputException(name + " must not be empty, got an empty file");
    }
    if (got < 6 || (magic[0] & 0xff) != 0x93 || !new String(magic, 1, 5, StandardCharsets.US_ASCII)
        .equals("NUMPY")) {
      throw new InvalidInputException(name + " must be a .npy file (magic \\x93NUMPY), got other bytes");
    }
    int major = in.readUnsignedByte();
    in.readUnsignedByte();
    int headerLen;
    if (major == 1) {
      headerLen = Short.toUnsignedInt(Short.reverseBytes(in.readShort()));
    } else if (major == 2 || major == 3) {
      headerLen = Integer.reverseBytes(in.readInt());
    } else {
      throw new InvalidInputException(name + " has .npy format version " + major + ", expected 1, 2 "
          + "or 3");
    }
    byte[] header = in.readNBytes(headerLen);
    String h = new String(header, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    String descr = group(DESCR, h, name, "descr");
    if (group(FORTRAN, h, name, "fortran_order").equals("True")) {
      throw new InvalidInputException(name + " must be in C order, got fortran_order=True (save it "
          + "with np.ascontiguousarray)");
    }
    int[] shape = parseShape(group(SHAPE, h, name, "shape"), name);
    long count = 1;
    for (int s : shape) {
      count *= s;
    }
    if (count > Integer.MAX_VALUE - 8) {
      throw new InvalidInputException(name + " has " + count + " values, more than one array can hold");
    }
    return new NpyArray(shape, readData(in, descr, (int) count, name), descr);
  }

  private static String group(Pattern p, String header, String name, String key) {
    Matcher m = p.matcher(header);
    if (!m.find()) {
      throw new InvalidInputException(name + " has a .npy header without '" + key + "': " + header.trim());
    }
    return m.group(1);
  }

  private static int[] parseShape(String s, String name) {
    List<Integer> dims = new ArrayList<>();
    for (String part : s.split(",")) {
      String t = part.trim();
      if (!t.isEmpty()) {
        try {
          dims.add(Integer.parseInt(t.replace("L", "")));
        } catch (NumberFormatException e) {
          throw new InvalidInputException(name + " has a malformed shape (" + s + ")", e);
        }
      }
    }
    return dims.stream().mapToInt(Integer::intValue).toArray();
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
