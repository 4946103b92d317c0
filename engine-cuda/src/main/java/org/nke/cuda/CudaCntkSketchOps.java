package org.nke.cuda;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.nke.hermite.HomogeneousHermiteSource;
import org.nke.ir.ImageBatch;
import org.nke.ir.ImageVariances;
import org.nke.ir.Window;
import org.nke.sketch.ActivationSketch;
import org.nke.sketch.CntkSketch;
import org.nke.sketch.CntkStep;
import org.nke.sketch.PixelPatch;
import org.nke.spi.ConvOps;
import org.nke.spi.PixelBlocks;
import org.nke.spi.Precision;
import org.nke.spi.Progress;

/**
 * CNTK sketch features on the device (mirror of the CPU's {@code CntkSketch.features} per image, for
 * a batch of images at once): the plan's draws are uploaded once per call; per batch, the pixel
 * variances come from the exact self recursion on the device ({@link CntkSketch#variances(ConvOps,
 * PixelBlocks, ImageBatch)} through {@link CudaConvOps}, float64), then every pixel of every
 * image of the batch goes through the plan's steps with its features kept in device memory, one set
 * of launches per step for the whole batch: the input scaling ({@code nke_srht_scale}), each Conv's
 * patch ({@link DevicePatch}: Hadamard transform, gathered CountSketch, exact sections; the bias and
 * NTK constant features), each activation ({@link SketchLayer} on all pixels, the constant feature
 * moved last), pools and the GlobalAvgPool mean ({@code nke_patch_pool}), Flatten's patch, the
 * branching and LayerNorm steps ({@link CudaPixelJoins}: a frame stack of {@link DeviceFeatures}
 * shared by reference, as the CPU's) and the dense tail (Dense updates, activations on one row per
 * image). The Hermite coefficient tables are filled on the host from the variances with the plan's
 * own {@code HermiteSource} (a scaling of the unit coefficients for homogeneous activations; a
 * per-pixel quadrature otherwise, recorded as a CPU fallback). float64 features reproduce the CPU's up to the FFT's rounding and the duals'
 * {@code atan2}/{@code exp} in the variances.
 */
final class CudaCntkSketchOps {
  /** The most images per batch. */
  static final int MAX_BATCH = 256;

  private final DeviceRuntime rt;
  private final SrhtKernels srht;
  private final PatchKernels patches;
  private final CudaPixelJoins joins;
  private final ConvOps variances;
  private final Consumer<String> note;

  /** A Conv's device draws: its two patches and the tap table. */
  private record ConvDraws(DevicePatch k, DevicePatch t, DeviceBuffer taps) {
  }

  /** A readout's device draws: its patches (or {@code null}) and the tap tables of all / one pixel. */
  private record ReadoutDraws(DevicePatch k, DevicePatch t, DeviceBuffer all, DeviceBuffer one) {
  }

  /**
   * @param rt the device
   * @param variances the float64 CNTK primitives for the pixel variances
   * @param note records (and logs) a step that ran on the CPU
   */
  CudaCntkSketchOps(DeviceRuntime rt, ConvOps variances, Consumer<String> note) {
    this.rt = rt;
    this.srht = new SrhtKernels(rt);
    this.patches = new PatchKernels(rt);
    this.joins = new CudaPixelJoins(rt, srht, patches);
    this.variances = variances;
    this.note = note;
  }

  /**
   * @param plan the plan ({@link CntkSketchDevicePlan#unsupported} must be {@code null})
   * @param x images of the plan's shape, not modified
   * @param p precision of the device features
   * @param progress progress sink (units: images)
   * @param maxBatch the most images per batch
   * @return one feature row per image
   */
  double[][] features(CntkSketch plan, ImageBatch x, Precision p, Progress progress, int maxBatch) {
    rt.makeCurrent();
    List<CntkStep> steps = plan.steps();
    double[][] out = new double[x.count()][];
    try (DeviceArena draws = new DeviceArena(rt)) {
      Object[] dev = new Object[steps.size()];
      for (int i = 0; i < dev.length; i++) {
        dev[i] = upload(steps.get(i), p, draws);
      }
      int batch = CntkSketchDevicePlan.batchSize(plan, p, x.count(), maxBatch, rt.freeMemory());
      boolean[] noted = new boolean[steps.size()];
      try (PixelBlocks blocks = variances.allocate(batch, plan.varianceBlockEntries(),
          plan.variancesNeedNtk())) {
        for (int i0 = 0; i0 < x.count(); i0 += batch) {
          int n = Math.min(batch, x.count() - i0);
          ImageBatch part = x.slice(i0, i0 + n);
          ImageVariances[] v = plan.variances(variances, blocks, part);
          batch(plan, dev, part, v, p, out, i0, noted);
          progress.advance(n);
        }
      }
    }
    return out;
  }

  private Object upload(CntkStep step, Precision p, DeviceArena draws) {
    if (step instanceof CntkStep.Convolution c) {
      return new ConvDraws(new DevicePatch(c.k(), rt, p, draws), c.t() == null ? null
          : new DevicePatch(c.t(), rt, p, draws), DevicePatch.ints(rt, draws,
          DevicePatch.taps(c.window()), "Conv tap table"));
    }
    if (step instanceof CntkStep.Pooling pool) {
      return DevicePatch.ints(rt, draws, DevicePatch.taps(pool.window()), "AvgPool tap table");
    }
    if (step instanceof CntkStep.Readout r) {
      int[] all = IntStream.range(0, r.grid().pixels()).toArray();
      return new ReadoutDraws(r.k() == null ? null : new DevicePatch(r.k(), rt, p, draws),
          r.t() == null ? null : new DevicePatch(r.t(), rt, p, draws),
          DevicePatch.ints(rt, draws, all, "readout tap table"),
          DevicePatch.ints(rt, draws, new int[] {0}, "one-tap table"));
    }
    if (step instanceof CntkStep.PixelActivation a) {
      return new SketchLayer(a.sketch(), rt, srht, p, draws);
    }
    if (step instanceof CntkStep.TailActivation a) {
      return new SketchLayer(a.sketch(), rt, srht, p, draws);
    }
    if (step instanceof CntkStep.EndFork e) {
      return joins.upload(e, p, draws);
    }
    if (step instanceof CntkStep.Merge m && m.product() != null) {
      return new DeviceProduct(m.product(), rt, srht, p, draws);
    }
    return null;
  }

  private DeviceBuffer rows(DeviceArena a, long rows, long len, Precision p, String what) {
    return a.allocate(Math.max(1L, rows * len) * p.bytes(), what);
  }

  private static DeviceBuffer col(DeviceBuffer b, long col, Precision p) {
    return b == null ? null : CudaSketchOps.column(b, col, p);
  }

  private void batch(CntkSketch plan, Object[] dev, ImageBatch part, ImageVariances[] v,
      Precision p, double[][] out, int i0, boolean[] noted) {
    int n = part.count();
    boolean ntk = plan.options().ntk();
    List<CntkStep> steps = plan.steps();
    try (DeviceArena a = new DeviceArena(rt)) {
      int c = plan.channels();
      int pixels = plan.height() * plan.width();
      int len = pixels * c;
      double[] img = new double[n * len];
      double[] one = new double[len];
      for (int b = 0; b < n; b++) {
        part.copyImage(b, one);
        System.arraycopy(one, 0, img, b * len, len);
      }
      DeviceBuffer staged = a.upload(img, p, "the images");
      DeviceBuffer input = rows(a, n, len, p, "input pixel features");
      // PixelFeatures.input: Φ_K(p) = x_p · (1/√C)
      srht.scale(p, new SrhtKernels.Rows(input, len), new SrhtKernels.Rows(staged, len), len, n,
          SrhtKernels.Coefficients.NONE, 1 / Math.sqrt(c));
      rt.synchronize("scaling the input pixels");
      staged.close();
      DeviceFeatures f = new DeviceFeatures(new DeviceFeatures.Refs(), input,
          ntk ? rows(a, 0, 0, p, "NTK features (empty)") : null, c, 0, pixels);
      // per open fan-out: its input features and the fan-in's accumulator
      Deque<DeviceFeatures[]> frames = new ArrayDeque<>();
      for (int s = 0; s < steps.size(); s++) {
        CntkStep step = steps.get(s);
        if (step instanceof CntkStep.Convolution conv) {
          conv(conv, (ConvDraws) dev[s], f, n, p, a);
        } else if (step instanceof CntkStep.PixelActivation act) {
          double[] var = new double[n * f.pixels];
          for (int b = 0; b < n; b++) {
            System.arraycopy(v[b].spatial()[act.index()], 0, var, b * f.pixels, f.pixels);
          }
          activation((SketchLayer) dev[s], var, f, n * f.pixels, true, p, a, noted, s);
        } else if (step instanceof CntkStep.TailActivation act) {
          double[] var = new double[n];
          for (int b = 0; b < n; b++) {
            var[b] = v[b].tail()[act.index()];
          }
          activation((SketchLayer) dev[s], var, f, n, false, p, a, noted, s);
        } else if (step instanceof CntkStep.Pooling pool) {
          pool(pool.window(), (DeviceBuffer) dev[s], f, n, p, a);
        } else if (step instanceof CntkStep.Readout r) {
          readout(r, (ReadoutDraws) dev[s], f, n, p, a);
        } else if (step instanceof CntkStep.Affine af) {
          DeviceBuffer[] r = CudaSketchOps.affine(srht, p, a, af.step(), f.k, f.dK, f.t, f.dT, n);
          rt.synchronize("a Dense layer of the CNTK sketch");
          f.replace(r[0], r[1]);
          if (f.t != null) {
            f.dT = f.dK + f.dT + (af.step().ntkConstant() > 0 ? 1 : 0);
          }
          f.dK += af.step().b2() > 0 ? 1 : 0;
        } else {
          f = join(step, dev[s], f, frames, v, n, p, a);
        }
      }
      DeviceBuffer result = ntk ? f.t : f.k;
      int width = ntk ? f.dT : f.dK;
      double[] host = new double[n * width];
      rt.copyOut(result, p, 0, host, host.length);
      for (int b = 0; b < n; b++) {
        out[i0 + b] = Arrays.copyOfRange(host, b * width, (b + 1) * width);
        // the exact diagonal: one scale per image, on the host (O(width), as the copy out)
        plan.scaleToDiagonal(out[i0 + b], v[b]);
      }
    }
  }

  /** Fork, Branch, Merge, EndFork, Normalize ({@code CntkSketch.features}' frame stack). */
  private DeviceFeatures join(CntkStep step, Object draws, DeviceFeatures f,
      Deque<DeviceFeatures[]> frames, ImageVariances[] v, int n, Precision p, DeviceArena a) {
    if (step instanceof CntkStep.Fork) {
      frames.push(new DeviceFeatures[] {f.share(), null});
    } else if (step instanceof CntkStep.Branch) {
      f.release();
      return frames.peek()[0].share();
    } else if (step instanceof CntkStep.Merge m) {
      DeviceFeatures[] frame = frames.peek();
      if (m.step().branch() == 0) {
        frame[1] = f.share();
      } else {
        DeviceFeatures acc = draws instanceof DeviceProduct pr
            ? joins.product(frame[1], f, pr, m, n, a) : joins.merge(frame[1], f, m, n, p, a);
        frame[1].release();
        frame[1] = acc;
      }
    } else if (step instanceof CntkStep.EndFork e) {
      DeviceFeatures[] frame = frames.pop();
      f.release();
      frame[0].release();
      f = frame[1];
      if (draws != null) {
        DeviceBuffer[] r = joins.resketch(f, (CudaPixelJoins.EndForkDraws) draws, n, p, a);
        f.replace(r[0], r[1]);
        f.dK = e.k() == null ? f.dK : e.k().outputs();
        f.dT = e.t() == null || f.t == null ? f.dT : e.t().outputs();
      }
    } else if (step instanceof CntkStep.Normalize norm) {
      DeviceBuffer[] r = joins.normalize(f, norm, v, n, p, a);
      f.replace(r[0], r[1]);
    }
    return f;
  }

  /** A Conv: {@code Φ_K' = [w·P_K, β]}, {@code Φ_Θ' = [ta·P_K.light, tb·P_Θ.light, ta·P_K.heavy, …]}. */
  private void conv(CntkStep.Convolution c, ConvDraws d, DeviceFeatures f, int n, Precision p,
      DeviceArena a) {
    Window w = c.window();
    int outPix = w.out().pixels();
    int outRows = n * outPix;
    int inRows = n * f.pixels;
    boolean ntk = f.t != null;
    PixelPatch pk = c.k();
    PixelPatch pt = ntk ? c.t() : null;
    int outK = c.outK();
    int outT = ntk ? c.outT() : 0;
    DeviceBuffer nk = rows(a, outRows, outK, p, "Conv NNGP features");
    DeviceBuffer nt = ntk ? rows(a, outRows, outT, p, "Conv NTK features") : null;
    int lightK = pk.lightOutputs();
    int lightT = pt == null ? 0 : pt.lightOutputs();
    PatchKernels.Source src = new PatchKernels.Source(f.k, f.dK, d.taps(), w.size(), outPix,
        f.pixels);
    d.k().apply(p, rt, patches, srht, src, inRows,
        new PatchKernels.Target(nk, outK, nt, outT, 1.0, c.w(), c.ta()),
        new PatchKernels.Target(col(nk, lightK, p), outK, col(nt, lightK + lightT, p), outT, 1.0, c.w(),
            c.ta()), outRows);
    if (c.bias() > 0) {
      srht.scale(p, new SrhtKernels.Rows(col(nk, outK - 1L, p), outK), null, 1, outRows,
          SrhtKernels.Coefficients.NONE, c.bias());
    }
    if (ntk) {
      if (pt != null) {
        PatchKernels.Source srcT = new PatchKernels.Source(f.t, f.dT, d.taps(), w.size(), outPix,
            f.pixels);
        d.t().apply(p, rt, patches, srht, srcT, inRows,
            new PatchKernels.Target(col(nt, lightK, p), outT, null, 0, 1.0, c.tb(), 0),
            new PatchKernels.Target(col(nt, lightK + lightT + pk.heavyOutputs(), p), outT, null, 0,
                1.0, c.tb(), 0), outRows);
      }
      if (c.tc() > 0) {
        srht.scale(p, new SrhtKernels.Rows(col(nt, outT - 1L, p), outT), null, 1, outRows,
            SrhtKernels.Coefficients.NONE, c.tc());
      }
    }
    rt.synchronize("a Conv of the CNTK sketch");
    f.replace(nk, nt);
    f.dK = outK;
    f.dT = outT;
    f.pixels = outPix;
  }

  /** An activation on every row (pixels, or images after the readout). */
  private void activation(SketchLayer layer, double[] var, DeviceFeatures f, int rows,
      boolean constantLast, Precision p, DeviceArena a, boolean[] noted, int step) {
    ActivationSketch s = layer.sketch();
    int q = s.degree();
    boolean withDeriv = f.t != null && s.thetaProduct() != null;
    boolean homogeneous = s.source() instanceof HomogeneousHermiteSource;
    if (!homogeneous && !noted[step]) {
      noted[step] = true;
      note.accept("CNTK sketch: Hermite coefficients of the activation at step " + (step + 1)
          + " computed on the CPU for every pixel (quadrature at each pixel's scale); the rest of the "
          + "layer ran on the device");
    }
    double[] c = new double[rows * (q + 1)];
    double[] d = withDeriv ? new double[rows * (q + 1)] : null;
    IntStream range = IntStream.range(0, rows);
    (homogeneous ? range : range.parallel()).forEach(i -> {
      CoefficientTables.fill(s.source(), Math.sqrt(Math.max(var[i], 0)), q, c, d, i);
    });
    DeviceBuffer dc = a.upload(c, Precision.F64, "Hermite coefficients");
    DeviceBuffer dd = d == null ? null : a.upload(d, Precision.F64, "derivative coefficients");
    DeviceBuffer[] r = layer.apply(f.k, f.t, dc, dd, rows, a, constantLast);
    rt.synchronize("an activation of the CNTK sketch");
    dc.close();
    if (dd != null) {
      dd.close();
    }
    f.replace(r[0], r[1]);
    f.dK = s.outputDim();
    f.dT = f.t == null ? 0 : s.thetaOutputDim();
  }

  /** AvgPool: {@code Φ'(P) = Σ_{p ∈ P} Φ(p) / F}. */
  private void pool(Window w, DeviceBuffer taps, DeviceFeatures f, int n, Precision p,
      DeviceArena a) {
    int outPix = w.out().pixels();
    double scale = 1.0 / w.size();
    DeviceBuffer nk = rows(a, (long) n * outPix, f.dK, p, "pooled NNGP features");
    patches.pool(p, new PatchKernels.Source(f.k, f.dK, taps, w.size(), outPix, f.pixels), f.dK, nk,
        f.dK, scale, n * outPix);
    DeviceBuffer nt = null;
    if (f.t != null) {
      nt = rows(a, (long) n * outPix, f.dT, p, "pooled NTK features");
      if (f.dT > 0) {
        patches.pool(p, new PatchKernels.Source(f.t, f.dT, taps, w.size(), outPix, f.pixels), f.dT,
            nt, f.dT, scale, n * outPix);
      }
    }
    rt.synchronize("an AvgPool of the CNTK sketch");
    f.replace(nk, nt);
    f.pixels = outPix;
  }

  /** Flatten or GlobalAvgPool: one row per image. */
  private void readout(CntkStep.Readout r, ReadoutDraws d, DeviceFeatures f, int n, Precision p,
      DeviceArena a) {
    DeviceBuffer nk = reduce(r.flatten(), d.k(), d, f.k, f.dK, f.pixels, n, p, a);
    DeviceBuffer nt = f.t == null ? null : reduce(r.flatten(), d.t(), d, f.t, f.dT, f.pixels, n, p, a);
    rt.synchronize("the readout of the CNTK sketch");
    f.replace(nk, nt);
    f.dK = r.outK();
    f.dT = nt == null ? 0 : r.outT();
    f.pixels = 1;
  }

  /** {@code PixelFeatures.reduce}: Flatten's patch of all pixels, or the mean (and its patch). */
  private DeviceBuffer reduce(boolean flatten, DevicePatch patch, ReadoutDraws d, DeviceBuffer v,
      int len, int pixels, int n, Precision p, DeviceArena a) {
    PatchKernels.Source src = new PatchKernels.Source(v, len, d.all(), pixels, 1, pixels);
    double factor = 1.0;
    int inRows = n * pixels;
    DeviceBuffer mean = null;
    if (flatten) {
      factor = 1 / Math.sqrt(pixels);
    } else {
      mean = rows(a, n, len, p, "mean pixel features");
      if (len > 0) {
        patches.pool(p, src, len, mean, len, 1.0 / pixels, n);
      }
      if (patch == null) {
        return mean;
      }
      src = new PatchKernels.Source(mean, len, d.one(), 1, 1, 1);
      inRows = n;
    }
    int outs = patch.patch().outputs();
    DeviceBuffer out = rows(a, n, outs, p, "readout features");
    patch.apply(p, rt, patches, srht, src, inRows,
        new PatchKernels.Target(out, outs, null, 0, factor, 1.0, 0),
        new PatchKernels.Target(col(out, patch.patch().lightOutputs(), p), outs, null, 0, factor, 1.0,
            0), n);
    if (mean != null) {
      rt.synchronize("the GlobalAvgPool patch");
      mean.close();
    }
    return out;
  }
}
