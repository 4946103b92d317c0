package org.nke.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The chart axes name values one can read: decades and the measured sizes. */
class LineChartTest {
  @Test
  void aLogAxisIsLabelledAtTheMeasuredSizesAndAtEveryDecade() {
    List<Double> t = LineChart.ticks(200, 5000, true, new double[] {256, 1024, 4096});
    assertEquals(List.of(256.0, 1024.0, 4096.0), t.subList(0, 3), "measured sizes first: " + t);
    assertTrue(t.contains(1000.0) && t.contains(500.0) && t.contains(2000.0), t.toString());
    List<Double> wide = LineChart.ticks(3e-5, 2e2, true, null);
    assertEquals(List.of(1e-4, 1e-3, 1e-2, 1e-1, 1.0, 10.0, 100.0), wide, "one per decade");
    List<Double> narrow = LineChart.ticks(0.017, 0.1, true, null);
    assertTrue(narrow.size() >= 5 && narrow.contains(0.02) && narrow.contains(0.05), narrow.toString());
  }

  @Test
  void labelsAreShort() {
    assertEquals("4096", LineChart.label(4096));
    assertEquals("0.05", LineChart.label(0.05));
    assertEquals("1e-5", LineChart.label(1e-5));
    assertEquals("2.5e6", LineChart.label(2.5e6));
  }

  @Test
  void writesAPng() throws Exception {
    LineChart c = Charts.chart("t", "m", "error", true, true);
    Charts.series(c, "sketch", new double[] {256, 1024}, new double[] {0.08, 0.04}, false);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Charts.writePng(List.of(c, c), out);
    byte[] png = out.toByteArray();
    assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G');
  }
}
