package org.nke.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The measurement of one case: median wall time over the repetitions (after a warm-up), throughput,
 * achieved GFLOP/s and GB/s by the case's stated counts, peak heap, and the untimed metrics.
 *
 * @param suite the suite
 * @param name the case
 * @param params grid coordinates
 * @param seconds median seconds per run (NaN when failed)
 * @param runs repetitions measured
 * @param units work units per run
 * @param unit unit name
 * @param gflops achieved GFLOP/s, or NaN
 * @param gbps achieved GB/s, or NaN
 * @param peakHeapMb peak heap during the case, MiB
 * @param metrics untimed metrics
 * @param failure why the case failed, or {@code null}
 */
public record BenchResult(String suite, String name, Map<String, Object> params, double seconds,
    int runs, double units, String unit, double gflops, double gbps, double peakHeapMb,
    Map<String, Object> metrics, String failure) {

  /** @return throughput in units per second */
  public double throughput() {
    return units / seconds;
  }

  /** @return the result as one JSON line */
  public String toJson() {
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("suite", suite);
    all.put("case", name);
    all.putAll(params);
    all.put("seconds", seconds);
    all.put("runs", runs);
    all.put("throughput", throughput());
    all.put("unit", unit + "/s");
    all.put("gflops", gflops);
    all.put("gbps", gbps);
    all.put("peak_heap_mib", peakHeapMb);
    all.putAll(metrics);
    if (failure != null) {
      all.put("failure", failure);
    }
    StringBuilder sb = new StringBuilder("{");
    int i = 0;
    for (Map.Entry<String, Object> e : all.entrySet()) {
      sb.append(i++ > 0 ? ", " : "").append('"').append(e.getKey()).append("\": ")
          .append(value(e.getValue()));
    }
    return sb.append('}').toString();
  }

  private static String value(Object v) {
    if (v instanceof Number n) {
      double d = n.doubleValue();
      if (!Double.isFinite(d)) {
        return "null";
      }
      return v instanceof Integer || v instanceof Long ? v.toString()
          : String.format(Locale.ROOT, "%.6g", d);
    }
    if (v instanceof Boolean) {
      return v.toString();
    }
    return "\"" + String.valueOf(v).replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
