package org.nke.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nke.Sketches;
import org.nke.sketch.SketchPlan;
import org.nke.spi.Progress;

/** The measurement loop of the GPU feature timings, run here on the CPU only. */
class FeatureTimingTest {
  @Test
  void everyBackendIsComparedWithTheCpuAndFailuresBecomeRows() {
    double[][] x = Cases.points(40, 10, 1, 7);
    SketchPlan plan = Sketches.of("Dense(W_std=1.5), Relu(), Dense()").withDim(128).plan(x, true);
    int[] calls = new int[2];
    List<FeatureTiming.Measured> rows = FeatureTiming.acrossBackends("cpu,cpu-f32,nosuch", 40, 40,
        (b, f32, warmUp) -> {
          calls[warmUp ? 0 : 1]++;
          return Sketches.features(b, plan, warmUp ? java.util.Arrays.copyOf(x, 4) : x,
              Progress.NONE);
        });
    assertEquals(3, rows.size());
    assertEquals(2, calls[0], "one warm-up per backend that opened");
    assertEquals(2, calls[1]);
    assertTrue(Double.isNaN(rows.get(0).err()));
    assertEquals(0, rows.get(1).err(), "the same plan on the same backend gives the same features");
    assertTrue(rows.get(1).seconds() > 0 && rows.get(1).speedup() > 0);
    assertTrue(rows.get(2).note().startsWith("failed: ") && Double.isNaN(rows.get(2).seconds()),
        rows.get(2).note());
    assertEquals("skipped: n > cpuMaxN", FeatureTiming.acrossBackends("cpu", 40, 10,
        (b, f32, warmUp) -> null).get(0).note());
  }

  @Test
  void argumentsOverrideDefaults() {
    Map<String, String> a = FeatureTiming.settings(new String[] {"n=5", "arch=a=b"}, "n", "1", "m",
        "2");
    assertEquals(Map.of("n", "5", "m", "2", "arch", "a=b"), a);
    assertEquals("\"say 'hi'\"", FeatureTiming.quoted("say \"hi\""));
  }
}
