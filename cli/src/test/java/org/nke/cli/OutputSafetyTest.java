package org.nke.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No command loses data: an output that names an input of the same command, or that cannot be
 * written, is a usage error (exit 2) before any work; a device is written through, not replaced.
 */
class OutputSafetyTest extends CommandTest {
  private static final String ARCH = "Dense(), Relu(), Dense()";

  @TempDir
  Path dir;

  private String x() throws IOException {
    return Files.writeString(dir.resolve("x.csv"), "1,2\n3,4\n5,6\n7,8\n").toString();
  }

  private String labels() throws IOException {
    return Files.writeString(dir.resolve("y.csv"), "0\n1\n0\n1\n").toString();
  }

  private void assertRefused(String option, String input, byte[] before, Path file) throws IOException {
    assertTrue(err.contains(option + " must not name an input of the command")
        && err.contains("which is " + input), err);
    assertArrayEquals(before, Files.readAllBytes(file), "the input is untouched");
  }

  @Test
  void kernelAndFeaturesRefuseToWriteOverTheirInputs() throws IOException {
    String x = x();
    byte[] before = Files.readAllBytes(Path.of(x));
    assertEquals(2, nke("kernel", "--arch", ARCH, "--x", x, "--out", x));
    assertRefused("--out", "--x", before, Path.of(x));
    Path link = Files.createSymbolicLink(dir.resolve("link.csv"), Path.of(x));
    assertEquals(2, nke("kernel", "--arch", ARCH, "--x", dir.resolve("y.csv").toString(), "--y", x,
        "--out", link.toString()));
    assertTrue(err.contains("which is --y"), err);
    Path hard = Files.createLink(dir.resolve("hard.csv"), Path.of(x));
    assertEquals(2, nke("features", "--arch", ARCH, "--x", x, "--kind", "nngp", "--dim", "64",
        "--out", hard.toString()));
    assertRefused("--out", "--x", before, Path.of(x));
  }

  @Test
  void kernelBothChecksTheNamesItDerives() throws IOException {
    Path x = Files.writeString(dir.resolve("K.nngp.csv"), "1,2\n3,4\n");
    assertEquals(2, nke("kernel", "--arch", ARCH, "--x", x.toString(), "--kind", "both", "--out",
        dir.resolve("K.csv").toString()));
    assertTrue(err.contains("--out (K.nngp.csv) must not name an input"), err);
  }

  @Test
  void fitAndPredictRefuseToWriteOverModelOrLabels() throws IOException {
    String x = x();
    String y = labels();
    byte[] before = Files.readAllBytes(Path.of(x));
    assertEquals(2, nke("fit", "--arch", ARCH, "--x", x, "--labels", y, "--model", x));
    assertRefused("--model", "--x", before, Path.of(x));
    String model = dir.resolve("m.nkem").toString();
    assertEquals(0, nke("fit", "--arch", ARCH, "--x", x, "--labels", y, "--model", model), err);
    byte[] saved = Files.readAllBytes(Path.of(model));
    assertEquals(2, nke("predict", "--model", model, "--x", x, "--out", model));
    assertRefused("--out", "--model", saved, Path.of(model));
    byte[] truth = Files.readAllBytes(Path.of(y));
    assertEquals(2, nke("predict", "--model", model, "--x", x, "--labels", y, "--out", y));
    assertRefused("--out", "--labels", truth, Path.of(y));
  }

  @Test
  void aBadOutputLocationIsFoundInTheFirstSecond() throws IOException {
    String x = x();
    Path file = Files.writeString(dir.resolve("file"), "");
    String[][] cases = {{"", "must be a file name, got an empty string"},
        {dir.toString(), "which is a directory"},
        {file.resolve("K.npy").toString(), "is a file"}};
    for (String[] c : cases) {
      long t0 = System.nanoTime();
      assertEquals(2, nke("kernel", "--arch", ARCH, "--x", x, "--out", c[0]), c[0]);
      assertTrue(err.contains(c[1]), err);
      assertTrue(System.nanoTime() - t0 < 1e9, "before any work");
      assertEquals(2, nke("fit", "--arch", ARCH, "--x", x, "--labels", labels(), "--model", c[0]));
      assertTrue(err.contains("--model") && err.contains(c[1]), err);
    }
    if (Files.isDirectory(Path.of("/proc/self"))) {
      assertEquals(2, nke("features", "--arch", ARCH, "--x", x, "--kind", "nngp", "--dim", "64",
          "--out", "/proc/F.npy"));
      assertTrue(err.contains("must be in a writable directory"), err);
    }
    assertEquals(0, nke("kernel", "--arch", ARCH, "--x", x, "--out",
        dir.resolve("new/dir/K.npy").toString()), err);
    assertTrue(Files.isRegularFile(dir.resolve("new/dir/K.npy")), "a missing parent is created");
  }

  @Test
  void devNullIsWrittenThroughNotReplaced() throws IOException {
    Path devNull = Path.of("/dev/null");
    Assumptions.assumeTrue(Files.exists(devNull) && !Files.isRegularFile(devNull));
    assertEquals(0, nke("kernel", "--arch", ARCH, "--x", x(), "--out", "/dev/null"), err);
    assertFalse(Files.isRegularFile(devNull), "/dev/null is still a device");
    assertEquals(0, Files.size(devNull));
  }
}
