package org.nke.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * A line chart drawn with Java2D: log or linear axes whose tick labels can be read. A log axis is
 * labelled at every decade, at 2 and 5 times a decade when it spans less than two decades (every
 * multiple within one decade), and (the
 * x axis) at every measured abscissa; labels that would overlap a drawn one are left out, measured
 * abscissae first kept. XChart's log axis labels decades only, so a range within one decade showed a
 * single number.
 */
public final class LineChart {
  static final int WIDTH = 640;
  static final int HEIGHT = 420;
  private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
      new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b)};
  private static final int LEFT = 78;
  private static final int RIGHT = 18;
  private static final int TOP = 36;
  private static final int BOTTOM = 52;

  private record Series(String name, double[] x, double[] y, boolean dashed) {
  }

  private final String title;
  private final String xTitle;
  private final String yTitle;
  private final boolean logX;
  private final boolean logY;
  private final List<Series> series = new ArrayList<>();

  LineChart(String title, String xTitle, String yTitle, boolean logX, boolean logY) {
    this.title = title;
    this.xTitle = xTitle;
    this.yTitle = yTitle;
    this.logX = logX;
    this.logY = logY;
  }

  void add(String name, double[] x, double[] y, boolean dashed) {
    series.add(new Series(name, x.clone(), y.clone(), dashed));
  }

  /**
   * The tick values of an axis: decades (and 2, 5 times them over a short log range) or a 1-2-5 step
   * (linear), then the given values; in [lo, hi].
   */
  static List<Double> ticks(double lo, double hi, boolean log, double[] measured) {
    TreeSet<Double> t = new TreeSet<>();
    if (log) {
      double decades = Math.log10(hi / lo);
      int[] mantissas = decades < 1 ? new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9}
          : decades < 2 ? new int[] {1, 2, 5} : new int[] {1};
      for (int e = (int) Math.floor(Math.log10(lo)); e <= (int) Math.ceil(Math.log10(hi)); e++) {
        for (int k : mantissas) {
          double v = k * Math.pow(10, e);
          if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) {
            t.add(v);
          }
        }
      }
    } else {
      double raw = (hi - lo) / 6;
      double mag = Math.pow(10, Math.floor(Math.log10(raw)));
      double step = raw / mag < 1.5 ? mag : raw / mag < 3.5 ? 2 * mag : raw / mag < 7.5 ? 5 * mag : 10 * mag;
      for (double v = Math.ceil(lo / step) * step; v <= hi + 1e-9 * step; v += step) {
        t.add(Math.abs(v) < 1e-12 * step ? 0 : v);
      }
    }
    List<Double> out = new ArrayList<>();
    if (measured != null) {
      for (double v : measured) {
        if (v >= lo && v <= hi) {
          out.add(v); // measured values first: they win over a decade they would overlap
        }
      }
    }
    for (double v : t) {
      if (!out.contains(v)) {
        out.add(v);
      }
    }
    return out;
  }

  /** @return a short label: 4096, 0.05, 1e-5, 2.5e6 */
  static String label(double v) {
    if (v == 0) {
      return "0";
    }
    double a = Math.abs(v);
    if (a >= 1e-3 && a < 1e6) {
      String s = String.format(Locale.ROOT, "%.4g", v);
      if (s.contains(".") && !s.contains("e")) {
        s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
      }
      return s;
    }
    int e = (int) Math.floor(Math.log10(a));
    String mantissa = String.format(Locale.ROOT, "%.3f", v / Math.pow(10, e)).replaceAll("0+$", "")
        .replaceAll("\\.$", "");
    return mantissa + "e" + e;
  }

  void paint(Graphics2D g, int ox) {
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(ox, 0, WIDTH, HEIGHT);
    double[] xr = range(true);
    double[] yr = range(false);
    int px0 = ox + LEFT;
    int px1 = ox + WIDTH - RIGHT;
    int py0 = HEIGHT - BOTTOM;
    int py1 = TOP;
    Axis ax = new Axis(xr[0], xr[1], logX, px0, px1);
    Axis ay = new Axis(yr[0], yr[1], logY, py0, py1);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    FontMetrics fm = g.getFontMetrics();
    g.setColor(Color.BLACK);
    g.drawString(title, ox + (WIDTH - fm.stringWidth(title)) / 2, 22);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    fm = g.getFontMetrics();
    // x ticks: measured abscissae first, then decades; a label overlapping a drawn one is skipped
    List<int[]> used = new ArrayList<>();
    for (double v : ticks(xr[0], xr[1], logX, xValues())) {
      int p = ax.pixel(v);
      String s = label(v);
      int w = fm.stringWidth(s);
      grid(g, p, py0, p, py1);
      if (free(used, p - w / 2 - 3, p + w / 2 + 3)) {
        used.add(new int[] {p - w / 2 - 3, p + w / 2 + 3});
        g.setColor(Color.BLACK);
        g.drawLine(p, py0, p, py0 + 4);
        g.drawString(s, p - w / 2, py0 + 6 + fm.getAscent());
      }
    }
    used.clear();
    for (double v : ticks(yr[0], yr[1], logY, null)) {
      int p = ay.pixel(v);
      String s = label(v);
      grid(g, px0, p, px1, p);
      int h = fm.getAscent();
      if (free(used, p - h / 2 - 2, p + h / 2 + 2)) {
        used.add(new int[] {p - h / 2 - 2, p + h / 2 + 2});
        g.setColor(Color.BLACK);
        g.drawLine(px0 - 4, p, px0, p);
        g.drawString(s, px0 - 7 - fm.stringWidth(s), p + h / 2 - 1);
      }
    }
    g.setColor(Color.BLACK);
    g.drawRect(px0, py1, px1 - px0, py0 - py1);
    g.drawString(xTitle, (px0 + px1 - fm.stringWidth(xTitle)) / 2, HEIGHT - 12);
    Graphics2D r = (Graphics2D) g.create();
    r.rotate(-Math.PI / 2);
    r.drawString(yTitle, -(py0 + py1 + fm.stringWidth(yTitle)) / 2, ox + 16);
    r.dispose();
    drawSeries(g, ax, ay, px1, py1, fm);
  }

  private void drawSeries(Graphics2D g, Axis ax, Axis ay, int px1, int py1, FontMetrics fm) {
    int ly = py1 + 8;
    for (int i = 0; i < series.size(); i++) {
      Series s = series.get(i);
      g.setColor(COLORS[i % COLORS.length]);
      g.setStroke(s.dashed() ? new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
          new float[] {6f, 4f}, 0f) : new BasicStroke(2f));
      Path2D.Double path = new Path2D.Double();
      for (int j = 0; j < s.x().length; j++) {
        double x = ax.pixel(s.x()[j]);
        double y = ay.pixel(s.y()[j]);
        if (j == 0) {
          path.moveTo(x, y);
        } else {
          path.lineTo(x, y);
        }
        if (!s.dashed()) {
          g.fillOval((int) x - 3, (int) y - 3, 7, 7);
        }
      }
      g.draw(path);
      int w = fm.stringWidth(s.name());
      g.drawLine(px1 - w - 40, ly + 5, px1 - w - 16, ly + 5);
      g.setStroke(new BasicStroke(1f));
      g.setColor(Color.BLACK);
      g.drawString(s.name(), px1 - w - 10, ly + 9);
      ly += fm.getHeight() + 2;
    }
  }

  private static void grid(Graphics2D g, int x0, int y0, int x1, int y1) {
    g.setColor(new Color(0xe4e4e4));
    g.drawLine(x0, y0, x1, y1);
  }

  private static boolean free(List<int[]> used, int a, int b) {
    return used.stream().noneMatch(u -> a < u[1] && b > u[0]);
  }

  private double[] xValues() {
    return series.stream().filter(s -> !s.dashed()).flatMapToDouble(s -> java.util.Arrays.stream(s.x()))
        .distinct().toArray();
  }

  private double[] range(boolean x) {
    boolean log = x ? logX : logY;
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      for (double v : x ? s.x() : s.y()) {
        if (Double.isFinite(v) && (!log || v > 0)) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    if (lo > hi) {
      return log ? new double[] {1, 10} : new double[] {0, 1};
    }
    if (log) {
      double pad = x ? 1.08 : 1.25;
      return lo == hi ? new double[] {lo / 2, hi * 2} : new double[] {lo / pad, hi * pad};
    }
    double pad = lo == hi ? Math.max(1, Math.abs(lo)) * 0.1 : (hi - lo) * 0.06;
    return new double[] {lo - pad, hi + pad};
  }

  /** Data → pixel along one axis. */
  private record Axis(double lo, double hi, boolean log, int p0, int p1) {
    int pixel(double v) {
      double f = log ? Math.log(v / lo) / Math.log(hi / lo) : (v - lo) / (hi - lo);
      return (int) Math.round(p0 + f * (p1 - p0));
    }
  }
}
