package org.nke.cuda;

import org.nke.ir.ImageVariances;
import org.nke.sketch.CntkStep;
import org.nke.spi.Precision;

/**
 * The branching and LayerNorm steps of a CNTK sketch on the device (mirror of the CPU's
 * {@code PixelJoins}, for every pixel of a batch at once; formulas at {@link CntkStep.Merge},
 * {@link CntkStep.EndFork} and {@link CntkStep.Normalize}), with existing launchers only: a linear
 * merge is four strided scaled copies per kernel ({@code nke_srht_scale} on column slices), LayerNorm
 * one {@code nke_srht_scale} with a per-row float64 coefficient {@code 1/√s(p)} (the CPU's factor,
 * so float64 rows match bit for bit), and a fan-in's re-sketch the readout's one-tap
 * {@link DevicePatch} on every pixel. Every method returns new buffers and leaves its inputs
 * unchanged, so a fan-out's branches share its features. A product merge (FanInProd) is the dense
 * sketch's {@link DeviceProduct} with one row per pixel.
 */
final class CudaPixelJoins {
  private final DeviceRuntime rt;
  private final SrhtKernels srht;
  private final PatchKernels patches;

  /** An EndFork's device draws: its re-sketches (or {@code null}) and a one-tap table. */
  record EndForkDraws(DevicePatch k, DevicePatch t, DeviceBuffer one) {
  }

  /**
   * @param rt the device
   * @param srht the srht launchers
   * @param patches the patch launchers
   */
  CudaPixelJoins(DeviceRuntime rt, SrhtKernels srht, PatchKernels patches) {
    this.rt = rt;
    this.srht = srht;
    this.patches = patches;
  }

  /**
   * @param e an EndFork
   * @param p precision of the features
   * @param draws owns the uploads
   * @return its draws, or {@code null} when it does not re-sketch
   */
  EndForkDraws upload(CntkStep.EndFork e, Precision p, DeviceArena draws) {
    if (e.k() == null && e.t() == null) {
      return null;
    }
    return new EndForkDraws(e.k() == null ? null : new DevicePatch(e.k(), rt, p, draws),
        e.t() == null ? null : new DevicePatch(e.t(), rt, p, draws),
        DevicePatch.ints(rt, draws, new int[] {0}, "one-tap table"));
  }

  private static DeviceBuffer rows(DeviceArena a, long rows, long len, Precision p, String what) {
    return a.allocate(Math.max(1L, rows * len) * p.bytes(), what);
  }

  private static DeviceBuffer col(DeviceBuffer b, long col, Precision p) {
    return CudaSketchOps.column(b, col, p);
  }

  /**
   * A linear merge: per row {@code [sa·acc.light, sb·in.light, sa·acc.heavy, sb·in.heavy]} for
   * {@code Φ_K} and {@code Φ_Θ}.
   *
   * @param acc the fan-in's accumulator, not modified
   * @param in the finished branch (same pixels), not modified
   * @param m the merge (linear, not branch 0)
   * @param n images
   * @param p precision
   * @param a owns the new buffers
   * @return the new accumulator (one reference)
   */
  DeviceFeatures merge(DeviceFeatures acc, DeviceFeatures in, CntkStep.Merge m, int n, Precision p,
      DeviceArena a) {
    int rows = n * acc.pixels;
    double sa = Math.sqrt(m.step().join().alpha());
    double sb = Math.sqrt(m.step().join().beta());
    DeviceBuffer k = concatenate(acc.k, acc.dK, m.heavyAccK(), sa, in.k, in.dK, m.heavyK(), sb, rows,
        p, a, "merged NNGP features");
    DeviceBuffer t = acc.t == null ? null : concatenate(acc.t, acc.dT, m.heavyAccT(), sa, in.t, in.dT,
        m.heavyT(), sb, rows, p, a, "merged NTK features");
    rt.synchronize("a fan-in of the CNTK sketch");
    return new DeviceFeatures(acc.refs, k, t, acc.dK + in.dK, acc.t == null ? 0 : acc.dT + in.dT,
        acc.pixels);
  }

  /**
   * A product merge: per row (pixel) the dense sketch's tensor products,
   * {@code Φ_K = T(Φ_K,acc ⊗ Φ_K,i)}, {@code Φ_Θ = [T'(Φ_Θ,acc ⊗ Φ_K,i), T''(Φ_K,acc ⊗ Φ_Θ,i)]}.
   *
   * @param acc the fan-in's accumulator, not modified
   * @param in the finished branch (same pixels), not modified
   * @param product the merge's tensor products on the device
   * @param m the merge (a product, not branch 0)
   * @param n images
   * @param a owns the new buffers
   * @return the new accumulator (one reference)
   */
  DeviceFeatures product(DeviceFeatures acc, DeviceFeatures in, DeviceProduct product,
      CntkStep.Merge m, int n, DeviceArena a) {
    DeviceBuffer[] r = product.apply(acc.k, acc.t, in.k, in.t, n * acc.pixels, a);
    return new DeviceFeatures(acc.refs, r[0], r[1], m.product().nngpDim(),
        r[1] == null ? 0 : m.product().ntkDim(), acc.pixels);
  }

  /** Per row {@code [sa·x.light, sb·y.light, sa·x.heavy, sb·y.heavy]} into a new buffer. */
  private DeviceBuffer concatenate(DeviceBuffer x, int dx, int hx, double sa, DeviceBuffer y, int dy,
      int hy, double sb, int rows, Precision p, DeviceArena a, String what) {
    int d = dx + dy;
    DeviceBuffer out = rows(a, rows, d, p, what);
    int at = copy(out, d, x, dx, 0, dx - hx, sa, 0, rows, p);
    at = copy(out, d, y, dy, 0, dy - hy, sb, at, rows, p);
    at = copy(out, d, x, dx, dx - hx, hx, sa, at, rows, p);
    copy(out, d, y, dy, dy - hy, hy, sb, at, rows, p);
    return out;
  }

  /** Columns {@code from … from + len} of {@code src} times {@code s} into columns {@code at …}. */
  private int copy(DeviceBuffer dst, int dstride, DeviceBuffer src, int sstride, int from, int len,
      double s, int at, int rows, Precision p) {
    if (len > 0) {
      srht.scale(p, new SrhtKernels.Rows(col(dst, at, p), dstride), new SrhtKernels.Rows(col(src, from,
          p), sstride), len, rows, SrhtKernels.Coefficients.NONE, s);
    }
    return at + len;
  }

  /**
   * LayerNorm: every row times {@code 1/√s(p)}.
   *
   * @param f the features, not modified
   * @param step the LayerNorm
   * @param v the batch's pixel variances
   * @param n images
   * @param p precision
   * @param a owns the new buffers
   * @return the normalised buffers {@code {k, t}} (same widths; {@code t} {@code null} when
   *     {@code f.t} is)
   */
  DeviceBuffer[] normalize(DeviceFeatures f, CntkStep.Normalize step, ImageVariances[] v,
      int n, Precision p, DeviceArena a) {
    int rows = n * f.pixels;
    double[] var = new double[rows];
    for (int b = 0; b < n; b++) {
      System.arraycopy(v[b].spatial()[step.step().index()], 0, var, b * f.pixels, f.pixels);
    }
    double[] s = step.step().scales(var);
    double[] factor = new double[rows];
    for (int r = 0; r < rows; r++) {
      factor[r] = 1 / Math.sqrt(s[r]);               // PixelJoins.normalize's factor
    }
    DeviceBuffer table = a.upload(factor, Precision.F64, "LayerNorm factors");
    SrhtKernels.Coefficients c = new SrhtKernels.Coefficients(table, null, 1, 0);
    DeviceBuffer k = rows(a, rows, f.dK, p, "normalised NNGP features");
    if (f.dK > 0) {
      srht.scale(p, new SrhtKernels.Rows(k, f.dK), new SrhtKernels.Rows(f.k, f.dK), f.dK, rows, c, 1);
    }
    DeviceBuffer t = null;
    if (f.t != null) {
      t = rows(a, rows, f.dT, p, "normalised NTK features");
      if (f.dT > 0) {
        srht.scale(p, new SrhtKernels.Rows(t, f.dT), new SrhtKernels.Rows(f.t, f.dT), f.dT, rows, c, 1);
      }
    }
    rt.synchronize("a LayerNorm of the CNTK sketch");
    table.close();
    return new DeviceBuffer[] {k, t};
  }

  /**
   * A fan-in's per-pixel re-sketch: every row through a one-tap patch.
   *
   * @param f the fan-in's accumulator, not modified
   * @param d the EndFork's draws
   * @param n images
   * @param p precision
   * @param a owns the new buffers
   * @return the re-sketched buffers {@code {k, t}}, each {@code f}'s own where not re-sketched
   */
  DeviceBuffer[] resketch(DeviceFeatures f, EndForkDraws d, int n, Precision p, DeviceArena a) {
    int rows = n * f.pixels;
    DeviceBuffer k = d.k() == null ? f.k : resketch(d.k(), d.one(), f.k, f.dK, rows, p, a);
    DeviceBuffer t = d.t() == null || f.t == null ? f.t
        : resketch(d.t(), d.one(), f.t, f.dT, rows, p, a);
    rt.synchronize("the re-sketch of a fan-in");
    return new DeviceBuffer[] {k, t};
  }

  private DeviceBuffer resketch(DevicePatch patch, DeviceBuffer one, DeviceBuffer v, int len,
      int rows, Precision p, DeviceArena a) {
    // every row an image of one pixel: PixelPatch.apply on the pixel's own vector
    PatchKernels.Source src = new PatchKernels.Source(v, len, one, 1, 1, 1);
    int outs = patch.patch().outputs();
    DeviceBuffer out = rows(a, rows, outs, p, "re-sketched fan-in features");
    patch.apply(p, rt, patches, srht, src, rows, new PatchKernels.Target(out, outs, null, 0, 1.0, 1.0,
        0), new PatchKernels.Target(col(out, patch.patch().lightOutputs(), p), outs, null, 0, 1.0,
        1.0, 0), rows);
    return out;
  }
}
