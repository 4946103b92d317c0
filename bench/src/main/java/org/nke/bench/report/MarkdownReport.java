package org.nke.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.nke.bench.BenchResult;

/** Markdown tables of benchmark results: one row per case, one column per parameter and metric. */
public final class MarkdownReport {
  private MarkdownReport() {
  }

  /**
   * @param results results of one suite
   * @return a Markdown table
   */
  public static String table(List<BenchResult> results) {
    Set<String> params = new LinkedHashSet<>();
    Set<String> metrics = new LinkedHashSet<>();
    for (BenchResult r : results) {
      params.addAll(r.params().keySet());
      metrics.addAll(r.metrics().keySet());
    }
    List<String> head = new ArrayList<>(params);
    head.addAll(List.of("seconds", "throughput", "GFLOP/s", "GB/s", "peak heap MiB"));
    head.addAll(metrics);
    StringBuilder sb = new StringBuilder("| ");
    sb.append(String.join(" | ", head)).append(" |\n|");
    sb.append("---|".repeat(head.size())).append('\n');
    for (BenchResult r : results) {
      List<String> cells = new ArrayList<>();
      for (String p : params) {
        cells.add(String.valueOf(r.params().getOrDefault(p, "")));
      }
      if (r.failure() != null) {
        cells.add("failed: " + r.failure().replace("|", "/"));
        for (int i = 1; i < 5 + metrics.size(); i++) {
          cells.add("");
        }
      } else {
        cells.add(num(r.seconds()));
        cells.add(num(r.throughput()) + " " + r.unit() + "/s");
        cells.add(num(r.gflops()));
        cells.add(num(r.gbps()));
        cells.add(num(r.peakHeapMb()));
        for (String m : metrics) {
          cells.add(value(r.metrics().get(m)));
        }
      }
      sb.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }
    return sb.toString();
  }

  private static String value(Object o) {
    if (o == null) {
      return "";
    }
    return o instanceof Double d ? num(d) : o.toString();
  }

  /**
   * @param v a number
   * @return four significant digits, or "—" for NaN
   */
  public static String num(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return "—";
    }
    double a = Math.abs(v);
    if (a != 0 && (a < 1e-3 || a >= 1e6)) {
      return String.format(Locale.ROOT, "%.3e", v);
    }
    return String.format(Locale.ROOT, "%.4g", v);
  }

  /**
   * @param info machine facts
   * @return a Markdown bullet list
   */
  public static String facts(Map<String, String> info) {
    StringBuilder sb = new StringBuilder();
    info.forEach((k, v) -> sb.append("- ").append(k).append(": ").append(v).append('\n'));
    return sb.toString();
  }
}
