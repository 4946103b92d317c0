package org.nke.cntk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nke.arch.Architecture;
import org.nke.arch.Padding;
import org.nke.ir.Grid;
import org.nke.ir.PixelStep.Convolution;
import org.nke.ir.PixelStep.Diagonalize;
import org.nke.ir.PixelStep.PixelActivation;
import org.nke.ir.PixelStep.Readout;
import org.nke.ir.PixelStep;
import org.nke.ir.Window;

/** Window geometry (XLA's padding rule) and the per-layer pixel-pair requirements. */
class CntkNetworkTest {
  @Test
  void windowsFollowXlaPadding() {
    Grid g = new Grid(7, 6);
    Window same = Window.of(3, 2, 1, 1, Padding.SAME, g);
    assertEquals(new Grid(7, 6), same.out());
    assertEquals(1, same.padTop());
    assertEquals(0, same.padLeft()); // pad 1 in total: 0 before, 1 after
    Window strided = Window.of(3, 3, 2, 2, Padding.SAME, g);
    assertEquals(new Grid(4, 3), strided.out());
    assertEquals(1, strided.padTop()); // (4−1)·2 + 3 − 7 = 2
    assertEquals(0, strided.padLeft()); // (3−1)·2 + 3 − 6 = 1
    Window valid = Window.of(3, 2, 2, 1, Padding.VALID, g);
    assertEquals(new Grid(3, 5), valid.out());
    assertEquals(new Grid(3, 3), Window.of(2, 2, 2, 2, Padding.VALID, g).out());
  }

  @Test
  void flattenWithoutPoolsCarriesOnlyDiagonalPairs() {
    CntkNetwork net = CntkNetwork.compile(Architecture.parse(
        "Conv(1, (3, 3), padding='SAME'), Relu(), Conv(1, (3, 3)), Erf(), Flatten(), Dense()"),
        new Grid(8, 8), 3);
    assertTrue(net.inputDiagonal());
    assertTrue(net.steps().stream().allMatch(s -> !(s instanceof Convolution c) || c.diagonal()));
    assertEquals(64, net.maxBlockEntries());
    assertEquals(1, net.tail().size());
  }

  @Test
  void poolsNeedAllPairsAndADiagonalizeFollowsTheLastOne() {
    CntkNetwork net = CntkNetwork.compile(Architecture.parse(
        "Conv(1, (3, 3), padding='SAME'), Relu(), AvgPool((2, 2), strides=(2, 2)), "
            + "Conv(1, (3, 3), padding='SAME'), Relu(), Flatten(), Dense()"), new Grid(8, 8), 3);
    List<PixelStep> s = net.steps();
    assertFalse(net.inputDiagonal());
    assertFalse(((Convolution) s.get(0)).diagonal());
    assertTrue(s.get(3) instanceof Diagonalize);
    assertTrue(((Convolution) s.get(4)).diagonal());
    assertTrue(((PixelActivation) s.get(5)).diagonal());
    assertTrue(((Readout) s.get(6)).flatten());
    assertTrue(((Convolution) s.get(0)).ntkZero());
    assertFalse(((Convolution) s.get(4)).ntkZero());
    assertEquals(64L * 64, net.maxBlockEntries());
  }

  @Test
  void myrtleNeedsAllPairsOnEveryStage() {
    CntkNetwork net = CntkNetwork.compile(Architecture.parse("Myrtle7"), new Grid(32, 32), 3);
    assertFalse(net.inputDiagonal());
    assertEquals(6, net.activations());
    assertTrue(net.steps().stream().filter(x -> x instanceof PixelActivation).noneMatch(
        x -> ((PixelActivation) x).diagonal()));
    assertEquals(1024L * 1024, net.maxBlockEntries());
    Readout r = (Readout) net.steps().get(net.steps().size() - 1);
    assertEquals(new Grid(1, 1), r.grid());
  }
}
