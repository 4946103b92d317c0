package org.nke.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

  @Test
  void aDeviceIsWrittenThroughNotReplaced() throws IOException {
    Path devNull = Path.of("/dev/null");
    Assumptions.assumeTrue(Files.exists(devNull) && !Files.isRegularFile(devNull));
    try (AtomicOutput out = new AtomicOutput()) {
      try (OutputStream os = out.open(devNull)) {
        os.write(new byte[1000]);
      }
      out.commit();
    }
    assertFalse(Files.isRegularFile(devNull), "/dev/null is still a device");
    assertEquals(0, Files.size(devNull));
  }

  @Test
  void aFifoIsWrittenThroughToItsReader() throws Exception {
    Path fifo = dir.resolve("pipe");
    Assumptions.assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0,
        "mkfifo");
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      java.util.concurrent.Future<byte[]> read = pool.submit(() -> Files.readAllBytes(fifo));
      org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20), () -> {
        try (AtomicOutput out = new AtomicOutput()) {
          try (OutputStream os = out.open(fifo)) {
            os.write(new byte[] {1, 2, 3});
          }
          out.commit();
        }
        assertEquals(3, read.get().length);
      });
    } finally {
      pool.shutdownNow();
    }
    assertFalse(Files.isRegularFile(fifo), "the FIFO is still a FIFO");
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource({"TERM, 143", "INT, 130", "HUP, 129"})
  void aSignalDuringTheWriteRemovesTheTemporary(String signal, int code) throws Exception {
    Path target = dir.resolve("big.npy");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), SlowOutputMain.class.getName(), target.toString())
        .redirectErrorStream(true).start();
    try {
      java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(
          p.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
      assertEquals("writing", r.readLine());
      try (Stream<Path> files = Files.list(dir)) {
        assertTrue(files.anyMatch(f -> f.getFileName().toString().endsWith(".partial")),
            "the temporary exists while writing");
      }
      Thread.sleep(300);
      assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor());
      assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "exits on SIG" + signal);
      assertEquals(code, p.exitValue());
      try (Stream<Path> left = Files.list(dir)) {
        assertEquals(java.util.List.of(), left.toList(), "nothing is left behind");
      }
    } finally {
      p.destroyForcibly();
    }
  }
}
