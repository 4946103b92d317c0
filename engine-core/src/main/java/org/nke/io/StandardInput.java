package org.nke.io;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.nke.error.InvalidInputException;

/**
 * {@code -} as an input file: standard input, read once and kept (it cannot be read twice), in the
 * {@code .npy} format when it starts with numpy's magic, else as text ({@link CsvReader}).
 */
public final class StandardInput {
  /** The name used in messages. */
  public static final String NAME = "standard input";
  private static byte[] bytes;

  private StandardInput() {
  }

  /**
   * @param path an input path
   * @return whether it is {@code -}
   */
  public static boolean is(Path path) {
    return path != null && path.toString().equals("-");
  }

  /** @return everything on standard input (read on the first call) */
  static synchronized byte[] bytes() {
    if (bytes == null) {
      try {
        bytes = System.in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (bytes.length == 0) {
        throw new InvalidInputException(NAME + " must not be empty, got nothing");
      }
    }
    return bytes;
  }

  /** @return whether standard input holds a {@code .npy} array */
  static boolean isNpy() {
    byte[] b = bytes();
    return b.length >= 6 && (b[0] & 0xff) == 0x93 && b[1] == 'N' && b[2] == 'U';
  }

  /** @return the array on standard input */
  static NpyArray array() {
    try {
      return NpyReader.read(new ByteArrayInputStream(bytes()), NAME);
    } catch (java.io.EOFException e) {
      throw new InvalidInputException(NAME + " is truncated: it ends before the data the header "
          + "announces", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** @return the text rows on standard input */
  static double[][] rows() {
    try {
      return CsvReader.read(new BufferedReader(new InputStreamReader(new ByteArrayInputStream(bytes()),
          StandardCharsets.UTF_8)), NAME);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
