package org.nke.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** What {@link ProgressBar} writes on a terminal and elsewhere (a log, a pipe). */
class ProgressBarTest {
  private static long tenSecondsAgo() {
    return System.nanoTime() - 10_000_000_000L;
  }

  @Test
  void notATerminalGivesFullLinesWithoutCarriageReturns() {
    StringWriter s = new StringWriter();
    try (ProgressBar bar = new ProgressBar(new PrintWriter(s), "cntk", 100, true, false,
        tenSecondsAgo())) {
      bar.advance(40);
      bar.advance(10); // within five seconds of the last line: not drawn
    }
    String text = s.toString();
    assertFalse(text.contains("\r"), text);
    String[] lines = text.split("\n");
    assertEquals(2, lines.length, text);
    assertTrue(lines[0].matches("nke: cntk  40% 1\\d\\.\\ds elapsed, ~1\\d\\.\\ds left"), lines[0]);
    assertTrue(lines[1].startsWith("nke: cntk 100% "), lines[1]);
  }

  @Test
  void aTerminalRedrawsInPlace() {
    StringWriter s = new StringWriter();
    try (ProgressBar bar = new ProgressBar(new PrintWriter(s), "cntk", 100, true, true,
        tenSecondsAgo())) {
      bar.advance(50);
    }
    String text = s.toString();
    assertTrue(text.startsWith("\rcntk [###############...............]  50% 10."), text);
    assertTrue(text.endsWith("\n"), text);
    assertEquals(1, text.split("\n").length, text);
  }

  @Test
  void aStepWithoutUnitsIsNamedAndTheElapsedTimeMoves() throws InterruptedException {
    StringWriter s = new StringWriter();
    try (ProgressBar bar = new ProgressBar(new PrintWriter(s), "fit", 100, true, true,
        tenSecondsAgo())) {
      bar.advance(100);
      bar.phase("solving (Cholesky of 2000 x 2000)");
      Thread.sleep(1300); // the ticker redraws once a second with no call
    }
    String text = s.toString();
    assertTrue(text.contains("elapsed, solving (Cholesky of 2000 x 2000)"), text);
    assertTrue(text.split("solving").length >= 3, "the ticker redrew with no call: " + text);
  }

  @Test
  void shortWorkAndQuietPrintNothing() {
    StringWriter s = new StringWriter();
    try (ProgressBar bar = new ProgressBar(new PrintWriter(s), "kernel", 10, true, false,
        System.nanoTime())) {
      bar.advance(10);
    }
    try (ProgressBar bar = new ProgressBar(new PrintWriter(s), "kernel", 10, false, true,
        tenSecondsAgo())) {
      bar.advance(10);
    }
    assertEquals("", s.toString());
  }
}
