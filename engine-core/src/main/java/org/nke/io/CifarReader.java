package org.nke.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nke.error.InvalidInputException;
import org.nke.ir.ImageBatch;

/**
 * Reads the CIFAR-10 binary batch format ({@code data_batch_1.bin} … {@code data_batch_5.bin},
 * {@code test_batch.bin}; Krizhevsky 2009, "binary version" on the CIFAR page): a sequence of records
 * of {@value #RECORD} bytes, each one label byte (0–9) followed by the 32 × 32 image as three
 * 1024-byte planes (red, green, blue), each plane row-major. Pixels are returned as
 * {@code byte / 255} in {@code [0, 1]}, transposed to HWC: value {@code (h, w, c)} is byte
 * {@code 1 + c·1024 + h·32 + w} of its record.
 */
public final class CifarReader {
  /** Image side. */
  public static final int SIDE = 32;
  /** Channels (RGB). */
  public static final int CHANNELS = 3;
  /** Bytes per record: one label and {@code 32·32·3} pixels. */
  public static final int RECORD = 1 + SIDE * SIDE * CHANNELS;
  private static final int CLASSES = 10;

  private CifarReader() {
  }

  /**
   * @param path a CIFAR-10 batch file
   * @return its images (values in [0, 1]) and labels
   * @throws InvalidInputException if the file is missing, empty, not a whole number of records, or
   *     holds a label outside 0–9
   */
  public static LabeledImages read(Path path) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (IOException e) {
      throw new InvalidInputException("cannot read " + path + ": " + e.getMessage(), e);
    }
    return parse(bytes, path.toString());
  }

  /**
   * @param bytes the file contents, not modified
   * @param name the file name for messages
   * @return images and labels
   */
  static LabeledImages parse(byte[] bytes, String name) {
    if (bytes.length == 0) {
      throw new InvalidInputException(name + " must not be empty, got an empty file");
    }
    if (bytes.length % RECORD != 0) {
      throw new InvalidInputException(name + " must hold whole CIFAR-10 records of " + RECORD
          + " bytes (1 label + 32x32x3 pixels), got " + bytes.length + " bytes = "
          + bytes.length / RECORD + " records and " + bytes.length % RECORD + " extra bytes"
          + (bytes.length % (RECORD + 1) == 0 ? " (CIFAR-100 files have 2 label bytes and are not "
          + "supported)" : ""));
    }
    int n = bytes.length / RECORD;
    int plane = SIDE * SIDE;
    double[] data = new double[n * plane * CHANNELS];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      int base = i * RECORD;
      labels[i] = Byte.toUnsignedInt(bytes[base]);
      if (labels[i] >= CLASSES) {
        throw new InvalidInputException(name + " labels must be 0-9, got " + labels[i] + " at record "
            + (i + 1) + " (byte offset " + base + ")");
      }
      int out = i * plane * CHANNELS;
      for (int c = 0; c < CHANNELS; c++) {
        for (int p = 0; p < plane; p++) {
          data[out + p * CHANNELS + c] = Byte.toUnsignedInt(bytes[base + 1 + c * plane + p]) / 255.0;
        }
      }
    }
    return new LabeledImages(ImageBatch.adopt(name, data, n, SIDE, SIDE, CHANNELS), labels);
  }
}
