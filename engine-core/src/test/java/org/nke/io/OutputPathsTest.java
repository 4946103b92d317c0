package org.nke.io;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nke.error.UsageException;

/** An output that would destroy an input, or that cannot be written, is found before any work. */
class OutputPathsTest {
  @TempDir
  Path dir;

  private static String refused(Path out, Path in) {
    return assertThrows(UsageException.class, () -> OutputPaths.check(List.of(Map.entry("--out", out)),
        List.of(Map.entry("--x", in)))).getMessage();
  }

  @Test
  void anOutputNamingAnInputIsRefusedAlsoThroughLinks() throws IOException {
    Path x = Files.writeString(dir.resolve("x.npy"), "data");
    assertTrue(refused(x, x).contains("--out must not name an input of the command"), refused(x, x));
    assertTrue(refused(dir.resolve("sub/../x.npy"), x).contains("--x"));
    Path symlink = Files.createSymbolicLink(dir.resolve("link.npy"), x);
    assertTrue(refused(symlink, x).contains("which is --x"));
    Path hard = Files.createLink(dir.resolve("hard.npy"), x);
    assertTrue(refused(hard, x).contains("which is --x"));
    Path linkedDir = Files.createSymbolicLink(dir.resolve("alias"), dir);
    assertTrue(refused(linkedDir.resolve("x.npy"), x).contains("which is --x"));
    assertDoesNotThrow(() -> OutputPaths.check(List.of(Map.entry("--out", dir.resolve("K.npy"))),
        List.of(Map.entry("--x", x), Map.entry("--y", Path.of("-")))));
  }

  @Test
  void twoOutputsMustDiffer() {
    Path k = dir.resolve("K.npy");
    String m = assertThrows(UsageException.class, () -> OutputPaths.check(List.of(Map.entry("--out", k),
        Map.entry("--covariance", k)), List.of())).getMessage();
    assertTrue(m.contains("--covariance must differ from --out"), m);
  }

  @Test
  void aLocationThatCannotBeWrittenIsAUsageError() throws IOException {
    assertTrue(assertThrows(UsageException.class, () -> OutputPaths.location("--out", Path.of("")))
        .getMessage().contains("--out must be a file name, got an empty string"));
    assertTrue(assertThrows(UsageException.class, () -> OutputPaths.location("--out", dir))
        .getMessage().contains("which is a directory"));
    Path file = Files.writeString(dir.resolve("file"), "");
    assertTrue(assertThrows(UsageException.class, () -> OutputPaths.location("--out",
        file.resolve("sub/K.npy"))).getMessage().contains("is a file"));
    if (Files.isDirectory(Path.of("/proc/self"))) {
      assertTrue(assertThrows(UsageException.class, () -> OutputPaths.location("--out",
          Path.of("/proc/K.npy"))).getMessage().contains("must be in a writable directory"));
    }
    assertDoesNotThrow(() -> OutputPaths.location("--out", dir.resolve("new/dir/K.npy")));
    assertTrue(Files.notExists(dir.resolve("new")), "the check creates nothing");
    try (var left = Files.list(dir)) {
      assertTrue(left.noneMatch(p -> p.getFileName().toString().contains("probe")));
    }
  }

  @Test
  void aReadOnlyDirectoryIsRefusedForOrdinaryUsers() throws IOException {
    Path ro = Files.createDirectory(dir.resolve("ro"));
    assertTrue(ro.toFile().setWritable(false, false));
    try {
      Assumptions.assumeFalse(Files.isWritable(ro), "root writes anywhere");
      assertThrows(UsageException.class, () -> OutputPaths.location("--out", ro.resolve("K.npy")));
    } finally {
      ro.toFile().setWritable(true);
    }
  }

  @Test
  void devicesAreAcceptedAndStandardOutputOnlyOnce() {
    Assumptions.assumeTrue(Files.exists(Path.of("/dev/null")));
    assertDoesNotThrow(() -> OutputPaths.location("--out", Path.of("/dev/null")));
    assertTrue(assertThrows(UsageException.class, () -> OutputPaths.check(List.of(
        Map.entry("--out", Path.of("-")), Map.entry("--variance", Path.of("-.csv"))), List.of()))
        .getMessage().contains("standard output"));
  }
}
