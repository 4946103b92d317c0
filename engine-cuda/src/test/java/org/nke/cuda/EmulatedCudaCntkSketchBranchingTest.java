package org.nke.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nke.arch.Architecture;
import org.nke.cpu.CpuBackend;
import org.nke.ir.ImageBatch;
import org.nke.sketch.CntkSketch;
import org.nke.sketch.CntkSketchAccuracy;
import org.nke.sketch.CntkStep;
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
 * fallback recorded; a product fan-in is still declined by name.
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

  @Test
  void aProductFanInIsDeclinedByName() {
    ImageBatch x = CntkSketchAccuracy.images(2, 6, 6, 2, 3);
    CntkSketch plan = CntkSketch.build(Architecture.parse("Conv(4, (3, 3), padding='SAME'), "
        + "FanOut(2), parallel(Erf(), Conv(4, (3, 3), padding='SAME')), FanInProd(), "
        + "Conv(4, (3, 3), padding='SAME'), Relu(), GlobalAvgPool(), Dense()"), x, new SketchOptions(64, 4, true, 0,
        SketchOptions.DEFAULT_TAIL));
    String why = CntkSketchDevicePlan.unsupported(plan);
    assertNotNull(why);
    assertTrue(why.contains("layer 6 (FanInProd())"), why);
  }
}
