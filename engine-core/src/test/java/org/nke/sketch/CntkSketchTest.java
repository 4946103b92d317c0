package org.nke.sketch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nke.Kernels;
import org.nke.Sketches;
import org.nke.arch.Architecture;
import org.nke.cntk.CntkNetwork;
import org.nke.cntk.ConvBlocks;
import org.nke.cntk.PixelGram;
import org.nke.dual.GeluDual;
import org.nke.error.InvalidInputException;
import org.nke.exact.ExactKernel.Kind;
import org.nke.exact.KernelPair;
import org.nke.hermite.HermiteSource;
import org.nke.ir.Grid;
import org.nke.ir.ImageBatch;
import org.nke.ir.PixelStep;

class CntkSketchTest {
  private static final String CONV = "Conv(8, (3, 3), padding='SAME', W_std=1.4, b_std=0.1)";
  private static final String POOL = "AvgPool((2, 2), strides=(2, 2))";
  /** Conv, pooling, Conv, Flatten of a 4 × 4 grid (a re-sketched Flatten), Dense. */
  private static final String POOLED = CONV + ", Relu(), " + POOL + ", " + CONV + ", Relu(), Flatten(), "
      + "Dense(W_std=1.4, b_std=0.1)";

  private static double gramError(KernelPair exact, boolean ntk, double[][] f) {
    return SketchAccuracy.gramError((ntk ? exact.ntk() : exact.nngp()).toArray(), f);
  }

  @Test
  void gramErrorShrinksWithTheBudget() {
    ImageBatch x = CntkSketchAccuracy.images(12, 8, 8, 3, 1);
    Architecture arch = Architecture.parse(POOLED);
    KernelPair exact = Kernels.of(arch).withBackend("cpu").compute(x, null, Kind.BOTH);
    int[] ms = {256, 4096};
    for (boolean ntk : new boolean[] {false, true}) {
      double[] err = new double[ms.length];
      double floor = 0;
      for (int i = 0; i < ms.length; i++) {
        for (long seed = 1; seed <= 4; seed++) {
          Sketches s = Sketches.of(arch).withDim(ms[i]).withSeed(seed).withBackend("cpu");
          double[][] f = ntk ? s.ntk(x) : s.nngp(x);
          err[i] += gramError(exact, ntk, f) / 4;
          floor = SketchAccuracy.obliviousFloor((ntk ? exact.ntk() : exact.nngp()).toArray(),
              f[0].length);
        }
      }
      // 16× the features: 4× less error if unbiased (1/√m); allow for noise and a small bias
      String report = (ntk ? "NTK" : "NNGP") + " errors " + Arrays.toString(err) + ", floor at "
          + ms[1] + ": " + floor;
      assertTrue(err[0] / err[1] > 2.5, report);
      assertTrue(err[1] < 1.5 * floor, report);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      // AvgPool, then GlobalAvgPool and a Dense readout
      CONV + ", Relu(), " + POOL + ", " + CONV + ", Erf(), GlobalAvgPool(), Dense(W_std=1.4, b_std=0.1)",
      // Flatten of the full grid (re-sketched), VALID padding, an activation after the readout
      "Conv(4, (3, 3), padding='VALID', W_std=1.4), Gelu(), Conv(4, (3, 3), padding='SAME', W_std=1.4), "
          + "Relu(), Flatten(), Dense(W_std=1.3, b_std=0.2), Gelu(), Dense()",
      // an activation after a pooling layer (not fused with a Conv), a 5 × 5 filter, a stride
      "Conv(4, (5, 5), padding='SAME', W_std=1.4, b_std=0.1), " + POOL + ", Relu(), "
          + "Conv(4, (3, 3), strides=(2, 2), padding='SAME', W_std=1.4), Relu(), GlobalAvgPool(), Dense()",
      // pixelwise Dense before the readout, and no activation before the readout's Conv
      CONV + ", Relu(), Dense(W_std=1.2, b_std=0.3), Relu(), " + CONV + ", Flatten(), Dense()"})
  void architecturesWithPoolsReadoutsAndTailsAreClose(String architecture) {
    ImageBatch x = CntkSketchAccuracy.images(10, 8, 8, 3, 2);
    Architecture arch = Architecture.parse(architecture);
    KernelPair exact = Kernels.of(arch).withBackend("cpu").compute(x, null, Kind.BOTH);
    for (boolean ntk : new boolean[] {false, true}) {
      double e = 0;
      double floor = 0;
      for (long seed = 1; seed <= 3; seed++) {
        Sketches s = Sketches.of(arch).withDim(2048).withSeed(seed).withBackend("cpu");
        double[][] f = ntk ? s.ntk(x) : s.nngp(x);
        assertTrue(f[0].length <= (ntk ? 4096 : 2048), "features " + f[0].length);
        e += gramError(exact, ntk, f) / 3;
        floor = SketchAccuracy.obliviousFloor((ntk ? exact.ntk() : exact.nngp()).toArray(),
            f[0].length);
      }
      // several re-sketching stages: typically 1–2× the floor of one projection
      assertTrue(e < 0.1 && e < 2.5 * floor, (ntk ? "NTK" : "NNGP") + " mean error " + e
          + " (floor " + floor + ")");
    }
  }

  @Test
  void oneConvAndActivationAreUnbiasedForTheFoldedSeries() {
    Architecture arch = Architecture.parse("Conv(1, (3, 3), padding='SAME', W_std=1.3, b_std=0.2), "
        + "Gelu(), GlobalAvgPool()");
    ImageBatch x = CntkSketchAccuracy.images(2, 4, 4, 2, 3);
    int q = 4;
    int trials = 150;
    double[][] samples = new double[2][trials];
    for (int t = 0; t < trials; t++) {
      for (int w = 0; w < 2; w++) {
        // the sketched diagonal: the exact one scales to the exact kernel, not to the folded series
        CntkSketch plan = CntkSketch.build(arch, x, new SketchOptions(128, t, w == 1, q, 1e-3))
            .withExactDiagonal(false);
        double[][] f = CntkSketchAccuracy.features(plan, x);
        samples[w][t] = dot(f[0], f[1]);
      }
    }
    double[] target = foldedSeriesTarget(arch, x, q);
    for (int w = 0; w < 2; w++) {
      double[] s = samples[w];
      double mean = Arrays.stream(s).average().orElseThrow();
      double sd = Math.sqrt(Arrays.stream(s).map(v -> (v - mean) * (v - mean)).sum() / (trials - 1));
      assertTrue(Math.abs(mean - target[w]) <= 4.5 * sd / Math.sqrt(trials) + 1e-12,
          (w == 0 ? "NNGP" : "NTK") + ": mean " + mean + " ± " + sd / Math.sqrt(trials) + ", target "
              + target[w]);
    }
  }

  /**
   * The GlobalAvgPool'd NNGP and NTK of images 0 and 1 through one Conv (exact pixel-pair blocks)
   * and GeLU replaced by its folded degree-{@code q} Hermite series at each pixel's own scale.
   */
  private static double[] foldedSeriesTarget(Architecture arch, ImageBatch x, int q) {
    Grid g = new Grid(x.height(), x.width());
    CntkNetwork net = CntkNetwork.compile(arch, g, x.channels());
    PixelStep.Convolution conv = (PixelStep.Convolution) net.steps().get(0);
    int n = g.pixels();
    double[][] img = new double[2][x.imageSize()];
    x.copyImage(0, img[0]);
    x.copyImage(1, img[1]);
    double[][] blocks = new double[3][n * n];
    int[][] pairs = {{0, 0}, {1, 1}, {0, 1}};
    for (int b = 0; b < 3; b++) {
      PixelGram.compute(img[pairs[b][0]], img[pairs[b][1]], n, x.channels(), false, blocks[b]);
      ConvBlocks.apply(blocks[b], null, new double[n * n], conv);
    }
    HermiteSource src = SketchPlan.hermiteSource(new GeluDual(false));
    double k = 0;
    double t = 0;
    for (int p = 0; p < n; p++) {
      for (int r = 0; r < n; r++) {
        double kxx = blocks[0][p * n + p];
        double kyy = blocks[1][r * n + r];
        double kxy = blocks[2][p * n + r];
        double rho = kxy / Math.sqrt(kxx * kyy);
        double[] cu = src.coefficients(Math.sqrt(kxx), q, false, true);
        double[] cv = src.coefficients(Math.sqrt(kyy), q, false, true);
        double[] du = src.coefficients(Math.sqrt(kxx), q, true, true);
        double[] dv = src.coefficients(Math.sqrt(kyy), q, true, true);
        for (int d = 0; d <= q; d++) {
          k += cu[d] * cv[d] * Math.pow(rho, d) / n / n;
          // Θ after the first Conv equals K there (Θ⁰ = 0, NTK parameterization)
          t += kxy * du[d] * dv[d] * Math.pow(rho, d) / n / n;
        }
      }
    }
    return new double[] {k, t};
  }

  @Test
  void sameSeedIsBitIdenticalOnAnyThreadCount() {
    ImageBatch x = CntkSketchAccuracy.images(6, 8, 8, 3, 4);
    Sketches s = Sketches.of(POOLED).withDim(512).withSeed(42).withBackend("cpu");
    double[][] one = s.withThreads(1).ntk(x);
    double[][] three = s.withThreads(3).ntk(x);
    for (int i = 0; i < x.count(); i++) {
      assertArrayEquals(one[i], three[i]);
    }
    assertTrue(!Arrays.equals(one[0], s.withSeed(43).ntk(x)[0]));
  }

  @Test
  void budgetsAndShapesAreChecked() {
    ImageBatch x = CntkSketchAccuracy.images(3, 8, 8, 3, 5);
    CntkSketch k = Sketches.of(POOLED).withDim(1024).plan(x, false);
    CntkSketch t = Sketches.of(POOLED).withDim(1024).plan(x, true);
    assertTrue(k.outputDim() <= 1024 && k.outputDim() >= 1000, "NNGP " + k.outputDim());
    assertTrue(t.outputDim() <= 2048 && t.outputDim() >= 2000, "NTK " + t.outputDim());
    double[] img = new double[x.imageSize()];
    x.copyImage(0, img);
    assertEquals(t.outputDim(), t.features(img).length);
    ImageBatch other = CntkSketchAccuracy.images(2, 6, 6, 3, 5);
    assertThrows(InvalidInputException.class, () -> Sketches.of(POOLED).features(t, other));
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
