package org.nke.cuda;

import org.nke.sketch.ActivationSketch;
import org.nke.sketch.CntkSketch;
import org.nke.sketch.CntkStep;
import org.nke.sketch.PixelPatch;
import org.nke.spi.Precision;

/**
 * Host-side decisions about a CNTK sketch plan on the device, before anything is uploaded: whether
 * every step has a device implementation ({@link #unsupported}) and how many images fit in one batch
 * ({@link #batchSize}).
 */
final class CntkSketchDevicePlan {
  private CntkSketchDevicePlan() {
  }

  /**
   * @param plan a plan
   * @return {@code null} when every step of the plan runs on the device, else why not (the caller
   *     then runs the CPU's features, recorded)
   */
  static String unsupported(CntkSketch plan) {
    if (!plan.exactVariances()) {
      return "pixel variances from the features' norms (self blocks above "
          + CntkSketch.EXACT_VARIANCE_ENTRIES + " entries) have no device implementation";
    }
    for (CntkStep s : plan.steps()) {
      PixelPatch[] p = s instanceof CntkStep.Convolution c ? new PixelPatch[] {c.k(), c.t()}
          : s instanceof CntkStep.Readout r ? new PixelPatch[] {r.k(), r.t()}
          : s instanceof CntkStep.EndFork e ? new PixelPatch[] {e.k(), e.t()} : new PixelPatch[0];
      for (PixelPatch x : p) {
        if (!DevicePatch.supported(x)) {
          return "patch sketch " + x.sketch().kind() + " has no device implementation";
        }
      }
    }
    return null;
  }

  /**
   * Images per batch from the device's free memory, the grid-row limit and cuFFT's batch limit: the
   * largest per-image working set over the plan's steps (features in and out, Hadamard-prepared
   * patches, activation sketch buffers, plus the features every open fan-out holds: its input and
   * its fan-in's accumulator), the self recursion's pixel-pair blocks and the staged
   * image, at most half the free memory. A product merge's working set is its outputs and its
   * tensor products' spectra ({@link DeviceProduct#valuesPerRow}).
   *
   * @param plan the plan
   * @param p precision of the device features
   * @param images images to compute
   * @param maxBatch the most images per batch
   * @param freeMemory free device memory in bytes
   * @return images per batch, at least 1
   */
  static int batchSize(CntkSketch plan, Precision p, int images, int maxBatch, long freeMemory) {
    long pixels = (long) plan.height() * plan.width();
    long maxPixels = pixels;
    long dK = plan.channels();
    long dT = 0;
    long peak = 0;
    long maxFft = 1;
    boolean ntk = plan.options().ntk();
    // per open fan-out, values per image held: its input and its accumulator {pixels, dK, dT, aK, aT}
    java.util.Deque<long[]> frames = new java.util.ArrayDeque<>();
    for (CntkStep s : plan.steps()) {
      long bytes;
      long held = 0;
      for (long[] f : frames) {
        held += f[0] * (f[1] + f[2] + f[3] + f[4]);
      }
      if (s instanceof CntkStep.Fork) {
        frames.push(new long[] {pixels, dK, dT, 0, 0});
        bytes = 0;
      } else if (s instanceof CntkStep.Branch) {
        long[] f = frames.peek();
        dK = f[1];
        dT = f[2];
        bytes = 0;
      } else if (s instanceof CntkStep.Merge m && m.product() != null) {
        // the branch, the new accumulator and the tensor products' spectra (the old one is held)
        long[] f = frames.peek();
        bytes = pixels * (dK + dT + DeviceProduct.valuesPerRow(m.product()));
        maxFft = Math.max(maxFft, pixels * DeviceProduct.fftPerRow(m.product()));
        f[3] = m.product().nngpDim();
        f[4] = ntk ? m.product().ntkDim() : 0;
      } else if (s instanceof CntkStep.Merge) {
        // the branch and the new accumulator (the old one is held)
        long[] f = frames.peek();
        bytes = pixels * (2 * (dK + dT) + f[3] + f[4]);
        f[3] += dK;
        f[4] += dT;
      } else if (s instanceof CntkStep.EndFork e) {
        long[] f = frames.pop();
        dK = f[3];
        dT = f[4];
        // the accumulator (held), its re-sketch's Hadamard-prepared rows and output
        bytes = pixels * (hadamard(e.k()) + hadamard(e.t())
            + (e.k() == null ? 0 : e.k().outputs()) + (e.t() == null || !ntk ? 0 : e.t().outputs()));
        dK = e.k() == null ? dK : e.k().outputs();
        dT = e.t() == null || !ntk ? dT : e.t().outputs();
      } else if (s instanceof CntkStep.Normalize) {
        // in, out and the float64 factors
        bytes = pixels * (2 * (dK + dT) + 2);
      } else if (s instanceof CntkStep.Convolution c) {
        long out = c.window().out().pixels();
        long prepared = hadamard(c.k()) + hadamard(c.t());
        bytes = pixels * (dK + dT + prepared) + out * (c.outK() + (plan.options().ntk() ? c.outT()
            : 0));
        pixels = out;
        dK = c.outK();
        dT = plan.options().ntk() ? c.outT() : 0;
      } else if (s instanceof CntkStep.Pooling pool) {
        long out = pool.window().out().pixels();
        bytes = (pixels + out) * (dK + dT);
        pixels = out;
      } else if (s instanceof CntkStep.Readout r) {
        // Flatten prepares every pixel's light part for its patch, the mean only one row
        long prepared = (hadamard(r.k()) + hadamard(r.t())) * (r.flatten() ? pixels : 1);
        bytes = pixels * (dK + dT) + 2 * (dK + dT) + prepared + r.outK()
            + r.outT();
        pixels = 1;
        dK = r.outK();
        dT = plan.options().ntk() ? r.outT() : 0;
      } else if (s instanceof CntkStep.Affine) {
        bytes = 4 * (dK + dT + 2);
        dK += 1;
        dT += dK + 1;
      } else {
        ActivationSketch a = s instanceof CntkStep.PixelActivation act ? act.sketch()
            : ((CntkStep.TailActivation) s).sketch();
        long perPixel = SketchLayer.bytesPerPoint(a, (int) dK, p) / p.bytes() + dK + dT;
        bytes = pixels * perPixel;
        maxFft = Math.max(maxFft, pixels * SketchLayer.fftPerPoint(a));
        dK = a.outputDim();
        dT = plan.options().ntk() ? a.thetaOutputDim() : 0;
      }
      peak = Math.max(peak, (bytes + held) * p.bytes());
      maxPixels = Math.max(maxPixels, pixels);
    }
    // the pixel-pair blocks of the self recursion (K and its spare, float64; Θ and its spare for the
    // exact diagonal of an NTK plan), 1 + 2·depth sets of them for fan-outs nested depth deep (the
    // pipeline's frames: a fan-out's input, its accumulator, the branch), and staged images
    long sets = plan.varianceBlockSets();
    long perImage = peak + sets * (plan.variancesNeedNtk() ? 4 : 2) * plan.varianceBlockEntries() * 8
        + 16L * plan.height() * plan.width() * plan.channels();
    long byMemory = freeMemory / 2 / Math.max(perImage, 1);
    long byRows = SrhtKernels.MAX_POINTS / maxPixels;
    long byFft = (Integer.MAX_VALUE / 2) / maxFft;
    return (int) Math.max(1, Math.min(Math.min(byMemory, Math.min(byRows, byFft)),
        Math.min(images, Math.min(maxBatch, CntkKernels.MAX_SLOTS))));
  }

  private static long hadamard(PixelPatch patch) {
    return patch == null || patch.sketch() == null || patch.sketch().hadamard() == null ? 0
        : patch.sketch().hadamard().size();
  }
}
