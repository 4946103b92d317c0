package org.nke.bench.report;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import javax.imageio.ImageIO;

/** PNG line charts (Java2D, headless) for the demo and the benchmark reports; see {@link LineChart}. */
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
  public static LineChart chart(String title, String xTitle, String yTitle, boolean logX, boolean logY) {
    return new LineChart(title, xTitle, yTitle, logX, logY);
  }

  /**
   * @param chart the chart; modified
   * @param name series name
   * @param x abscissae (those of solid series are labelled on the x axis)
   * @param y ordinates
   * @param dashed draw as a dashed line without markers (reference lines)
   */
  public static void series(LineChart chart, String name, double[] x, double[] y, boolean dashed) {
    chart.add(name, x, y, dashed);
  }

  /**
   * Writes charts side by side into one PNG.
   *
   * @param charts the charts
   * @param out where to write the PNG (not closed)
   * @throws IOException on write errors
   */
  public static void writePng(List<LineChart> charts, OutputStream out) throws IOException {
    System.setProperty("java.awt.headless", "true");
    BufferedImage image = new BufferedImage(LineChart.WIDTH * charts.size(), LineChart.HEIGHT,
        BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      for (int i = 0; i < charts.size(); i++) {
        charts.get(i).paint(g, i * LineChart.WIDTH);
      }
    } finally {
      g.dispose();
    }
    ImageIO.write(image, "png", out);
  }

  /**
   * Writes charts side by side into a PNG file (benchmark reports; not atomic).
   *
   * @param charts the charts
   * @param file the target
   * @throws IOException on write errors
   */
  public static void save(List<LineChart> charts, java.nio.file.Path file) throws IOException {
    try (OutputStream out = java.nio.file.Files.newOutputStream(file)) {
      writePng(charts, out);
    }
  }
}
