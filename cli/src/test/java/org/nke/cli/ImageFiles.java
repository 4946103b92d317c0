package org.nke.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test helper: turns a 2-D {@code .npy} of flattened HWC images into a 4-D one. */
final class ImageFiles {
  private ImageFiles() {
  }

  /**
   * Rewrites the header's shape {@code (n, H·W·C)} as {@code (n, H, W, C)}, padding it to its length.
   *
   * @param npy a 2-D float {@code .npy}, modified
   * @param n the number of images
   * @param hwc {@code H, W, C}
   * @throws IOException on file errors
   */
  static void reshape(Path npy, int n, int... hwc) throws IOException {
    byte[] bytes = Files.readAllBytes(npy);
    int hl = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
    String old = new String(bytes, 10, hl, StandardCharsets.ISO_8859_1);
    String dict = old.trim().replaceFirst("\\(\\d+, \\d+\\)", "(" + n + ", " + hwc[0] + ", " + hwc[1]
        + ", " + hwc[2] + ")");
    try (OutputStream os = Files.newOutputStream(npy)) {
      os.write(bytes, 0, 10);
      os.write((dict + " ".repeat(hl - dict.length() - 1) + "\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      os.write(bytes, 10 + hl, bytes.length - 10 - hl);
    }
  }
}
