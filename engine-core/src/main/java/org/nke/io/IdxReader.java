package org.nke.io;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.nke.error.InvalidInputException;
import org.nke.ir.ImageBatch;

/**
 * Reads the IDX format of MNIST and Fashion-MNIST ({@code train-images-idx3-ubyte[.gz]},
 * {@code t10k-labels-idx1-ubyte[.gz]}; LeCun et al., "THE MNIST DATABASE", file formats section),
 * plain or gzip-compressed (detected by the gzip magic bytes {@code 1f 8b}, not by the name). All
 * integers are big-endian: a magic number {@code 0x0000TTDD} (type {@code TT = 0x08} unsigned byte,
 * {@code DD} dimensions), the {@code DD} dimension sizes as int32, then the values in row-major order.
 * Images are {@code 0x00000803 (n, rows, cols)} and are returned as {@code (n, rows, cols, 1)} with
 * values {@code byte / 255} in {@code [0, 1]}; labels are {@code 0x00000801 (n)}.
 */
public final class IdxReader {
  /** Magic number of an image file: unsigned bytes, 3 dimensions. */
  public static final int IMAGES_MAGIC = 0x00000803;
  /** Magic number of a label file: unsigned bytes, 1 dimension. */
  public static final int LABELS_MAGIC = 0x00000801;

  private IdxReader() {
  }

  /**
   * @param path an IDX image file ({@code idx3-ubyte}), optionally gzipped
   * @return the images, {@code (n, rows, cols, 1)}, values in [0, 1]
   * @throws InvalidInputException for a malformed, truncated or non-image file
   */
  public static ImageBatch readImages(Path path) {
    String name = path.toString();
    try (DataInputStream in = open(path)) {
      int[] dims = header(in, name, IMAGES_MAGIC, 3, "images");
      long total = (long) dims[0] * dims[1] * dims[2];
      if (total > Integer.MAX_VALUE - 8) {
        throw new InvalidInputException(name + " announces " + total + " pixels, more than one "
            + "array can hold");
      }
      byte[] raw = body(in, name, (int) total);
      double[] data = new double[raw.length];
      for (int k = 0; k < raw.length; k++) {
        data[k] = Byte.toUnsignedInt(raw[k]) / 255.0;
      }
      return ImageBatch.adopt(name, data, dims[0], dims[1], dims[2], 1);
    } catch (IOException e) {
      throw new InvalidInputException("cannot read " + name + ": " + e.getMessage(), e);
    }
  }

  /**
   * @param path an IDX label file ({@code idx1-ubyte}), optionally gzipped
   * @return the labels
   * @throws InvalidInputException for a malformed, truncated or non-label file
   */
  public static int[] readLabels(Path path) {
    String name = path.toString();
    try (DataInputStream in = open(path)) {
      int[] dims = header(in, name, LABELS_MAGIC, 1, "labels");
      byte[] raw = body(in, name, dims[0]);
      int[] labels = new int[raw.length];
      for (int k = 0; k < raw.length; k++) {
        labels[k] = Byte.toUnsignedInt(raw[k]);
      }
      return labels;
    } catch (IOException e) {
      throw new InvalidInputException("cannot read " + name + ": " + e.getMessage(), e);
    }
  }

  private static DataInputStream open(Path path) throws IOException {
    if (!Files.isRegularFile(path)) {
      throw new InvalidInputException(path + " must be an existing file, got nothing there");
    }
    InputStream raw = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
    raw.mark(2);
    int b0 = raw.read();
    int b1 = raw.read();
    raw.reset();
    InputStream in = b0 == 0x1f && b1 == 0x8b ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16))
        : raw;
    return new DataInputStream(in);
  }

  private static int[] header(DataInputStream in, String name, int magic, int rank, String what)
      throws IOException {
    int m;
    try {
      m = in.readInt();
    } catch (EOFException e) {
      throw new InvalidInputException(name + " must start with the 4-byte IDX magic number, got a "
          + "file shorter than that", e);
    }
    if (m != magic) {
      String got = (m >>> 16) == 0 ? String.format("type 0x%02x with %d dimensions", (m >>> 8) & 0xff,
          m & 0xff) : "no IDX magic number";
      throw new InvalidInputException(String.format("%s must be an IDX %s file (magic 0x%08x: unsigned "
          + "bytes, %d dimension%s), got magic 0x%08x (%s)", name, what, magic, rank,
          rank == 1 ? "" : "s", m, got));
    }
    int[] dims = new int[rank];
    for (int d = 0; d < rank; d++) {
      try {
        dims[d] = in.readInt();
      } catch (EOFException e) {
        throw new InvalidInputException(name + " is truncated: it ends inside the header, before "
            + "dimension " + (d + 1) + " of " + rank, e);
      }
      if (dims[d] < 1) {
        throw new InvalidInputException(name + " dimension " + (d + 1) + " must be at least 1, got "
            + dims[d] + " in the header");
      }
    }
    return dims;
  }

  private static byte[] body(DataInputStream in, String name, int count) throws IOException {
    byte[] raw = in.readNBytes(count);
    if (raw.length < count) {
      throw new InvalidInputException(name + " is truncated: the header announces " + count
          + " values, got only " + raw.length);
    }
    if (in.read() != -1) {
      throw new InvalidInputException(name + " has bytes after the " + count + " values its header "
          + "announces");
    }
    return raw;
  }
}
