package org.nke.cntk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nke.Kernels;
import org.nke.Sketches;
import org.nke.arch.Architecture;
import org.nke.error.ArchException;
import org.nke.exact.ExactKernel.Kind;
import org.nke.exact.KernelPair;
import org.nke.ir.Grid;
import org.nke.ir.ImageBatch;
import org.nke.ir.PixelStep;
import org.nke.sketch.CntkSketchAccuracy;

/**
 * {@code SumPool}, the layer added through its rules class alone ({@code exact.SumPoolKernel}, written
 * with the existing average-pooling and affine steps; {@code docs/adding-a-layer.md}). Besides these
 * closed forms it is checked against neural-tangents 0.6.6 and the naive per-pixel-pair CNTK
 * ({@code cntk_residual.json}'s SumPool cases, {@link ResidualCntkTest}) and on the emulated CUDA
 * backend ({@code CntkContractTest.corpus()}).
 */
class SumPoolTest {
  private static final String CONV = "Conv(3, (3, 3), padding='SAME', W_std=1.3, b_std=0.2), Relu(), "
      + "Conv(3, (3, 3), padding='SAME', W_std=1.1), ";

  /**
   * With only linear layers after it, a SumPool network's kernels are exactly {@code F²} times the
   * AvgPool network's: {@code (2·2)² = 16} (the readout Dense has no bias).
   */
  @Test
  void isTheAveragePoolTimesTheWindowSizeSquared() {
    ImageBatch x = CntkSketchAccuracy.images(3, 6, 6, 2, 5);
    String tail = "((2, 2), strides=(2, 2)), Flatten(), Dense(W_std=1.2)";
    KernelPair sum = Kernels.of(CONV + "SumPool" + tail).withBackend("cpu")
        .compute(x, null, Kind.BOTH);
    KernelPair avg = Kernels.of(CONV + "AvgPool" + tail).withBackend("cpu")
        .compute(x, null, Kind.BOTH);
    double[][][] s = {sum.nngp().toArray(), sum.ntk().toArray()};
    double[][][] a = {avg.nngp().toArray(), avg.ntk().toArray()};
    for (int m = 0; m < 2; m++) {
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++) {
          assertEquals(16 * a[m][i][j], s[m][i][j], 1e-13 * Math.abs(s[m][i][j]));
        }
      }
    }
  }

  /** It compiles to an average pooling and a pixelwise scaling by {@code F²}, on full pairs. */
  @Test
  void compilesToExistingSteps() {
    CntkNetwork net = CntkNetwork.compile(Architecture.parse(CONV + "SumPool((3, 3), strides=(1, 1), "
        + "padding='SAME'), GlobalAvgPool(), Dense()"), new Grid(5, 5), 2);
    PixelStep.Pooling pool = (PixelStep.Pooling) net.steps().get(3);
    PixelStep.Convolution scale = (PixelStep.Convolution) net.steps().get(4);
    assertEquals(9, pool.window().size());
    assertTrue(scale.window().isPointwise() && !scale.diagonal());
    assertEquals(81.0, scale.w2());
    assertEquals(81.0, scale.ntkFromNtk());
    assertEquals(0.0, scale.ntkFromNngp() + scale.b2() + scale.ntkConstant());
  }

  /**
   * The CNTK sketch runs it through the same steps: with widths small enough that no patch is
   * re-sketched and no activation (so no random draw), its features give the exact kernels.
   */
  @Test
  void theSketchOfALinearSumPoolNetIsExact() {
    ImageBatch x = CntkSketchAccuracy.images(3, 4, 4, 1, 6);
    Architecture arch = Architecture.parse("Conv(2, (3, 3), padding='SAME', W_std=1.2, b_std=0.3), "
        + "SumPool((2, 2), strides=(1, 1), padding='SAME'), Conv(2, (2, 2), W_std=0.9), Flatten(), "
        + "Dense(W_std=1.1, b_std=0.1)");
    KernelPair exact = Kernels.of(arch).withBackend("cpu").compute(x, null, Kind.BOTH);
    double[][] nngp = Sketches.of(arch).withDim(4096).withSeed(1).withBackend("cpu").nngp(x);
    double[][] ntk = Sketches.of(arch).withDim(4096).withSeed(1).withBackend("cpu").ntk(x);
    double[][][] e = {exact.nngp().toArray(), exact.ntk().toArray()};
    double[][][] f = {nngp, ntk};
    for (int m = 0; m < 2; m++) {
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++) {
          double dot = 0;
          for (int d = 0; d < f[m][i].length; d++) {
            dot += f[m][i][d] * f[m][j][d];
          }
          assertEquals(e[m][i][j], dot, 1e-12 * Math.abs(e[m][i][i]), (m == 0 ? "NNGP" : "NTK")
              + " (" + i + ", " + j + ")");
        }
      }
    }
  }

  /** On vectors it is the named error of an image layer, raised when the network is compiled. */
  @Test
  void needsImages() {
    ArchException e = assertThrows(ArchException.class,
        () -> Kernels.of("Dense(), SumPool((2, 2)), Dense()").withBackend("cpu")
            .nngp(new double[][] {{1, 2}}));
    assertTrue(e.getMessage().startsWith("layer 2 (SumPool((2, 2), strides=(1, 1))) needs image "
        + "inputs"), e.getMessage());
  }
}
