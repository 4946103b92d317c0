package org.nke.io;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.nke.error.InvalidInputException;

/**
 * {@code -} as an input file: standard input, in the {@code .npy} format when it starts with numpy's
 * magic, else as text ({@link CsvReader}). It can be read only once, so it is either streamed front
 * to back ({@link #stream()}: {@link PointStream} reads a {@code .npy} block by block, in memory
 * independent of its length) or read whole and kept ({@link #bytes()}: text, and the commands that
 * need every point at once). Process-wide, as standard input itself is.
 */
public final class StandardInput {
  /** The name used in messages. */
  public static final String NAME = "standard input";
  private static byte[] bytes;
  private static BufferedInputStream in;
  private static boolean streamed;

  private StandardInput() {
  }

  /**
   * @param path an input path
   * @return whether it is {@code -}
   */
  public static boolean is(Path path) {
    return path != null && path.toString().equals("-");
  }

  /** @return standard input, buffered once so that its first bytes can be looked at */
  private static BufferedInputStream in() {
    if (in == null) {
      in = new BufferedInputStream(System.in, 1 << 16);
    }
    return in;
  }

  /**
   * Whether standard input starts with numpy's magic, looking at its first bytes without consuming
   * them.
   *
   * @return {@code true} for a {@code .npy} stream
   */
  static synchronized boolean startsAsNpy() {
    if (bytes != null) {
      return isNpy();
    }
    byte[] head = new byte[6];
    try {
      BufferedInputStream b = in();
      b.mark(head.length);
      int got = b.readNBytes(head, 0, head.length);
      b.reset();
      return got == head.length && isMagic(head);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Hands standard input over to be read once, front to back; it cannot be read whole afterwards.
   *
   * @return the stream (the kept bytes when it was read whole before)
   */
  static synchronized InputStream stream() {
    if (bytes != null) {
      return new ByteArrayInputStream(bytes);
    }
    streamed = true;
    return in();
  }

  /** @return everything on standard input (read on the first call) */
  static synchronized byte[] bytes() {
    if (bytes == null) {
      if (streamed) {
        throw new IllegalStateException(NAME + " was already streamed: it cannot be read twice");
      }
      try {
        bytes = in().readAllBytes();
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
    return isMagic(bytes());
  }

  private static boolean isMagic(byte[] b) {
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
