package org.nke.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mistakes a new user makes are answered with one message that names the problem, before any work,
 * and the contract's exit code (2 usage, 4 bad input).
 */
class UsageErrorsTest extends CommandTest {
  @TempDir
  Path dir;

  @Test
  void anUnknownCommandListsTheCommands() {
    assertEquals(2, nke("frobnicate"));
    assertTrue(err.contains("unknown command 'frobnicate'") && err.contains("kernel, features"), err);
  }

  @Test
  void zeroThreadsIsAUsageErrorOfThatCommand() {
    assertEquals(2, nke("kernel", "--arch", "Dense()", "--x", "nowhere.npy", "--out", "K.npy",
        "--threads", "0"));
    assertTrue(err.contains("--threads must be at least 1, got 0")
        && err.contains("Try 'nke kernel --help'"), err);
  }

  @Test
  void hermiteTakesExactlyOneActivationAndQuotesItBack() {
    assertEquals(2, nke("hermite", "--act", "Dense()"));
    assertTrue(err.contains("'Dense()' is not one activation"), err);
    assertEquals(2, nke("hermite", "--act", "Foo"));
    assertTrue(err.contains("'Foo'") && !err.contains("Dense()"), err);
  }

  @Test
  void demoChecksItsDimensionsBeforeAnyWork() {
    long t0 = System.nanoTime();
    assertEquals(2, nke("demo", "--dims", "256,30"));
    assertTrue(err.contains("even and at least 64, got 30"), err);
    assertTrue(System.nanoTime() - t0 < 2e9, "before loading the data");
  }

  @Test
  void aMissingModelFileIsNamedAsMissing() {
    assertEquals(4, nke("predict", "--model", dir.resolve("none.nkem").toString(), "--x",
        dir.resolve("x.npy").toString(), "--out", dir.resolve("p.csv").toString()));
    assertTrue(err.contains("none.nkem") && err.contains("no such file"), err);
  }
}
