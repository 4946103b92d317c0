package org.nke.exact;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nke.arch.Architecture;
import org.nke.exact.ExactKernel.Kind;
import org.nke.spi.BackendOptions;
import org.nke.spi.Backends;
import org.nke.spi.Precision;

/** The dense layers' cost and memory rules, folded over small networks, against hand counts. */
class WorkEstimateTest {
  private static DenseNetwork net(String arch, int d) {
    return DenseNetwork.compile(Architecture.parse(arch), d);
  }

  @Test
  void aDenseReluNetCostsTheSumOfItsLayersRules() {
    DenseNetwork net = net("Dense(W_std=1.5, b_std=0.1), Relu(), Dense()", 4);
    // x·y/d: 2d = 8; Dense w²K + β²: 2; Relu (a closed form): 40; Dense: 2
    assertEquals(8 + 2 + 40 + 2, net.pairFlops(false));
    // with Θ: each Dense 2 + 4 (a·K + b·Θ + c), the Relu 40 + 1 (Θ·K̇)
    assertEquals(8 + 6 + 41 + 6, net.pairFlops(true));
    WorkEstimate e = ExactKernel.estimate(net, 10, 10, true, Kind.NNGP, Precision.F64, false);
    assertEquals(55, e.pairs()); // n(n+1)/2
    assertEquals(55 * 52, e.flops());
    assertEquals(10 * 10 * 8, e.outputBytes());
    assertEquals(10 * 8, e.workingBytes()); // each point's variance
    assertEquals("about 2.9 kFLOP (55 pairs at 52 FLOP), peak 880 B", e.describe());
    WorkEstimate both = ExactKernel.estimate(net, 10, 7, false, Kind.BOTH, Precision.F32, false);
    assertEquals(70, both.pairs());
    assertEquals(70 * 61, both.flops());
    assertEquals(10 * 7 * 4 * 2, both.outputBytes()); // K and Θ in float32
    assertEquals((10 + 7) * 8, both.workingBytes());
  }

  @Test
  void aNumericalDualCostsItsSeriesAndHoldsItsTables() {
    DenseNetwork net = net("Dense(), Tanh(), Dense()", 2);
    // Hermite series: Horner's rule, 3 flops per term, 129 terms, and 4 for ρ
    assertEquals(4 + 2 + (3 * 129 + 4) + 2, net.pairFlops(false));
    assertEquals(4 + 6 + (2 * 3 * 129 + 5) + 6, net.pairFlops(true));
    // the variance, the 129 coefficients and 3 scalars per point (twice the coefficients with Θ)
    assertEquals(8 + 8 * (129 + 3), net.pointBytes(false));
    assertEquals(8 + 8 * (2 * 129 + 3), net.pointBytes(true));
  }

  @Test
  void aFanOutHoldsTwoMoreBlocksPerNestingLevel() {
    DenseNetwork chain = net("Dense(), Relu(), Dense()", 3);
    assertEquals(0, chain.forkDepth());
    DenseNetwork one = net("Dense(), FanOut(2), parallel(Dense(), Identity()), FanInSum(), Relu(), "
        + "Dense()", 3);
    assertEquals(1, one.forkDepth());
    // 2d + Dense + (Dense | Identity) + one merge of FanInSum (α·t + β·s: 3) + Relu + Dense
    assertEquals(6 + 2 + 2 + 0 + 3 + 40 + 2, one.pairFlops(false));
    DenseNetwork two = net("Dense(64), FanOut(2), parallel(serial(Relu(), Dense(32)), "
        + "serial(FanOut(2), parallel(Identity(), serial(Relu(), Dense(64))), FanInSum())), "
        + "FanInConcat(), Dense()", 3);
    assertEquals(2, two.forkDepth());
    long block = ExactKernel.blockBytes(20, 20, Kind.NTK, Precision.F64);
    // the output block, and per level the fan-out's input, accumulator and current branch
    WorkEstimate e1 = ExactKernel.estimate(one, 20, 20, true, Kind.NTK, Precision.F64, false);
    assertEquals(block, e1.outputBytes());
    assertEquals(2 * block + 20 * 8, e1.workingBytes());
    WorkEstimate e2 = ExactKernel.estimate(two, 20, 20, true, Kind.NTK, Precision.F64, false);
    assertEquals(4 * block + 20 * 8, e2.workingBytes());
    assertEquals(5 * block + 20 * 8, e2.peakBytes());
  }

  @Test
  void carriedAnglesAddAFloat64Block() {
    Architecture arch = Architecture.parse("Dense(), Relu(), Dense()");
    double[][] x = {{1, 2}, {3, 4}, {5, 7}};
    try (Backends.Selection cpu = Backends.open("cpu", BackendOptions.defaults())) {
      boolean angles = ExactKernel.carriesAngles(net("Dense(), Relu(), Dense()", 2), cpu.backend(),
          Precision.F64);
      WorkEstimate e = ExactKernel.estimate(arch, x, null, Kind.NNGP, cpu.backend(), Precision.F64);
      assertEquals(3 * 8 + (angles ? 3 * 3 * 8 : 0), e.workingBytes());
      WorkEstimate f = ExactKernel.estimate(arch, x, null, Kind.NNGP, cpu.backend(), Precision.F32);
      assertEquals(3 * 8, f.workingBytes()); // float32 blocks carry no angles
    }
  }
}
