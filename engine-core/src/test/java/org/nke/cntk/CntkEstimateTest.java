package org.nke.cntk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nke.arch.Architecture;
import org.nke.exact.ExactKernel.Kind;
import org.nke.exact.WorkEstimate;
import org.nke.ir.Grid;
import org.nke.ir.ImageBatch;
import org.nke.ir.PixelStep;
import org.nke.ir.PixelStep.Convolution;
import org.nke.ir.PixelStep.Diagonalize;
import org.nke.ir.PixelStep.PixelActivation;
import org.nke.ir.PixelStep.Pooling;
import org.nke.ir.PixelStep.Readout;
import org.nke.spi.BackendOptions;
import org.nke.spi.Backends;
import org.nke.spi.ConvOps;
import org.nke.spi.PixelBlocks;
import org.nke.spi.Precision;

/** The image steps' cost and memory rules, folded over small networks, against hand counts. */
class CntkEstimateTest {
  private static final String POOLED =
      "Conv(1, (3, 3), padding='SAME'), Relu(), AvgPool((2, 2), strides=(2, 2)), Flatten(), Dense()";

  @Test
  void aPooledNetOn8x8CostsItsStepsRules() {
    CntkNetwork net = CntkNetwork.compile(Architecture.parse(POOLED), new Grid(8, 8), 3);
    List<PixelStep> s = net.steps();
    assertTrue(s.get(0) instanceof Convolution c && !c.diagonal() && c.ntkZero());
    assertTrue(s.get(1) instanceof PixelActivation a && !a.diagonal());
    assertTrue(s.get(2) instanceof Pooling);
    assertTrue(s.get(3) instanceof Diagonalize);
    assertTrue(s.get(4) instanceof Readout r && r.flatten() && r.diagonal());
    assertEquals(5, s.size());
    // all pixel pairs of the 8 x 8 input: (H·W)² = 4096 entries
    assertEquals(4096, net.maxBlockEntries());
    double input = 2 * 3 * 4096; // a dot product of the C = 3 channels per pixel pair
    double conv = 4096 * (9 + 2); // window sum of F = 9, then w²·S/F + β²
    double relu = 4096 * 40; // a closed-form dual per entry
    double pool = 16 * 16 * (4 * 4 + 1); // (H'·W')² outputs of F² = 16 terms, scaled once
    double readout = 16 + 1; // the 16 diagonal entries summed, one division
    double dense = 2;
    assertEquals(input + conv + relu + pool + readout + dense, net.pairFlops(false));
    double ntk = input + conv + 4096 * 2 + 4096 * 41 + 2 * pool + 2 * readout + 6;
    assertEquals(ntk, net.pairFlops(true)); // Θ⁰ = 0: the first Conv only scales S(K) into Θ
    // one variance per pixel before the activation
    assertEquals(64 * 8, net.bytesPerImage());
    assertEquals(4096 * 8 * 2, net.slotBytes(false)); // K and scratch
    assertEquals(4096 * 8 * 3, net.slotBytes(true)); // and Θ
    WorkEstimate e = net.estimate(5, 5, true, false, Precision.F64, 2);
    assertEquals(15, e.pairs()); // n(n+1)/2: the diagonal recursion's 5 and the 10 others
    assertEquals(15 * net.pairFlops(false), e.flops());
    assertEquals(5 * 5 * 8 + 5 * 64 * 8, e.outputBytes());
    assertEquals(2 * 4096 * 8 * 2, e.workingBytes());
    WorkEstimate xy = net.estimate(4, 3, false, true, Precision.F32, 2);
    assertEquals(4 * 3 + 4 + 3, xy.pairs());
    assertEquals(4 * 3 * 4 * 2 + (4 + 3) * 64 * 8, xy.outputBytes());
  }

  @Test
  void maxBlockEntriesIsWhatTheConvAndPoolStepsWriteAndWhatIsAllocated() {
    for (String arch : List.of(POOLED, "Myrtle5", "Conv(1, (3, 3)), Relu(), Conv(1, (3, 3)), "
        + "Erf(), Flatten(), Dense()", "Conv(1, (3, 3), padding='SAME'), Relu(), GlobalAvgPool()")) {
      CntkNetwork net = CntkNetwork.compile(Architecture.parse(arch), new Grid(32, 32), 3);
      long m = net.input().blockEntries(net.inputDiagonal());
      for (PixelStep s : net.steps()) {
        if (s instanceof Convolution c) {
          m = Math.max(m, c.window().out().blockEntries(c.diagonal()));
        } else if (s instanceof Pooling p) {
          m = Math.max(m, p.window().out().blockEntries(false));
        }
      }
      assertEquals(m, net.maxBlockEntries(), arch);
    }
    CntkNetwork net = CntkNetwork.compile(Architecture.parse(POOLED), new Grid(8, 8), 3);
    try (Backends.Selection cpu = Backends.open("cpu", BackendOptions.defaults())) {
      ConvOps ops = cpu.backend().convOps().orElseThrow();
      ImageBatch x = ImageBatch.of(new double[3 * 8 * 8 * 3], 3, 8, 8, 3);
      WorkEstimate e = ExactCntk.estimate(Architecture.parse(POOLED), x, null, Kind.NTK,
          cpu.backend(), Precision.F64);
      int slots = Math.min(ops.preferredBatch(), 3); // 3 pairs, at least n = 3
      assertEquals(slots * net.slotBytes(true), e.workingBytes());
      try (PixelBlocks b = ops.allocate(slots, net.maxBlockEntries(), true)) {
        // CpuPixelBlocks: per slot K, Θ and scratch of maxEntries doubles
        assertEquals(e.workingBytes(), b.capacity() * b.maxEntries() * 8 * 3);
      }
    }
  }

  @Test
  void aFanOutsWorkingSetIncludesItsDepth() {
    CntkNetwork net = CntkNetwork.compile(Architecture.parse("Conv(1, (3, 3), padding='SAME'), "
        + "FanOut(2), parallel(Conv(1, (3, 3), padding='SAME'), Identity()), FanInSum(), Relu(), "
        + "Flatten(), Dense()"), new Grid(6, 6), 1);
    assertEquals(1, net.forkDepth());
    assertTrue(net.inputDiagonal()); // Flatten: only the 36 pairs (p, p)
    assertEquals(36, net.maxBlockEntries());
    // input + two Convs + one FanInSum merge + Relu + readout + Dense
    assertEquals(2 * 36 + 2 * 36 * (9 + 2) + 36 * 3 + 36 * 40 + 37 + 2, net.pairFlops(false));
    // K and scratch, for the fan-out's input, accumulator and current branch
    assertEquals(36 * 8 * 2 * 3, net.slotBytes(false));
    assertEquals(4 * 36 * 8 * 2 * 3, net.estimate(3, 3, true, false, Precision.F64, 4)
        .workingBytes());
  }
}
