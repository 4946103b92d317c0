package org.nke.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nke.error.UsageException;

/**
 * Checks made on output paths before any work, so that no command loses data and none fails after
 * minutes of compute: an output must not be an input of the same command (also through symbolic or
 * hard links), must not be a directory, must lie in a writable place (a missing parent is created when
 * written); an existing device or FIFO is written through ({@link AtomicOutput}), never replaced.
 * {@code -} (or {@code -.npy}, {@code -.csv}) names standard output.
 */
public final class OutputPaths {
  private OutputPaths() {
  }

  /**
   * @param path an output path
   * @return whether it names standard output: {@code -}, {@code -.npy} or {@code -.csv}
   */
  public static boolean isStandardOutput(Path path) {
    String s = path.toString();
    return s.equals("-") || s.equals("-.npy") || s.equals("-.csv");
  }

  /**
   * Checks outputs against each other and against the inputs, and each output's location.
   *
   * @param outputs each output file with what it is called in messages (e.g. {@code --out}); a
   *     command writing several files from one option lists each
   * @param inputs each input file with its name (e.g. {@code --x}); {@code -} (standard input) and
   *     {@code null} values are skipped
   * @throws UsageException for the first problem found
   */
  public static void check(List<Map.Entry<String, Path>> outputs, List<Map.Entry<String, Path>> inputs) {
    List<Map.Entry<String, Path>> seen = new ArrayList<>();
    boolean stdout = false;
    for (Map.Entry<String, Path> o : outputs) {
      Path out = o.getValue();
      if (isStandardOutput(out)) {
        if (stdout) {
          throw new UsageException(o.getKey() + " must not be standard output when another output "
              + "is, got " + out);
        }
        stdout = true;
        continue;
      }
      location(o.getKey(), out);
      for (Map.Entry<String, Path> i : inputs) {
        if (i.getValue() != null && !i.getValue().toString().equals("-") && same(out, i.getValue())) {
          throw new UsageException(o.getKey() + " must not name an input of the command, got " + out
              + ", which is " + i.getKey() + " " + i.getValue() + " (writing it would destroy the input)");
        }
      }
      for (Map.Entry<String, Path> s : seen) {
        if (same(out, s.getValue())) {
          throw new UsageException(o.getKey() + " must differ from " + s.getKey() + ", got " + out
              + " for both");
        }
      }
      seen.add(o);
    }
  }

  /**
   * Checks where an output goes: not empty, not a directory, its nearest existing ancestor a directory
   * in which a file can be created (tried with a hidden probe file, removed at once).
   *
   * @param option what the output is called in messages
   * @param out the output path
   * @throws UsageException if it cannot be written
   */
  public static void location(String option, Path out) {
    if (out.toString().isEmpty()) {
      throw new UsageException(option + " must be a file name, got an empty string");
    }
    if (Files.isDirectory(out)) {
      throw new UsageException(option + " must be a file, got " + out + ", which is a directory");
    }
    if (Files.exists(out) && !Files.isRegularFile(out)) {
      return; // a device or FIFO: written through when the results are ready
    }
    Path dir = out.toAbsolutePath().getParent();
    while (dir != null && !Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !Files.exists(dir)) {
      dir = dir.getParent();
    }
    if (dir == null) {
      return;
    }
    if (!Files.isDirectory(dir)) {
      throw new UsageException(option + " must be in a directory, got " + out + ", whose parent "
          + dir + " is a file");
    }
    try {
      Path probe = Files.createTempFile(dir, ".nke-probe-", ".partial");
      Files.deleteIfExists(probe);
    } catch (IOException | SecurityException e) {
      throw new UsageException(option + " must be in a writable directory, got " + out + " ("
          + dir + ": " + describe(e) + ")", e);
    }
  }

  /** Whether two paths name the same file: the same inode when both exist, else the same real path. */
  static boolean same(Path a, Path b) {
    try {
      if (Files.exists(a) && Files.exists(b)) {
        return Files.isSameFile(a, b);
      }
      return canonical(a).equals(canonical(b));
    } catch (IOException e) {
      return false;
    }
  }

  /** The absolute path with the longest existing prefix resolved through links. */
  private static Path canonical(Path p) throws IOException {
    Path abs = p.toAbsolutePath().normalize();
    Path existing = abs;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    return existing == null ? abs : existing.toRealPath().resolve(existing.relativize(abs));
  }

  private static String describe(Exception e) {
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.file.FileSystemException f) {
      return "cannot create a file there" + (f.getReason() != null ? ": " + f.getReason() : "");
    }
    return e.getMessage();
  }
}
