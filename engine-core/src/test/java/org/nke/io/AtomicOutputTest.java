package org.nke.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Results appear whole or not at all, with the permissions of any file the user creates. */
class AtomicOutputTest {
  @TempDir
  Path dir;

  @Test
  void committedFilesHaveTheUsersDefaultPermissions() throws IOException {
    Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"),
        "POSIX permissions only");
    Path plain = Files.createFile(dir.resolve("plain"));
    Path target = dir.resolve("K.npy");
    try (AtomicOutput out = new AtomicOutput()) {
      try (OutputStream os = out.open(target)) {
        os.write(42);
      }
      out.commit();
    }
    assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(target));
    assertEquals(1, Files.size(target));
  }

  @Test
  void withoutCommitNothingIsLeft() throws IOException {
    try (AtomicOutput out = new AtomicOutput()) {
      try (OutputStream os = out.open(dir.resolve("K.npy"))) {
        os.write(1);
      }
    }
    try (Stream<Path> left = Files.list(dir)) {
      assertFalse(left.findAny().isPresent());
    }
  }
}
