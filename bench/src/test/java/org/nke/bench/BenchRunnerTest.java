package org.nke.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.nke.bench.report.MarkdownReport;

/** The harness itself: medians, warm-up, metrics, failures, JSON lines and Markdown tables. */
class BenchRunnerTest {

  /** A case whose k-th run takes k × 20 ms, counting its calls. */
  private static final class Sleeper implements BenchCase {
    final AtomicInteger calls = new AtomicInteger();
    final boolean warm;

    Sleeper(boolean warm) {
      this.warm = warm;
    }

    @Override
    public String name() {
      return "sleep \"quoted\"";
    }

    @Override
    public Map<String, Object> params() {
      return Map.of("n", 10);
    }

    @Override
    public Object run() throws InterruptedException {
      int k = calls.incrementAndGet();
      Thread.sleep(20L * k);
      return k;
    }

    @Override
    public Map<String, Object> evaluate(Object result) {
      return Map.of("last_call", result);
    }

    @Override
    public double units() {
      return 10;
    }

    @Override
    public String unit() {
      return "points";
    }

    @Override
    public double flops() {
      return 1e6;
    }

    @Override
    public boolean warmUp() {
      return warm;
    }
  }

  @Test
  void theMedianOfTheRepetitionsAfterAWarmUpIsReported() {
    Sleeper c = new Sleeper(true);
    List<BenchResult> seen = new ArrayList<>();
    List<BenchResult> r = new BenchRunner(3).run("t", List.of(c), seen::add);
    assertEquals(r, seen);
    BenchResult b = r.get(0);
    assertEquals(4, c.calls.get(), "one warm-up and three timed runs");
    assertEquals(3, b.runs());
    // timed runs sleep 40, 60, 80 ms: the median is the 60 ms run
    assertTrue(b.seconds() >= 0.060 && b.seconds() < 0.079, "median " + b.seconds());
    assertEquals(10 / b.seconds(), b.throughput(), 1e-9);
    assertEquals(1e6 / b.seconds() / 1e9, b.gflops(), 1e-12);
    assertEquals(4, b.metrics().get("last_call"), "evaluate sees the last timed result");
    assertNull(b.failure());
    assertTrue(b.peakHeapMb() > 0);
  }

  @Test
  void longCasesMaySkipTheWarmUp() {
    Sleeper c = new Sleeper(false);
    new BenchRunner(2).run("t", List.of(c), r -> { });
    assertEquals(2, c.calls.get());
  }

  @Test
  void aFailingCaseIsRecordedAndTheOthersStillRun() {
    BenchCase bad = new BenchCase() {
      @Override
      public String name() {
        return "bad";
      }

      @Override
      public Map<String, Object> params() {
        return Map.of("n", 1);
      }

      @Override
      public Object run() {
        throw new IllegalStateException("boom | pipe");
      }
    };
    List<BenchResult> r = new BenchRunner(1).run("t", List.of(bad, new Sleeper(false)), x -> { });
    assertEquals(2, r.size());
    assertTrue(Double.isNaN(r.get(0).seconds()));
    assertTrue(r.get(0).failure().contains("boom"), r.get(0).failure());
    assertNull(r.get(1).failure());
    String json = r.get(0).toJson();
    assertTrue(json.contains("\"seconds\": null") && json.contains("\"failure\": \"java.lang"), json);
    String table = MarkdownReport.table(r);
    assertTrue(table.contains("failed: java.lang.IllegalStateException: boom / pipe"), table);
    // every row of the table has as many cells as the header
    String[] lines = table.split("\n");
    long cells = lines[0].chars().filter(ch -> ch == '|').count();
    for (String line : lines) {
      assertEquals(cells, line.chars().filter(ch -> ch == '|').count(), line);
    }
  }

  @Test
  void jsonLinesEscapeStringsAndWriteIntegersAsIntegers() {
    List<BenchResult> r = new BenchRunner(1).run("t", List.of(new Sleeper(false)), x -> { });
    String json = r.get(0).toJson();
    assertTrue(json.startsWith("{\"suite\": \"t\", \"case\": \"sleep \\\"quoted\\\"\", \"n\": 10,"), json);
    assertTrue(json.contains("\"last_call\": 1") && json.contains("\"unit\": \"points/s\""), json);
    assertFalse(json.contains("NaN"), json);
  }

  @Test
  void numbersInTablesHaveFourSignificantDigits() {
    assertEquals("1.235", MarkdownReport.num(1.23456));
    assertEquals("1.235e+06", MarkdownReport.num(1234567));
    assertEquals("5.000e-04", MarkdownReport.num(5e-4));
    assertEquals("—", MarkdownReport.num(Double.NaN));
    assertEquals("0.000", MarkdownReport.num(0));
  }
}
