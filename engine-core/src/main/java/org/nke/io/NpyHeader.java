package org.nke.io;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nke.error.InvalidInputException;

/**
 * The header of a {@code .npy} file (format versions 1.0–3.0, numpy's {@code format.py}): magic
 * {@code \x93NUMPY}, version, header length, a Python-literal dict {@code {'descr': …,
 * 'fortran_order': …, 'shape': (…)}}. Validated before any data is allocated: the shape must be
 * non-negative and its size must fit in a long, and {@link #checkData} compares the bytes the header
 * announces with the bytes there are, so a truncated or forged file fails at once (exit 4).
 *
 * @param descr the dtype, e.g. {@code <f8}
 * @param fortranOrder whether the data is in Fortran order
 * @param shape the shape, each entry at least 0
 * @param headerBytes bytes before the data (magic, version, length and dict)
 */
public record NpyHeader(String descr, boolean fortranOrder, long[] shape, long headerBytes) {
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']+)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  /**
   * Reads and checks the header.
   *
   * @param in the stream, positioned at the magic; left at the first data byte
   * @param name the file, for messages
   * @return the header
   * @throws IOException on read errors
   * @throws InvalidInputException for a malformed header or an impossible shape
   */
  public static NpyHeader read(DataInputStream in, String name) throws IOException {
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
    long headerLen;
    if (major == 1) {
      headerLen = Short.toUnsignedInt(Short.reverseBytes(in.readShort()));
    } else if (major == 2 || major == 3) {
      headerLen = Integer.toUnsignedLong(Integer.reverseBytes(in.readInt()));
    } else {
      throw new InvalidInputException(name + " must have .npy format version 1, 2 or 3, got " + major);
    }
    if (headerLen > 1 << 20) {
      throw new InvalidInputException(name + " must have a .npy header of at most 1 MiB, got "
          + headerLen + " bytes");
    }
    byte[] header = in.readNBytes((int) headerLen);
    if (header.length < headerLen) {
      throw new InvalidInputException(name + " is truncated: it ends inside its .npy header");
    }
    String h = new String(header, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    String descr = group(DESCR, h, name, "descr");
    boolean fortran = group(FORTRAN, h, name, "fortran_order").equals("True");
    long[] shape = parseShape(group(SHAPE, h, name, "shape"), name);
    return new NpyHeader(descr, fortran, shape, (major == 1 ? 10 : 12) + headerLen);
  }

  private static String group(Pattern p, String header, String name, String key) {
    Matcher m = p.matcher(header);
    if (!m.find()) {
      throw new InvalidInputException(name + " has a .npy header without '" + key + "': " + header.trim());
    }
    return m.group(1);
  }

  private static long[] parseShape(String s, String name) {
    List<Long> dims = new ArrayList<>();
    for (String part : s.split(",")) {
      String t = part.trim();
      if (!t.isEmpty()) {
        long v;
        try {
          v = Long.parseLong(t.endsWith("L") ? t.substring(0, t.length() - 1) : t);
        } catch (NumberFormatException e) {
          throw new InvalidInputException(name + " must have a .npy shape of integers, got (" + s + ")", e);
        }
        if (v < 0) {
          throw new InvalidInputException(name + " must have a non-negative .npy shape, got (" + s + ")");
        }
        dims.add(v);
      }
    }
    return dims.stream().mapToLong(Long::longValue).toArray();
  }

  /**
   * @param name the file, for messages
   * @return the number of values, {@code Π shape}
   * @throws InvalidInputException if it does not fit in a long
   */
  public long count(String name) {
    long count = 1;
    try {
      for (long s : shape) {
        count = Math.multiplyExact(count, s);
      }
    } catch (ArithmeticException e) {
      throw new InvalidInputException(name + " must have a .npy shape whose size fits in 64 bits, got "
          + shapeString(), e);
    }
    return count;
  }

  /** @return bytes per value ({@code 0} for an unsupported dtype) */
  public int itemSize() {
    return switch (descr.substring(1)) {
      case "f8", "i8", "u8" -> 8;
      case "f4", "i4", "u4" -> 4;
      case "f2", "i2", "u2" -> 2;
      case "i1", "u1", "b1" -> 1;
      default -> 0;
    };
  }

  /** @return the shape as numpy prints it, e.g. {@code (3, 4)} */
  public String shapeString() {
    String s = Arrays.toString(shape);
    return "(" + s.substring(1, s.length() - 1) + (shape.length == 1 ? ",)" : ")");
  }

  /**
   * Checks that the data the header announces is there, before it is allocated.
   *
   * @param name the file, for messages
   * @param available bytes after the header, or a negative number when unknown (nothing is checked)
   * @throws InvalidInputException if there are fewer bytes than announced
   */
  public void checkData(String name, long available) {
    if (available < 0 || itemSize() == 0) {
      return;
    }
    long count = count(name);
    long needed;
    try {
      needed = Math.multiplyExact(count, (long) itemSize());
    } catch (ArithmeticException e) {
      needed = Long.MAX_VALUE;
    }
    if (needed > available) {
      throw new InvalidInputException(name + " is truncated: its header announces shape "
          + shapeString() + " of " + descr + ", " + needed + " bytes of data, got " + available
          + " bytes");
    }
  }
}
