package org.nke.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Output files that appear only when everything succeeded: each is written to a temporary file in
 * the same directory and moved into place by {@link #commit()}; {@link #close()} without commit
 * deletes the temporaries, so a failed command never leaves a partial output behind. Temporaries are
 * also deleted by a JVM shutdown hook, so SIGINT, SIGTERM and SIGHUP (exit 130, 143, 129) during a
 * write leave nothing behind. An existing output that is not a regular file (a device such as
 * {@code /dev/null}, a FIFO) is written through, never replaced; {@code -} is standard output (see
 * {@link OutputPaths}).
 */
public final class AtomicOutput implements AutoCloseable {
  private final List<Path> targets = new ArrayList<>();
  private final List<Path> temps = new ArrayList<>();
  private boolean committed;

  /**
   * Opens a temporary file for {@code target}.
   *
   * @param target the final path
   * @return a stream to write the contents to (close it before {@link #commit()})
   * @throws IOException if the directory is not writable
   */
  public OutputStream open(Path target) throws IOException {
    if (OutputPaths.isStandardOutput(target)) {
      // not closed with the writer: the JVM owns standard output
      return new java.io.FilterOutputStream(new java.io.FileOutputStream(java.io.FileDescriptor.out)) {
        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
          flush();
        }
      };
    }
    if (Files.exists(target) && !Files.isRegularFile(target) && !Files.isDirectory(target)) {
      return Files.newOutputStream(target, java.nio.file.StandardOpenOption.WRITE);
    }
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    // not Files.createTempFile, which makes the file owner-only (0600): results get the
    // permissions of any other file the user creates (the umask's)
    Path tmp = null;
    for (int attempt = 0; tmp == null; attempt++) {
      Path candidate = abs.resolveSibling("." + abs.getFileName() + "."
          + Long.toUnsignedString(java.util.concurrent.ThreadLocalRandom.current().nextLong(), 36) + ".partial");
      try {
        Temporaries.register(candidate); // before it exists: a signal now still removes it
        tmp = Files.createFile(candidate);
      } catch (java.nio.file.FileAlreadyExistsException e) {
        Temporaries.unregister(candidate);
        if (attempt > 100) {
          throw e;
        }
      }
    }
    targets.add(abs);
    temps.add(tmp);
    return Files.newOutputStream(tmp);
  }

  /**
   * Moves every temporary into place.
   *
   * @throws IOException if a move fails
   */
  public void commit() throws IOException {
    for (int i = 0; i < targets.size(); i++) {
      try {
        Files.move(temps.get(i), targets.get(i), StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      } catch (java.nio.file.AtomicMoveNotSupportedException e) {
        Files.move(temps.get(i), targets.get(i), StandardCopyOption.REPLACE_EXISTING);
      }
      Temporaries.unregister(temps.get(i));
    }
    committed = true;
  }

  @Override
  public void close() {
    if (!committed) {
      for (Path t : temps) {
        Temporaries.delete(t);
      }
    }
  }

  /**
   * The temporaries of every open output in this JVM, deleted by a shutdown hook (the hook is
   * process-wide by nature, so this one registry is static; it is installed on first use).
   */
  static final class Temporaries {
    private static final java.util.Set<Path> OPEN = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private Temporaries() {
    }

    /** Installs the hook once (holder idiom). */
    private static final class Hook {
      static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          for (Path p : OPEN) {
            delete(p);
          }
        }, "nke-remove-partial-outputs"));
      }

      static void install() {
        // loading the class installs the hook
      }
    }

    static void register(Path p) {
      Hook.install();
      OPEN.add(p);
    }

    static void unregister(Path p) {
      OPEN.remove(p);
    }

    static void delete(Path p) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // best effort: the temporary is hidden and named .partial
      }
      OPEN.remove(p);
    }
  }
}
