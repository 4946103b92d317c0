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
 * deletes the temporaries, so a failed command never leaves a partial output behind.
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
        tmp = Files.createFile(candidate);
      } catch (java.nio.file.FileAlreadyExistsException e) {
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
    }
    committed = true;
  }

  @Override
  public void close() {
    if (!committed) {
      for (Path t : temps) {
        try {
          Files.deleteIfExists(t);
        } catch (IOException ignored) {
          // best effort: the temporary is hidden and named .partial
        }
      }
    }
  }
}
