package org.nke.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nke.arch.Architecture;
import org.nke.cpu.CpuBackend;
import org.nke.sketch.FeatureOps;
import org.nke.sketch.SketchOptions;
import org.nke.sketch.SketchPlan;
import org.nke.spi.BackendOptions;
import org.nke.spi.Precision;
import org.nke.spi.Progress;
import org.nke.spi.SketchContractTest;
import org.nke.testing.KernelAsserts;
import org.nke.testing.Tolerances;

/**
 * {@link CudaSketchOps} on the {@link EmulatedDevice} beyond the shared contract: float32 features,
 * the float64 error of ReLU sketches (FFT rounding only), residual and product fan-ins on the
 * device, independence of the batch size, and the recorded host coefficients of activations without
 * in-kernel quadrature.
 */
class CudaSketchOpsTest {
  private static final String RELU = "Dense(W_std=1.4, b_std=0.1), Relu(), Dense(W_std=1.3, b_std=0.2), "
      + "Relu(), Dense()";

  private static SketchPlan plan(String arch, int d, boolean ntk, double[][] x) {
    return SketchPlan.build(Architecture.parse(arch), d, new SketchOptions(128, 5, ntk, 0,
        SketchOptions.DEFAULT_TAIL), x);
  }

  private static double[][] cpu(SketchPlan plan, double[][] x) {
    try (CpuBackend c = new CpuBackend(new BackendOptions(1, Long.MAX_VALUE))) {
      return c.features(plan, x, Progress.NONE);
    }
  }

  @Test
  void float64ReluFeaturesDifferOnlyByFftRounding() {
    double[][] x = SketchContractTest.points(17, 9, 3);
    SketchPlan plan = plan(RELU, 9, true, x);
    try (CudaBackend cuda = new CudaBackend(new EmulatedDevice())) {
      double[][] got = cuda.features(plan, x, Progress.NONE);
      double err = KernelAsserts.relativeFrobenius(cpu(plan, x), got);
      assertTrue(err < 1e-14, "relative error " + err);
      assertTrue(cuda.fallbacks().isEmpty(), cuda.fallbacks().toString());
    }
  }

  @Test
  void residualNetworksRunOnTheDevice() {
    double[][] x = SketchContractTest.points(13, 6, 5);
    String residual = "Dense(W_std=1.5, b_std=0.1), FanOut(2), parallel(Identity(), serial(Relu(), "
        + "Dense(W_std=1.5))), FanInSum(), LayerNorm(), Relu(), Dense()";
    for (boolean ntk : new boolean[] {false, true}) {
      try (CudaBackend cuda = new CudaBackend(new EmulatedDevice())) {
        SketchPlan plan = plan(residual, 6, ntk, x);
        double[][] got = cuda.features(plan, x, Progress.NONE);
        assertTrue(got != null && cuda.fallbacks().isEmpty(), cuda.fallbacks().toString());
        double err = KernelAsserts.relativeFrobenius(cpu(plan, x), got);
        assertTrue(err < 1e-14, "relative error " + err);
      }
    }
  }

  /**
   * FanInProd on the device ({@link DeviceProduct}), NNGP and NTK, float64 and float32: with narrow
   * branches the NNGP product is the exact Kronecker product (7 × 8 ≤ 128 columns, a batched outer
   * product), with a sketched branch it is a TensorSRHT (as every NTK half here); no fallback.
   */
  @Test
  void productFanInsRunOnTheDeviceAndMatchTheCpu() {
    double[][] x = SketchContractTest.points(13, 6, 5);
    String exact = "Dense(b_std=0.1), FanOut(2), parallel(Dense(), Dense(b_std=0.2)), FanInProd(), "
        + "Dense(b_std=0.1), Relu(), Dense()";
    String sketched = "Dense(b_std=0.1), FanOut(2), parallel(Dense(), serial(Relu(), Dense())), "
        + "FanInProd(), Dense(b_std=0.1), Relu(), Dense()";
    for (String arch : new String[] {exact, sketched}) {
      for (boolean ntk : new boolean[] {false, true}) {
        SketchPlan plan = plan(arch, 6, ntk, x);
        List<FeatureOps.Product> products = SketchWalk.products(plan);
        assertEquals(1, products.size());
        assertEquals(arch.equals(exact), products.get(0).nngp().exact(), arch);
        if (ntk) {
          assertFalse(products.get(0).thetaRight().exact(), "the NTK halves are TensorSRHTs");
        }
        assertNull(CudaSketchOps.unsupported(plan));
        double[][] want = cpu(plan, x);
        try (CudaBackend cuda = new CudaBackend(new EmulatedDevice())) {
          double[][] f64 = cuda.features(plan, x, Progress.NONE);
          double[][] f32 = cuda.features(plan, x, Precision.F32, Progress.NONE);
          assertEquals(List.of(), cuda.fallbacks(), "no step ran on the CPU");
          double err = KernelAsserts.relativeFrobenius(want, f64);
          assertTrue(err < 1e-14, "float64 relative error " + err);
          KernelAsserts.assertCloseMatrices(want, f32, Tolerances.F32_GPU, 0);
        }
      }
    }
  }

  @Test
  void float32FeaturesMatchTheCpu() {
    double[][] x = SketchContractTest.points(15, 40, 4);
    for (boolean ntk : new boolean[] {false, true}) {
      SketchPlan plan = plan(RELU, 40, ntk, x);
      try (CudaBackend cuda = new CudaBackend(new EmulatedDevice())) {
        KernelAsserts.assertCloseMatrices(cpu(plan, x), cuda.features(plan, x, Precision.F32,
            Progress.NONE), Tolerances.F32_GPU, 0);
      }
    }
  }

  @Test
  void resultsDoNotDependOnTheBatchSize() {
    double[][] x = SketchContractTest.points(11, 6, 5);
    String product = "Dense(b_std=0.1), FanOut(2), parallel(Dense(), serial(Relu(), Dense())), "
        + "FanInProd(), Dense(b_std=0.1), Relu(), Dense()";
    for (String arch : new String[] {RELU, product}) {
      SketchPlan plan = plan(arch, 6, true, x);
      double[][] all;
      try (CudaBackend cuda = new CudaBackend(new EmulatedDevice())) {
        all = cuda.features(plan, x, Progress.NONE);
      }
      EmulatedDevice small = new EmulatedDevice(1L << 17);
      int batch = new CudaSketchOps(small, s -> { }).batchSize(plan, Precision.F64, x.length);
      assertTrue(batch < x.length, "batch " + batch);
      try (CudaBackend cuda = new CudaBackend(small)) {
        double[][] got = cuda.features(plan, x, Progress.NONE);
        for (int i = 0; i < x.length; i++) {
          assertArrayEquals(all[i], got[i], 0.0, "point " + i);
        }
      }
    }
  }

  @Test
  void hostCoefficientsAreRecorded() {
    double[][] x = SketchContractTest.points(5, 4, 6);
    SketchPlan plan = plan("Dense(W_std=1.2), Tanh(), Dense()", 4, false, x);
    try (CudaBackend cuda = new CudaBackend(new EmulatedDevice())) {
      KernelAsserts.assertCloseMatrices(cpu(plan, x), cuda.features(plan, x, Progress.NONE),
          Tolerances.F64_GPU, 0);
      List<String> f = cuda.fallbacks();
      assertTrue(f.size() == 1 && f.get(0).contains("Tanh()") && f.get(0).contains("on the CPU"),
          f.toString());
    }
  }
}
