package org.nke.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nke.dual.BoundDual;
import org.nke.dual.DualActivation;
import org.nke.dual.DualCatalog;
import org.nke.spi.Precision;
import org.nke.testing.KernelAsserts;
import org.nke.testing.Tolerances;

/**
 * The hand-written PTX, executed by {@link PtxMachine} through the real launchers and host
 * preparation ({@link CudaDualOps}), against the CPU duals: float64 within {@link Tolerances#F64_GPU},
 * float32 within {@link Tolerances#F32_GPU}; the affine update bit for bit; atan2/exp subroutines
 * against {@code java.lang.Math} in ulps.
 */
class PtxEmulationTest {
  private final Random rnd = new Random(99);

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (String a : List.of("Relu()", "LeakyRelu(alpha=0.1)", "Abs()", "ABRelu(a=-0.3, b=0.7)",
        "Erf(a=0.8, b=1.7, c=0.2)", "Sigmoid_like()", "Gelu()", "Sin(a=1.2, b=0.8, c=0.3)", "Cos()",
        "Rbf(gamma=0.7)", "Exp(a=0.6, b=0.5)", "ExpNormalized(gamma=1.5, shift=-1)",
        "ExpNormalized(gamma=0.8, shift=-0.5, do_clip=True)", "Gaussian(a=1.1, b=-0.5)", "Sign()",
        "Monomial(degree=3)", "Polynomial(coef=[0.1, -0.4, 0.3])", "Hermite(degree=4)",
        "RectifiedMonomial(degree=0)", "RectifiedMonomial(degree=1)", "RectifiedMonomial(degree=3)",
        "Tanh()")) {
      for (Precision p : Precision.values()) {
        out.add(Arguments.of(a, p, true));
        out.add(Arguments.of(a, p, false));
      }
    }
    return out.stream();
  }

  private double[][] points(int n, int d) {
    double[][] x = new double[n][d];
    for (int i = 0; i < n; i++) {
      double s = Math.pow(10, -0.5 + (double) i / Math.max(1, n - 1));
      for (int k = 0; k < d; k++) {
        x[i][k] = s * rnd.nextGaussian();
      }
    }
    return x;
  }

  private static double round(double v, Precision p) {
    return p == Precision.F32 ? (float) v : v;
  }

  @ParameterizedTest(name = "{0} {1} symmetric={2}")
  @MethodSource("cases")
  void dualMapMatchesTheCpu(String activation, Precision p, boolean symmetric) {
    DualActivation dual = DualCatalog.byName(activation);
    double[][] x = points(11, 4);
    double[][] y = symmetric ? x : points(9, 4);
    int n = x.length;
    int m = y.length;
    double[] vx = new double[n];
    double[] vy = new double[m];
    double[] k = new double[n * m];
    double[] t = new double[n * m];
    for (int i = 0; i < n; i++) {
      vx[i] = round(1.3 * org.nke.ir.InputKernel.of(x[i], x[i]) + 0.1, p);
    }
    for (int j = 0; j < m; j++) {
      vy[j] = round(1.3 * org.nke.ir.InputKernel.of(y[j], y[j]) + 0.1, p);
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        k[i * m + j] = symmetric && i == j ? vx[i] : round(1.3 * org.nke.ir.InputKernel.of(x[i],
            y[j]) + 0.1, p);
        t[i * m + j] = round(0.5 + rnd.nextDouble(), p);
      }
    }
    // the CPU: CpuBackend's loop (float64 arithmetic, float32 storage rounded after the map)
    BoundDual bound = dual.bind(vx, symmetric ? vx : vy, true);
    double[][] wantK = new double[n][m];
    double[][] wantT = new double[n][m];
    for (int i = 0; i < n; i++) {
      System.arraycopy(k, i * m, wantK[i], 0, m);
      System.arraycopy(t, i * m, wantT[i], 0, m);
      int j0 = symmetric ? i : 0;
      bound.applyRow(i, j0, m - j0, wantK[i], wantT[i], j0);
      for (int j = 0; j < m; j++) {
        wantK[i][j] = round(wantK[i][j], p);
        wantT[i][j] = round(wantT[i][j], p);
      }
    }
    EmulatedDevice dev = new EmulatedDevice();
    DeviceBuffer dk = dev.upload(k, p, "K");
    DeviceBuffer dt = dev.upload(t, p, "NTK");
    DeviceBuffer dvx = dev.upload(vx, p, "varx");
    DeviceBuffer dvy = symmetric ? dvx : dev.upload(vy, p, "vary");
    assertTrue(CudaDualOps.supported(dual, bound));
    new CudaDualOps(new DualKernels(dev)).apply(new DualKernels.Pair(p, dk, dt, dvx, dvy, n, m,
        symmetric), dual, bound, vx, symmetric ? vx : vy, dev);
    double[] gk = dev.read(dk, n * m, p);
    double[] gt = dev.read(dt, n * m, p);
    double[][] gotK = new double[n][m];
    double[][] gotT = new double[n][m];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        boolean kept = !symmetric || j >= i;
        // a symmetric block's diagonal is set afterwards from the CPU binding by CudaBackend (exact
        // 1-D moments for Hermite-series duals, not the series at rho = 1): EmulatedCuda*ContractTest
        // checks it through the backend; here only the map itself is compared
        boolean compared = kept && !(symmetric && i == j);
        gotK[i][j] = compared ? gk[i * m + j] : wantK[i][j];
        gotT[i][j] = compared ? gt[i * m + j] : wantT[i][j];
        if (!kept) {
          assertEquals(k[i * m + j], gk[i * m + j], 0.0, "below the diagonal is untouched");
        }
      }
    }
    double tol = p == Precision.F64 ? Tolerances.F64_GPU : Tolerances.F32_GPU;
    KernelAsserts.assertCloseMatrices(wantK, gotK, tol, 0);
    KernelAsserts.assertCloseMatrices(wantT, gotT, tol, 0);
  }

  @ParameterizedTest
  @EnumSource(Precision.class)
  void affineIsBitIdenticalToTheCpu(Precision p) {
    int n = 10;
    int m = 7;
    double[] k = new double[n * m];
    double[] t = new double[n * m];
    for (int e = 0; e < k.length; e++) {
      k[e] = round(rnd.nextGaussian(), p);
      t[e] = round(rnd.nextGaussian(), p);
    }
    EmulatedDevice dev = new EmulatedDevice();
    DeviceBuffer dk = dev.upload(k, p, "K");
    DeviceBuffer dt = dev.upload(t, p, "NTK");
    double w2 = 2.25;
    double b2 = 0.01;
    double a = 1.7;
    double b = 0.9;
    double c = 0.3;
    new DualKernels(dev).affine(p, dk, dt, n, m, false, w2, b2, a, b, c);
    double[] gk = dev.read(dk, n * m, p);
    double[] gt = dev.read(dt, n * m, p);
    for (int e = 0; e < k.length; e++) {
      assertEquals(round(a * k[e] + b * t[e] + c, p), gt[e], 0.0, "NTK " + e);
      assertEquals(round(w2 * k[e] + b2, p), gk[e], 0.0, "NNGP " + e);
    }
  }

  @ParameterizedTest
  @EnumSource(Precision.class)
  void setDiagonalAndNonFiniteScan(Precision p) {
    int n = 9;
    double[] k = new double[n * n];
    EmulatedDevice dev = new EmulatedDevice();
    DeviceBuffer dk = dev.upload(k, p, "K");
    double[] diag = new double[n];
    for (int i = 0; i < n; i++) {
      diag[i] = i + 0.5;
    }
    DualKernels kernels = new DualKernels(dev);
    kernels.setDiagonal(p, dk, dev.upload(diag, p, "diag"), n, n);
    double[] got = dev.read(dk, n * n, p);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        assertEquals(i == j ? i + 0.5 : 0, got[i * n + j], 0.0);
      }
    }
    got[3 * n + 1] = Double.NaN;
    got[5 * n + 6] = Double.POSITIVE_INFINITY;
    dev.write(dk, got, p);
    for (boolean upper : new boolean[] {false, true}) {
      DeviceBuffer first = dev.allocate(8);
      dev.machine.store(first.address(), 8, -1L);
      kernels.firstNonFinite(p, dk, n, n, upper, first);
      assertEquals(upper ? 5 * n + 6 : 3 * n + 1, dev.machine.load(first.address(), 8));
    }
  }

  @Test
  void atan2AndExpSubroutinesAreAccurate() {
    EmulatedDevice dev = new EmulatedDevice();
    PtxMachine.Thread t0 = new PtxMachine.Thread(0, 0, 1, 1, 0, 0);
    double worstAtan = 0;
    double worstExp = 0;
    for (int s = 0; s < 20000; s++) {
      double y = rnd.nextGaussian() * Math.pow(10, rnd.nextInt(7) - 3);
      double x = rnd.nextGaussian() * Math.pow(10, rnd.nextInt(7) - 3);
      double want = Math.atan2(y, x);
      double got = Double.longBitsToDouble(dev.machine.run("nke_atan2_f64", new long[] {
          Double.doubleToRawLongBits(y), Double.doubleToRawLongBits(x)}, t0)[0]);
      worstAtan = Math.max(worstAtan, Math.abs(got - want) / Math.ulp(want));
      double e = (rnd.nextDouble() - 0.5) * 1400;
      double we = Math.exp(e);
      double ge = Double.longBitsToDouble(dev.machine.run("nke_exp_f64", new long[] {
          Double.doubleToRawLongBits(e)}, t0)[0]);
      if (we > Double.MIN_NORMAL) {
        worstExp = Math.max(worstExp, Math.abs(ge - we) / Math.ulp(we));
      }
    }
    assertTrue(worstAtan <= 4, "atan2 f64 worst error " + worstAtan + " ulp");
    assertTrue(worstExp <= 3, "exp f64 worst error " + worstExp + " ulp");
    double[][] special = {{0, -0.0, Math.PI}, {-0.0, -1, -Math.PI}, {1, Double.POSITIVE_INFINITY, 0},
        {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 3 * Math.PI / 4}, {0, 0, 0}};
    for (double[] c : special) {
      double got = Double.longBitsToDouble(dev.machine.run("nke_atan2_f64", new long[] {
          Double.doubleToRawLongBits(c[0]), Double.doubleToRawLongBits(c[1])}, t0)[0]);
      assertEquals(Math.atan2(c[0], c[1]), got, Math.ulp(c[2]) * 2, "atan2(" + c[0] + ", " + c[1] + ")");
    }
    for (double e : new double[] {709.78, 710, -745.2, -740, Double.NaN}) {
      double got = Double.longBitsToDouble(dev.machine.run("nke_exp_f64", new long[] {
          Double.doubleToRawLongBits(e)}, t0)[0]);
      double want = Math.exp(e);
      assertEquals(want, got, Double.isNaN(want) ? 0 : Math.ulp(want) * 3, "exp(" + e + ")");
    }
  }
}
