package org.nke.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nke.arch.Architecture;
import org.nke.cpu.CpuBackend;
import org.nke.ir.ImageBatch;
import org.nke.sketch.CntkSketch;
import org.nke.sketch.CntkSketchAccuracy;
import org.nke.sketch.CntkStep;
import org.nke.sketch.FeatureOps;
import org.nke.sketch.SketchOptions;
import org.nke.spi.BackendOptions;
import org.nke.spi.CntkSketchContractTest;
import org.nke.spi.Precision;
import org.nke.spi.Progress;
import org.nke.testing.KernelAsserts;
import org.nke.testing.Tolerances;

/**
 * A residual net with LayerNorm ({@link CntkSketchContractTest#RESIDUAL}: FanInSum with identity
 * shortcuts and a per-pixel re-sketch of a fan-in, FanInConcat, LayerNorm over the channels and over
 * the image) runs entirely on the {@link EmulatedDevice}, in float64 and float32, with no CPU
 * fallback recorded; so do product fan-ins (exact and TensorSRHT).
 */
class EmulatedCudaCntkSketchBranchingTest {
  @Test
  void residualNetsWithLayerNormRunOnTheDeviceWithoutFallbacks() {
    ImageBatch x = CntkSketchAccuracy.images(2, 6, 6, 2, 3);
    try (CudaBackend cuda = new CudaBackend(new EmulatedDevice());
        CpuBackend cpu = new CpuBackend(BackendOptions.defaults())) {
      for (boolean ntk : new boolean[] {false, true}) {
        CntkSketch plan = CntkSketch.build(Architecture.parse(CntkSketchContractTest.RESIDUAL), x,
            new SketchOptions(64, 4, ntk, 0, SketchOptions.DEFAULT_TAIL));
        List<CntkStep> steps = plan.steps();
        assertTrue(steps.stream().anyMatch(s -> s instanceof CntkStep.EndFork e && e.k() != null),
            "a fan-in is re-sketched per pixel");
        assertEquals(2, steps.stream().filter(s -> s instanceof CntkStep.Normalize).count());
        double[][] want = cpu.features(plan, x, Progress.NONE);
        double[][] f64 = cuda.features(plan, x, Precision.F64, Progress.NONE);
        double[][] f32 = cuda.features(plan, x, Precision.F32, Progress.NONE);
        assertNotNull(f64, "float64 features on the device");
        assertNotNull(f32, "float32 features on the device");
        assertEquals(List.of(), cuda.fallbacks(), "no step ran on the CPU");
        KernelAsserts.assertCloseMatrices(want, f64, Tolerances.F64_GPU, 0);
        KernelAsserts.assertCloseMatrices(want, f32, Tolerances.F32_GPU, 0);
      }
    }
  }

  /**
   * FanInProd per pixel on the device ({@link DeviceProduct}, one row per pixel), NNGP and NTK,
   * float64 and float32: two 1×1 Convs of the 2-channel input (exact patches, 2 and 3 values per
   * pixel) give exact Kronecker products (NNGP and NTK), an activation's wide sketch TensorSRHTs; the features match the CPU's and no
   * step ran on the CPU.
   */
  @Test
  void aProductFanInRunsOnTheDeviceAndMatchesTheCpu() {
    ImageBatch x = CntkSketchAccuracy.images(2, 6, 6, 2, 3);
    String exact = "FanOut(2), parallel(Conv(3, (1, 1)), Conv(4, (1, 1), b_std=0.2)), FanInProd(), "
        + "Conv(4, (3, 3), padding='SAME'), Relu(), GlobalAvgPool(), Dense()";
    String sketched = "Conv(4, (3, 3), padding='SAME'), FanOut(2), parallel(Relu(), Conv(4, (3, 3), "
        + "padding='SAME')), FanInProd(), Conv(4, (3, 3), padding='SAME'), Relu(), GlobalAvgPool(), "
        + "Dense()";
    try (CudaBackend cuda = new CudaBackend(new EmulatedDevice());
        CpuBackend cpu = new CpuBackend(BackendOptions.defaults())) {
      for (String arch : new String[] {exact, sketched}) {
        for (boolean ntk : new boolean[] {false, true}) {
          CntkSketch plan = CntkSketch.build(Architecture.parse(arch), x, new SketchOptions(64, 4,
              ntk, 0, SketchOptions.DEFAULT_TAIL));
          FeatureOps.Product product = plan.steps().stream()
              .filter(s -> s instanceof CntkStep.Merge m && m.product() != null)
              .map(s -> ((CntkStep.Merge) s).product()).findFirst().orElseThrow();
          assertEquals(arch.equals(exact), product.nngp().exact(), arch);
          if (ntk) {
            assertEquals(arch.equals(exact), product.thetaRight().exact(), arch);
          }
          assertNull(CntkSketchDevicePlan.unsupported(plan));
          double[][] want = cpu.features(plan, x, Progress.NONE);
          double[][] f64 = cuda.features(plan, x, Precision.F64, Progress.NONE);
          double[][] f32 = cuda.features(plan, x, Precision.F32, Progress.NONE);
          assertEquals(List.of(), cuda.fallbacks(), "no step ran on the CPU");
          KernelAsserts.assertCloseMatrices(want, f64, 1e-14, 0);
          KernelAsserts.assertCloseMatrices(want, f32, Tolerances.F32_GPU, 0);
        }
      }
    }
  }
}
