package org.nke.cuda;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.nke.dual.ABReluDual;
import org.nke.exact.DenseNetwork.Affine;
import org.nke.hermite.NormalExpectation;
import org.nke.ir.InputKernel;
import org.nke.sketch.ActivationSketch;
import org.nke.sketch.FeatureOps;
import org.nke.sketch.SketchPlan;
import org.nke.spi.Precision;
import org.nke.spi.Progress;

/**
 * Dense NNGP/NTK sketch features on the device (mirror of the CPU's {@code SketchPlan.features} per
 * point): the plan's random draws are uploaded once, then the points run in batches through the
 * plan's compiled program ({@link SketchWalk}: the same maps, merges and order as the CPU) — LayerNorm
 * (per-point scales), FanInSum/FanInConcat (scaled copies into column ranges), FanInProd (the
 * tensor sketches of the branches, {@link DeviceProduct}), Dense updates of {@code Φ_K}/{@code Φ_Θ} ({@code srht.ptx} scale kernel), and per
 * activation the per-point Hermite coefficients ({@code hermite.ptx} quadrature for the ABReLU family,
 * else the CPU's {@code HermiteSource}, recorded) and a {@link SketchLayer}. The exact variance
 * recursion of each point is the host's scalar code, as on the CPU. FFTs go through
 * {@link DeviceRuntime#fft} (cuFFT). float64 results differ from the CPU's only by the FFT's rounding.
 */
final class CudaSketchOps {
  /** The most points per batch (grid y of the per-point kernels). */
  static final int MAX_BATCH = 8192;

  private final DeviceRuntime rt;
  private final SrhtKernels kernels;
  private final Consumer<String> note;

  /**
   * @param rt the device
   * @param note records (and logs) a step that ran on the CPU
   */
  CudaSketchOps(DeviceRuntime rt, Consumer<String> note) {
    this.rt = rt;
    this.kernels = new SrhtKernels(rt);
    this.note = note;
  }

  /**
   * @param plan a compiled sketch
   * @return why its features have no device path (a map or merge without a device form, see
   *     {@link SketchWalk}), or {@code null} when they do
   */
  static String unsupported(SketchPlan plan) {
    return SketchWalk.unsupported(plan);
  }

  /**
   * @param plan the compiled sketch, with a device form of every map and merge
   *     ({@link #unsupported})
   * @param points the points, not modified
   * @param p precision of the device features
   * @param progress progress sink (units: points)
   * @return one feature row per point
   */
  double[][] features(SketchPlan plan, double[][] points, Precision p, Progress progress) {
    rt.makeCurrent();
    List<ActivationSketch> layers = plan.layers();
    double[][] out = new double[points.length][];
    try (DeviceArena draws = new DeviceArena(rt)) {
      SketchLayer[] dev = new SketchLayer[layers.size()];
      for (int l = 0; l < dev.length; l++) {
        dev[l] = new SketchLayer(layers.get(l), rt, kernels, p, draws);
      }
      DeviceBuffer leg = draws.upload(NormalExpectation.legendre()[0], Precision.F64,
          "Gauss-Legendre nodes");
      Map<FeatureOps.Product, DeviceProduct> products = new IdentityHashMap<>();
      for (FeatureOps.Product pr : SketchWalk.products(plan)) {
        products.put(pr, new DeviceProduct(pr, rt, kernels, p, draws));
      }
      int batch = batchSize(plan, p, points.length);
      boolean[] noted = new boolean[dev.length];
      for (int i0 = 0; i0 < points.length; i0 += batch) {
        int n = Math.min(batch, points.length - i0);
        batch(plan, dev, products, leg, points, i0, n, p, out, noted);
        progress.advance(n);
      }
    }
    return out;
  }

  /** Points per batch from the device's free memory and the plan's widest layer. */
  int batchSize(SketchPlan plan, Precision p, int points) {
    long perPoint = 0;
    long maxFft = 1;
    int dK = plan.inputDim();
    for (ActivationSketch s : plan.layers()) {
      perPoint = Math.max(perPoint, SketchLayer.bytesPerPoint(s, Math.max(dK, s.inputDim()), p));
      maxFft = Math.max(maxFft, SketchLayer.fftPerPoint(s));
      dK = s.outputDim() + 1;
    }
    for (FeatureOps.Product pr : SketchWalk.products(plan)) {
      perPoint = Math.max(perPoint, DeviceProduct.valuesPerRow(pr) * p.bytes());
      maxFft = Math.max(maxFft, DeviceProduct.fftPerRow(pr));
    }
    // a branching plan keeps each fan-out's input while its branches run: at most one set of rows
    // per layer is alive
    long live = plan.branches() ? Math.max(1, plan.steps().size()) : 1;
    long byMemory = rt.freeMemory() / 2 / Math.max(perPoint * live, 1);
    long byFft = (Integer.MAX_VALUE / 2) / maxFft;
    return (int) Math.max(1, Math.min(Math.min(byMemory, byFft), Math.min(points, MAX_BATCH)));
  }

  private DeviceBuffer rows(DeviceArena a, int n, int len, Precision p, String what) {
    return a.allocate(Math.max(1L, (long) n * len) * p.bytes(), what);
  }

  private void batch(SketchPlan plan, SketchLayer[] dev,
      Map<FeatureOps.Product, DeviceProduct> products, DeviceBuffer leg, double[][] points, int i0, int n, Precision p, double[][] out,
      boolean[] noted) {
    int d = plan.inputDim();
    boolean ntk = plan.options().ntk();
    double[] var = new double[n];
    double[] x = new double[n * d];
    for (int i = 0; i < n; i++) {
      System.arraycopy(points[i0 + i], 0, x, i * d, d);
      var[i] = InputKernel.of(points[i0 + i], points[i0 + i]);
    }
    try (DeviceArena a = new DeviceArena(rt)) {
      DeviceBuffer xs = a.upload(x, p, "the points");
      DeviceBuffer phiK = rows(a, n, d, p, "NNGP features");
      kernels.scale(p, new SrhtKernels.Rows(phiK, d), new SrhtKernels.Rows(xs, d), d, n,
          SrhtKernels.Coefficients.NONE, 1 / Math.sqrt(d));
      xs.close();
      DeviceBuffer phiT = ntk ? rows(a, n, 0, p, "NTK features (empty)") : null;
      SketchWalk.Activations acts = (map, layer, k, t, v) -> {
        SketchLayer l = dev[layer];
        ActivationSketch s = l.sketch();
        boolean withDeriv = t != null && s.thetaProduct() != null;
        DeviceBuffer[] cd = coefficients(map, s, v, withDeriv, leg, a, noted, layer);
        DeviceBuffer[] r = l.apply(k, t, cd[0], cd[1], n, a);
        cd[0].close();
        if (cd[1] != null) {
          cd[1].close();
        }
        return r;
      };
      SketchWalk.Rows end = plan.walk(new SketchWalk.Rows(phiK, d, phiT, 0, var),
          new SketchWalk(rt, acts, kernels, p, a, n, products));
      phiK = end.k();
      phiT = end.t();
      int dK = end.dK();
      int dT = end.dT();
      DeviceBuffer result = ntk ? phiT : phiK;
      int width = ntk ? dT : dK;
      double[] host = new double[n * width];
      if (result != null && width > 0) {
        rt.copyOut(result, p, 0, host, host.length);
      }
      for (int i = 0; i < n; i++) {
        out[i0 + i] = java.util.Arrays.copyOfRange(host, i * width, (i + 1) * width);
      }
    }
  }

  /**
   * A Dense layer on feature rows (the CPU's {@code SketchPlan} and {@code PixelFeatures.affine}):
   * {@code Φ_K' = [√w² Φ_K, √b²]}, {@code Φ_Θ' = [√a Φ_K, √b Φ_Θ, √c]} (a column only where its
   * constant is positive).
   *
   * @param kernels the launchers
   * @param p precision
   * @param a owns the outputs
   * @param af the layer
   * @param phiK NNGP rows ({@code dK} each)
   * @param dK their length
   * @param phiT NTK rows ({@code dT} each), or {@code null}
   * @param dT their length
   * @param n rows
   * @return {@code {Φ_K', Φ_Θ'}} ({@code Φ_Θ'} null when {@code phiT} is); the inputs stay open
   */
  static DeviceBuffer[] affine(SrhtKernels kernels, Precision p, DeviceArena a, Affine af,
      DeviceBuffer phiK, int dK, DeviceBuffer phiT, int dT, int n) {
    int k2 = dK + (af.b2() > 0 ? 1 : 0);
    DeviceBuffer nk = a.allocate(Math.max(1L, (long) n * k2) * p.bytes(), "NNGP features");
    kernels.scale(p, new SrhtKernels.Rows(nk, k2), new SrhtKernels.Rows(phiK, dK), dK, n,
        SrhtKernels.Coefficients.NONE, Math.sqrt(af.w2()));
    if (af.b2() > 0) {
      kernels.scale(p, new SrhtKernels.Rows(column(nk, dK, p), k2), null, 1, n,
          SrhtKernels.Coefficients.NONE, Math.sqrt(af.b2()));
    }
    if (phiT == null) {
      return new DeviceBuffer[] {nk, null};
    }
    int t2 = dK + dT + (af.ntkConstant() > 0 ? 1 : 0);
    DeviceBuffer nt = a.allocate(Math.max(1L, (long) n * t2) * p.bytes(), "NTK features");
    kernels.scale(p, new SrhtKernels.Rows(nt, t2), new SrhtKernels.Rows(phiK, dK), dK, n,
        SrhtKernels.Coefficients.NONE, Math.sqrt(af.ntkFromNngp()));
    if (dT > 0) {
      kernels.scale(p, new SrhtKernels.Rows(column(nt, dK, p), t2), new SrhtKernels.Rows(phiT, dT),
          dT, n, SrhtKernels.Coefficients.NONE, Math.sqrt(af.ntkFromNtk()));
    }
    if (af.ntkConstant() > 0) {
      kernels.scale(p, new SrhtKernels.Rows(column(nt, t2 - 1L, p), t2), null, 1, n,
          SrhtKernels.Coefficients.NONE, Math.sqrt(af.ntkConstant()));
    }
    return new DeviceBuffer[] {nk, nt};
  }

  /** @return {@code b} from element {@code col} on (a column offset of row-major rows) */
  static DeviceBuffer column(DeviceBuffer b, long col, Precision p) {
    return b.slice(col * p.bytes(), b.bytes() - col * p.bytes());
  }

  /** The coefficient tables {c, d} of one activation for a batch (float64, points × (q + 1)). */
  private DeviceBuffer[] coefficients(FeatureOps.Activation nl, ActivationSketch s, double[] var,
      boolean withDeriv, DeviceBuffer leg, DeviceArena a, boolean[] noted, int layer) {
    int n = var.length;
    int q = s.degree();
    // the kernel generates the kinked rule (panels ≤ 0.5); ABRelu(a, a) is linear, i.e. smooth, and
    // the CPU integrates it on wider panels: its table comes from the CPU like other smooth ones
    if (nl.dual() instanceof ABReluDual relu && relu.a() != relu.b()) {
      QuadratureWeights w = QuadratureWeights.of(var);
      try (DeviceArena rule = new DeviceArena(rt)) {
        DeviceBuffer v = rule.upload(var, Precision.F64, "pre-activation variances");
        DeviceBuffer weights = rule.upload(w.weights(), Precision.F64, "quadrature weights");
        DeviceBuffer offsets = rule.allocate(4L * n, "quadrature weight offsets");
        rt.copyIn(offsets, w.offsets());
        DeviceBuffer c = a.allocate(8L * n * (q + 1), "Hermite coefficients");
        DeviceBuffer d = withDeriv ? a.allocate(8L * n * (q + 1), "derivative coefficients") : null;
        kernels.hermiteAbRelu(v, c, d, n, q, true, relu.a(), relu.b(), leg, weights, offsets);
        rt.synchronize("the Hermite coefficients of " + nl.describe());
        return new DeviceBuffer[] {c, d};
      }
    }
    if (!noted[layer]) {
      noted[layer] = true;
      note.accept("sketch: Hermite coefficients of " + nl.describe() + " computed on the CPU (no "
          + "in-kernel quadrature for this activation); the SRHT ran on the device");
    }
    double[] c = new double[n * (q + 1)];
    double[] d = withDeriv ? new double[n * (q + 1)] : null;
    // every point's quadrature is independent: all host cores
    IntStream.range(0, n).parallel().forEach(i ->
        CoefficientTables.fill(s.source(), Math.sqrt(Math.max(var[i], 0)), q, c, d, i));
    return new DeviceBuffer[] {a.upload(c, Precision.F64, "Hermite coefficients"),
        d == null ? null : a.upload(d, Precision.F64, "derivative coefficients")};
  }
}
