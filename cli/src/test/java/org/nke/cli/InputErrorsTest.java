package org.nke.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No input ends in a stack trace or in a wasted minute: each is one message and its exit code. */
class InputErrorsTest extends CommandTest {
  private static final String ARCH = "Dense(), Relu(), Dense()";

  @TempDir
  Path dir;

  private String x() throws IOException {
    return Files.writeString(dir.resolve("x.txt"), "1 2\n3 4\n5 6\n").toString();
  }

  @Test
  void deepArchitecturesAreUsageErrors() throws IOException {
    assertEquals(2, nke("kernel", "--arch", "serial(".repeat(5000) + "Dense()" + ")".repeat(5000),
        "--x", x(), "--out", dir.resolve("K.npy").toString()));
    assertTrue(err.contains("nesting must be at most") && !err.contains("StackOverflow"), err);
    assertEquals(2, nke("kernel", "--arch", "Dense(W_std=" + "(".repeat(3000) + "1" + ")".repeat(3000)
        + ")", "--x", x(), "--out", dir.resolve("K.npy").toString()));
    assertTrue(err.contains("nesting must be at most"), err);
  }

  @Test
  void sizesThatCannotFitAreResourceErrorsBeforeTheWork() throws IOException {
    long t0 = System.nanoTime();
    assertEquals(5, nke("features", "--arch", ARCH, "--x", x(), "--kind", "nngp", "--dim",
        "1073741824", "--out", dir.resolve("F.npy").toString()));
    assertTrue(err.contains("--dim 1073741824") && err.contains("needs") && err.contains("smaller --dim"),
        err);
    assertTrue(System.nanoTime() - t0 < 5e9, "before the work");
    assertFalse(Files.exists(dir.resolve("F.npy")));
  }

  @Test
  void outOfMemoryIsExitFiveWithAdvice() {
    StringWriter e = new StringWriter();
    assertEquals(5, Main.failure(new RuntimeException(new OutOfMemoryError("Java heap space")),
        new PrintWriter(e)));
    assertTrue(e.toString().contains("out of memory") && e.toString().contains("NKE_JAVA_OPTS"),
        e.toString());
  }

  @Test
  void optionValuesThatCannotWorkAreUsageErrors() throws IOException {
    for (String eps : new String[] {"0", "-0.1", "NaN"}) {
      assertEquals(2, nke("features", "--arch", "Dense(b_std=0), Relu()", "--x", x(), "--kind", "nngp",
          "--method", "subspace", "--epsilon", eps, "--out", dir.resolve("F.npy").toString()));
      assertTrue(err.contains("--epsilon must be positive, got"), err);
      assertEquals(2, nke("fit", "--arch", ARCH, "--x", x(), "--labels", x(), "--method", "subspace",
          "--epsilon", eps, "--model", dir.resolve("m.nkem").toString()));
      assertTrue(err.contains("--epsilon must be positive"), err);
    }
    assertEquals(2, nke("hermite", "--act", "Relu", "--scale", "0"));
    assertTrue(err.contains("--scale must be positive") && !out.contains("NaN"), err);
  }

  @Test
  void anUnknownOptionIsNamedBeforeAMissingOne() throws IOException {
    assertEquals(2, nke("kernel", "--arch", ARCH, "--x", x(), "--outt", "K.npy"));
    assertTrue(err.contains("unknown option '--outt' (did you mean --out?)"), err);
    assertFalse(err.contains("Missing required"), err);
  }

  @Test
  void numpyTextAndBadSpellingsAreNamedWithLineAndColumn() throws IOException {
    assertEquals(0, nke("kernel", "--arch", ARCH, "--x", x(), "--out",
        dir.resolve("K.npy").toString()), err);
    Path nan = Files.writeString(dir.resolve("nan.txt"), "1 2\n3 nan\n");
    assertEquals(4, nke("kernel", "--arch", ARCH, "--x", nan.toString(), "--out",
        dir.resolve("K.npy").toString()));
    assertTrue(err.contains("values must be finite, got nan at line 2, column 2"), err);
    Path java = Files.writeString(dir.resolve("j.csv"), "1,2\n3d,4\n");
    assertEquals(4, nke("features", "--arch", ARCH, "--x", java.toString(), "--kind", "nngp", "--dim",
        "64", "--out", dir.resolve("F.npy").toString()));
    assertTrue(err.contains("values must be numbers, got '3d' at line 2, column 1"), err);
  }

  @Test
  void aTruncatedNpyIsBadInputAtOnce() throws IOException {
    String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000, 2), }";
    String header = dict + " ".repeat((64 - (10 + dict.length() + 1) % 64) % 64) + "\n";
    Path p = dir.resolve("big.npy");
    try (var os = Files.newOutputStream(p)) {
      os.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length(), 0});
      os.write(header.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      os.write(new byte[64]);
    }
    String out = dir.resolve("F.npy").toString();
    String[][] commands = {{"kernel", "--arch", ARCH, "--x", p.toString(), "--out", out},
        {"features", "--arch", ARCH, "--x", p.toString(), "--kind", "nngp", "--dim", "64", "--out", out},
        {"kernel", "--arch", ARCH, "--x", x(), "--y", p.toString(), "--out", out}};
    for (String[] c : commands) {
      long t0 = System.nanoTime();
      assertEquals(4, nke(c));
      assertTrue(err.contains("is truncated: its header announces shape (1000000000, 2)"), err);
      assertTrue(System.nanoTime() - t0 < 2e9, "without allocating 16 GB");
    }
  }
}
