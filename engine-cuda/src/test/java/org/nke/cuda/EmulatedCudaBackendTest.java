package org.nke.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nke.arch.Architecture;
import org.nke.exact.ExactKernel;
import org.nke.exact.KernelPair;
import org.nke.ir.InputKernel;
import org.nke.spi.Precision;
import org.nke.spi.Progress;

/** CUDA-specific behaviour of {@link CudaBackend}, on the {@link EmulatedDevice}. */
class EmulatedCudaBackendTest {
  private static double[][] points() {
    java.util.Random r = new java.util.Random(5);
    double[][] x = new double[9][3];
    for (double[] p : x) {
      for (int k = 0; k < p.length; k++) {
        p[k] = r.nextGaussian();
      }
    }
    return x;
  }

  @Test
  void aDualWithoutDeviceKernelRunsOnTheCpuAndIsRecorded() {
    try (CudaBackend b = new CudaBackend(new EmulatedDevice())) {
      ExactKernel.compute(Architecture.parse("Dense(), Relu(), Dense()"), points(), null,
          ExactKernel.Kind.BOTH, b, Precision.F64, Progress.NONE);
      assertEquals(List.of(), b.fallbacks());
      ExactKernel.compute(Architecture.parse("Dense(), ElementwiseNumerical(fn=Tanh, deg=8), Dense()"),
          points(), null, ExactKernel.Kind.BOTH, b, Precision.F32, Progress.NONE);
      assertEquals(1, b.fallbacks().size());
      assertTrue(b.fallbacks().get(0).contains("QuadratureDual") && b.fallbacks().get(0)
          .contains("ran on the CPU"), b.fallbacks().get(0));
    }
  }

  @Test
  void theDiagonalEqualsTheDiagonalRecursionExactly() {
    double[][] x = points();
    try (CudaBackend b = new CudaBackend(new EmulatedDevice())) {
      KernelPair k = ExactKernel.compute(Architecture.parse("Dense(W_std=1.3, b_std=0.1), Erf(), "
          + "Dense(W_std=1.1), Relu(), Dense(W_std=0.8, b_std=0.2)"), x, null, ExactKernel.Kind.NNGP,
          b, Precision.F64, Progress.NONE);
      double[] v = InputKernel.variances(x);
      org.nke.exact.DenseNetwork net = org.nke.exact.DenseNetwork.compile(Architecture.parse(
          "Dense(W_std=1.3, b_std=0.1), Erf(), Dense(W_std=1.1), Relu(), Dense(W_std=0.8, b_std=0.2)"),
          3);
      double[] out = net.diagonals(v, Precision.F64).output();
      for (int i = 0; i < x.length; i++) {
        assertEquals(out[i], k.nngp().get(i, i), 0.0, "diagonal " + i);
      }
    }
  }

  @Test
  void aBlockThatDoesNotFitIsAResourceLimitWithTheNumbers() {
    try (CudaBackend b = new CudaBackend(new EmulatedDevice(1000))) {
      org.nke.error.ResourceLimitException e = org.junit.jupiter.api.Assertions.assertThrows(
          org.nke.error.ResourceLimitException.class, () -> b.inputKernel(points(), null, true,
              Precision.F64, Progress.NONE));
      assertEquals(5, e.exitCode());
      assertEquals(2L * 9 * 9 * 8, e.bytesNeeded());
      assertTrue(e.getMessage().startsWith("the NNGP and NTK blocks 9 x 9 (float64) on PTX "
          + "interpreter needs"), e.getMessage());
    }
  }

  @Test
  void describesItselfAsCudaWithFloat32ByDefault() {
    try (CudaBackend b = new CudaBackend(new EmulatedDevice())) {
      assertEquals("cuda", b.name());
      assertEquals(Precision.F32, b.defaultPrecision());
      assertEquals("PTX interpreter", b.device());
    }
  }
}
