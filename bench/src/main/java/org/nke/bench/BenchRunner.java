package org.nke.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs cases: one warm-up, then the repetitions, median wall time; peak heap from the JVM's memory
 * pools (reset before each case, after a GC). Failures are recorded, not thrown.
 */
public final class BenchRunner {
  private final int repetitions;

  /** @param repetitions default repetitions per case */
  public BenchRunner(int repetitions) {
    this.repetitions = repetitions;
  }

  /**
   * @param suite the suite name
   * @param cases the cases
   * @param done called with each result as it completes
   * @return the results in order
   */
  public List<BenchResult> run(String suite, List<BenchCase> cases, Consumer<BenchResult> done) {
    List<BenchResult> out = new ArrayList<>();
    for (BenchCase c : cases) {
      BenchResult r = runOne(suite, c);
      out.add(r);
      done.accept(r);
    }
    return out;
  }

  private BenchResult runOne(String suite, BenchCase c) {
    int reps = c.repetitions() > 0 ? c.repetitions() : repetitions;
    List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP).toList();
    System.gc();
    heap.forEach(MemoryPoolMXBean::resetPeakUsage);
    try {
      Object result = c.warmUp() ? c.run() : null;
      double[] times = new double[reps];
      for (int i = 0; i < reps; i++) {
        long t0 = System.nanoTime();
        result = c.run();
        times[i] = (System.nanoTime() - t0) / 1e9;
      }
      Arrays.sort(times);
      double median = reps % 2 == 1 ? times[reps / 2] : 0.5 * (times[reps / 2 - 1] + times[reps / 2]);
      double peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum() / 1048576.0;
      Map<String, Object> metrics = new LinkedHashMap<>(c.evaluate(result));
      return new BenchResult(suite, c.name(), c.params(), median, reps, c.units(), c.unit(),
          c.flops() / median / 1e9, c.bytes() / median / 1e9, peak, metrics, null);
    } catch (Exception | OutOfMemoryError e) {
      return new BenchResult(suite, c.name(), c.params(), Double.NaN, 0, c.units(), c.unit(),
          Double.NaN, Double.NaN, Double.NaN, Map.of(), e.toString());
    }
  }
}
