package org.nke.cntk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nke.spi.Progress;

/** The CNTK time estimate follows the settled rate, not the slow start (JIT warm-up). */
class ForecastTest {
  @Test
  void theEstimateUsesTheRateOnceItStopsImprovingNotTheWarmUp() throws InterruptedException {
    List<CostEstimate> got = new ArrayList<>();
    long[] passed = {0};
    Progress next = units -> passed[0] += units;
    Forecast f = new Forecast(next, got::add, 10_000);
    for (int i = 0; i < 3; i++) { // a cold start: 600 ms per pair
      Thread.sleep(600);
      f.advance(1);
    }
    long t0 = System.nanoTime();
    while (got.isEmpty() && System.nanoTime() - t0 < 10_000_000_000L) { // then 10 ms per pair
      Thread.sleep(10);
      f.advance(1);
    }
    assertEquals(1, got.size());
    CostEstimate e = got.get(0);
    assertNotNull(e);
    // the average since the start would be about 2 s / 23 pairs = 87 ms per pair
    assertTrue(e.secondsPerPair() < 0.04, e.describe());
    assertEquals(10_000 - passed[0], e.pairs());
  }
}
