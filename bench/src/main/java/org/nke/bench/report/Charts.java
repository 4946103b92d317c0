package org.nke.bench.report;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG line charts (XChart, headless) for the demo and the benchmark reports. */
public final class Charts {
  private Charts() {
  }

  /**
   * A line chart.
   *
   * @param title title
   * @param xTitle x axis
   * @param yTitle y axis
   * @param logX logarithmic x axis
   * @param logY logarithmic y axis
   * @return the chart, 640 × 420
   */
  public static XYChart chart(String title, String xTitle, String yTitle, boolean logX, boolean logY) {
    System.setProperty("java.awt.headless", "true");
    XYChart c = new XYChartBuilder().width(640).height(420).title(title).xAxisTitle(xTitle)
        .yAxisTitle(yTitle).build();
    c.getStyler().setXAxisLogarithmic(logX);
    c.getStyler().setYAxisLogarithmic(logY);
    c.getStyler().setLegendVisible(true);
    return c;
  }

  /**
   * @param chart the chart; modified
   * @param name series name
   * @param x abscissae
   * @param y ordinates
   * @param dashed draw as a dashed line without markers (reference lines)
   */
  public static void series(XYChart chart, String name, double[] x, double[] y, boolean dashed) {
    XYSeries s = chart.addSeries(name, x, y);
    if (dashed) {
      s.setMarker(SeriesMarkers.NONE);
      s.setLineStyle(new java.awt.BasicStroke(1.5f, java.awt.BasicStroke.CAP_BUTT,
          java.awt.BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
    }
  }

  /**
   * Writes charts side by side into one PNG.
   *
   * @param charts the charts
   * @param out where to write the PNG (not closed)
   * @throws IOException on write errors
   */
  public static void writePng(List<XYChart> charts, OutputStream out) throws IOException {
    BitmapEncoder.saveBitmap(charts, 1, charts.size(), out, BitmapEncoder.BitmapFormat.PNG);
  }

  /**
   * Writes charts side by side into a PNG file (benchmark reports; not atomic).
   *
   * @param charts the charts
   * @param file the target
   * @throws IOException on write errors
   */
  public static void save(List<XYChart> charts, java.nio.file.Path file) throws IOException {
    try (OutputStream out = java.nio.file.Files.newOutputStream(file)) {
      writePng(charts, out);
    }
  }
}
