package org.nke.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nke.arch.Architecture;
import org.nke.cntk.ExactCntk;
import org.nke.cpu.CpuBackend;
import org.nke.exact.ExactKernel.Kind;
import org.nke.exact.KernelPair;
import org.nke.ir.ImageBatch;
import org.nke.spi.Backend;
import org.nke.spi.BackendOptions;
import org.nke.spi.CntkContractTest;
import org.nke.spi.PixelBlocks;
import org.nke.spi.Precision;
import org.nke.spi.Progress;
import org.nke.testing.KernelAsserts;
import org.nke.testing.Tolerances;

/**
 * {@link CudaConvOps} on the {@link EmulatedDevice} beyond the shared contract: float32 blocks (also
 * of residual networks), bit-exact float64 where no transcendental function is involved (also for a
 * residual network with LayerNorm and every join), independence of the batch size, and the explicit
 * CPU fallback.
 */
class CudaConvOpsTest {
  private static final String POLY = "Conv(3, (3, 3), padding='SAME', W_std=1.3, b_std=0.2), "
      + "Monomial(degree=2), AvgPool((2, 2), strides=(1, 1), padding='SAME'), "
      + "Conv(2, (2, 3), strides=(2, 1), padding='VALID', W_std=0.9, b_std=0.1), Monomial(degree=2), "
      + "GlobalAvgPool(), Dense(W_std=1.1)";

  private static KernelPair run(Backend b, String arch, ImageBatch x, ImageBatch y) {
    return ExactCntk.compute(Architecture.parse(arch), x, y, Kind.BOTH, b, Precision.F64,
        Progress.NONE, e -> { });
  }

  private static KernelPair cpu(String arch, ImageBatch x, ImageBatch y) {
    try (Backend c = new CpuBackend(new BackendOptions(1, Long.MAX_VALUE))) {
      return run(c, arch, x, y);
    }
  }

  /**
   * A residual network of polynomial activations: a three-way FanInSum of a strided branch, a strided
   * 1×1 shortcut and a pooled branch (which needs all pixel pairs while the others need only the
   * diagonal), LayerNorm, a FanInProd, Flatten; on 6×6 images.
   */
  private static final String RESIDUAL_POLY = "Conv(3, (3, 3), padding='SAME', W_std=1.3, b_std=0.2), "
      + "FanOut(3), parallel(serial(Monomial(degree=2), Conv(3, (3, 3), strides=(2, 2), padding='SAME', "
      + "W_std=1.1)), Conv(3, (1, 1), strides=(2, 2), W_std=0.9), serial(AvgPool((2, 2), strides=(2, 2)), "
      + "Conv(3, (1, 1), b_std=0.3))), FanInSum(), LayerNorm(eps=0.1), FanOut(2), "
      + "parallel(Monomial(degree=2), Identity()), FanInProd(), Flatten(), Dense(W_std=1.1)";

  @ParameterizedTest
  @ValueSource(strings = {POLY, RESIDUAL_POLY})
  void float64WithoutTranscendentalsIsBitExact(String arch) {
    ImageBatch x = CntkContractTest.images(3, 3, 6, 6, 2);
    ImageBatch y = CntkContractTest.images(4, 2, 6, 6, 2);
    KernelPair want = cpu(arch, x, y);
    try (CudaBackend cuda = new CudaBackend(new EmulatedDevice())) {
      KernelPair got = run(cuda, arch, x, y);
      for (int i = 0; i < 3; i++) {
        assertArrayEquals(want.nngp().toArray()[i], got.nngp().toArray()[i], 0.0, "NNGP row " + i);
        assertArrayEquals(want.ntk().toArray()[i], got.ntk().toArray()[i], 0.0, "NTK row " + i);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 2, 3, 10, 11, 12})
  void float32BlocksMatchTheCpu(int which) {
    String arch = CntkContractTest.architectures().toList().get(which);
    ImageBatch x = CntkContractTest.images(7, 3, 6, 5, 3);
    KernelPair want = cpu(arch, x, null);
    try (CudaBackend cuda = new CudaBackend(new EmulatedDevice())) {
      KernelPair got = run(new ConvOpsBackend(cuda, cuda.convOps(Precision.F32), 4), arch, x, null);
      KernelAsserts.assertCloseMatrices(want.nngp().toArray(), got.nngp().toArray(),
          Tolerances.F32_GPU, 0);
      KernelAsserts.assertCloseMatrices(want.ntk().toArray(), got.ntk().toArray(),
          Tolerances.F32_GPU, 0);
    }
  }

  @Test
  void resultsDoNotDependOnTheBatchSize() {
    String arch = CntkContractTest.architectures().toList().get(2);
    ImageBatch x = CntkContractTest.images(5, 4, 6, 5, 3);
    double[][][] seen = new double[3][][];
    int[] batches = {1, 3, 256};
    for (int k = 0; k < batches.length; k++) {
      try (CudaBackend cuda = new CudaBackend(new EmulatedDevice())) {
        seen[k] = run(new ConvOpsBackend(cuda, cuda.convOps(Precision.F64), batches[k]), arch, x,
            null).ntk().toArray();
      }
    }
    for (int k = 1; k < batches.length; k++) {
      for (int i = 0; i < seen[0].length; i++) {
        assertArrayEquals(seen[0][i], seen[k][i], 0.0, "batch " + batches[k] + " row " + i);
      }
    }
  }

  @Test
  void aDualWithoutDeviceKernelRunsOnTheCpuAndIsRecorded() {
    String arch = "Conv(3, (3, 3), padding='SAME', W_std=1.3), ElementwiseNumerical(fn=Tanh, deg=12), "
        + "Flatten(), Dense()";
    ImageBatch x = CntkContractTest.images(2, 2, 5, 4, 2);
    KernelPair want = cpu(arch, x, null);
    try (CudaBackend cuda = new CudaBackend(new EmulatedDevice())) {
      KernelPair got = run(cuda, arch, x, null);
      KernelAsserts.assertCloseMatrices(want.nngp().toArray(), got.nngp().toArray(), 1e-14, 0);
      List<String> f = cuda.fallbacks();
      assertTrue(!f.isEmpty() && f.get(0).startsWith("CNTK activation ElementwiseNumerical"), f.toString());
    }
  }

  @Test
  void blocksAreOwnedAndChecked() {
    try (CudaBackend cuda = new CudaBackend(new EmulatedDevice(1L << 20))) {
      assertThrows(org.nke.error.ResourceLimitException.class,
          () -> cuda.convOps(Precision.F64).allocate(4, 1 << 20, true));
      PixelBlocks b = cuda.convOps(Precision.F32).allocate(2, 16, false);
      assertEquals(2, b.capacity());
      b.close();
      b.close();
      assertThrows(IllegalStateException.class, () -> cuda.convOps(Precision.F32).diagonal(b, 0,
          new org.nke.ir.Grid(2, 2), true, new double[4]));
    }
  }

  /**
   * The batch is sized to the device's free memory, not the Java heap: a slot of 36-entry blocks in
   * three sets (a residual network's K, Θ and their working space, float64, with two staged 6×6×2
   * images) is 3 × (36·8·4 + 2·72·8 + 8) = 6,936 bytes, so a device with 64 KiB free takes 4 slots
   * (half of it); a slot that does not fit is a named resource error before any work. The residual
   * network on 1 MiB (full 1296-entry blocks: 4 slots of 127,896 bytes for its 10 pairs) gives the CPU's
   * kernels.
   */
  @Test
  void theBatchFitsTheDeviceMemory() {
    ImageBatch x = CntkContractTest.images(5, 3, 6, 6, 2);
    try (CudaBackend cuda = new CudaBackend(new EmulatedDevice(64 << 10))) {
      CudaConvOps ops = (CudaConvOps) cuda.convOps(Precision.F64);
      assertEquals(6936, 3 * ops.slotBytes(36, true, 72));
      assertEquals(4, ops.capacity(256, 36, true, 72, 3, 0, "test"));
      assertEquals(2, ops.capacity(2, 36, true, 72, 3, 0, "test"));
      org.nke.error.ResourceLimitException e = assertThrows(
          org.nke.error.ResourceLimitException.class,
          () -> ops.capacity(256, 36 * 36 * 16, true, 72, 3, 0, "the exact CNTK"));
      assertTrue(e.getMessage().contains("one image pair's pixel-pair blocks (3 set(s) of 20736 "
          + "entries)"), e.getMessage());
    }
    KernelPair want = cpu(RESIDUAL_POLY, x, null);
    try (CudaBackend cuda = new CudaBackend(new EmulatedDevice(1 << 20))) {
      assertEquals(4, cuda.convOps(Precision.F64).capacity(256, 1296, true, 72, 3, 0, "test"));
      KernelPair got = run(cuda, RESIDUAL_POLY, x, null);
      KernelAsserts.assertCloseMatrices(want.ntk().toArray(), got.ntk().toArray(), 1e-14, 0);
    }
  }
}
