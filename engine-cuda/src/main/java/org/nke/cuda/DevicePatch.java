package org.nke.cuda;

import org.nke.ir.Window;
import org.nke.sketch.Hadamard;
import org.nke.sketch.PatchSketch;
import org.nke.sketch.PixelPatch;
import org.nke.spi.Precision;

/**
 * One {@link PixelPatch} of a CNTK sketch on the device (mirror of {@code PixelPatch.apply} for every
 * output pixel of a batch at once): its draws uploaded once — the Hadamard signs (times
 * {@code 1/√N}, the CPU's product), the CountSketch buckets as a CSR by bucket, the per-tap shifts
 * and sign bits — and {@link #apply} running the prepare step ({@code nke_srht_signs} and the
 * butterflies of {@code nke_patch_fwht}), the gathered CountSketch of the light parts
 * ({@code nke_patch_count}) or their exact concatenation, and the exact heavy sections
 * ({@code nke_patch_copy}). Supports the CountSketch constructions ({@link PatchSketch.Kind#COUNT},
 * {@link PatchSketch.Kind#HADAMARD_COUNT}, the default); see {@link #supported}.
 */
final class DevicePatch {
  /** u32 marking an absent tap in a tap table. */
  static final int ABSENT = -1;

  private final PixelPatch patch;
  private final PatchKernels.Count count;
  private final DeviceBuffer hadamardSigns;
  private final int hadamardSize;

  /**
   * @param patch the patch
   * @param rt the device
   * @param p precision of the features
   * @param draws owns the uploaded draws
   */
  DevicePatch(PixelPatch patch, DeviceRuntime rt, Precision p, DeviceArena draws) {
    this.patch = patch;
    PatchSketch s = patch.sketch();
    if (s == null) {
      count = null;
      hadamardSigns = null;
      hadamardSize = 0;
      return;
    }
    Hadamard h = s.hadamard();
    if (h != null) {
      double[] signs = h.signs();
      double scale = h.scale();
      for (int j = 0; j < signs.length; j++) {
        signs[j] = signs[j] * scale;                 // Hadamard.transform: signs[j] * scale * x
      }
      hadamardSigns = draws.upload(signs, p, "Hadamard signs");
      hadamardSize = h.size();
    } else {
      hadamardSigns = null;
      hadamardSize = 0;
    }
    int dim = s.dim();
    int w = s.outputs();
    int[] bucket = s.buckets();
    int[] start = new int[w + 1];
    for (int b : bucket) {
      start[b + 1]++;
    }
    for (int v = 0; v < w; v++) {
      start[v + 1] += start[v];
    }
    int[] list = new int[dim];
    int[] fill = start.clone();
    for (int j = 0; j < dim; j++) {
      list[fill[bucket[j]]++] = j;                   // increasing j within each bucket
    }
    int words = (dim + 31) >>> 5;
    int[] signs = new int[s.taps() * words];
    for (int t = 0; t < s.taps(); t++) {
      long[] bits = s.signBits(t);
      for (int i = 0; i < words; i++) {
        signs[t * words + i] = (int) (bits[i >>> 1] >>> (32 * (i & 1)));
      }
    }
    count = new PatchKernels.Count(ints(rt, draws, s.shifts(), "patch shifts"),
        ints(rt, draws, start, "patch bucket starts"), ints(rt, draws, list, "patch bucket lists"),
        ints(rt, draws, signs, "patch signs"), words, w);
  }

  /**
   * @param patch a patch
   * @return whether its construction runs on the device (exact, or a CountSketch kind)
   */
  static boolean supported(PixelPatch patch) {
    return patch == null || patch.sketch() == null
        || patch.sketch().kind() == PatchSketch.Kind.COUNT
        || patch.sketch().kind() == PatchSketch.Kind.HADAMARD_COUNT;
  }

  /** Uploads u32 values. */
  static DeviceBuffer ints(DeviceRuntime rt, DeviceArena a, int[] v, String what) {
    DeviceBuffer b = a.allocate(4L * Math.max(1, v.length), what);
    if (v.length > 0) {
      rt.copyIn(b, v);
    }
    return b;
  }

  /**
   * The tap table of a window: for every output pixel, the input pixel of each tap (row-major
   * window order, as {@code PixelFeatures.taps}), {@link #ABSENT} outside the image.
   *
   * @param w the window
   * @return {@code out.pixels() × w.size()} entries
   */
  static int[] taps(Window w) {
    int[] out = new int[w.out().pixels() * w.size()];
    int at = 0;
    for (int ph = 0; ph < w.out().height(); ph++) {
      for (int pw = 0; pw < w.out().width(); pw++) {
        for (int a = 0; a < w.height(); a++) {
          int ih = ph * w.strideHeight() + a - w.padTop();
          for (int b = 0; b < w.width(); b++) {
            int iw = pw * w.strideWidth() + b - w.padLeft();
            boolean inside = ih >= 0 && ih < w.in().height() && iw >= 0 && iw < w.in().width();
            out[at++] = inside ? ih * w.in().width() + iw : ABSENT;
          }
        }
      }
    }
    return out;
  }

  /** @return the patch */
  PixelPatch patch() {
    return patch;
  }

  /**
   * The patch of every output row: the light section into {@code light}'s columns, the heavy section
   * into {@code heavy}'s (each of the two targets' buffers already at its first column).
   *
   * @param p precision of the features
   * @param rt the device
   * @param kernels the patch launchers
   * @param srht the srht launchers (Hadamard signs)
   * @param features the source rows (the patch's vectors, {@code length()} elements each) and the
   *     geometry
   * @param inRows source rows (images × input pixels)
   * @param light where the light section goes
   * @param heavy where the heavy section goes
   * @param outRows output rows
   */
  void apply(Precision p, DeviceRuntime rt, PatchKernels kernels, SrhtKernels srht,
      PatchKernels.Source features, int inRows, PatchKernels.Target light, PatchKernels.Target heavy,
      int outRows) {
    int len = patch.length();
    int h = patch.heavy();
    int lightLen = len - h;
    if (count == null) {
      if (lightLen > 0) {
        kernels.copy(p, features, 0, lightLen, light, outRows);
      }
    } else if (hadamardSigns == null) {
      kernels.count(p, features, count, light, outRows);
    } else {
      try (DeviceArena scratch = new DeviceArena(rt)) {
        int n = hadamardSize;
        DeviceBuffer prepared = scratch.allocate(Math.max(1L, (long) inRows * n) * p.bytes(),
            "Hadamard-transformed pixel features");
        srht.signs(p, new SrhtKernels.Rows(prepared, n), new SrhtKernels.Rows(features.src(),
            features.stride()), lightLen, n, false, hadamardSigns, inRows);
        kernels.fwht(p, prepared, n, n, inRows);
        kernels.count(p, new PatchKernels.Source(prepared, n, features.taps(), features.ntaps(),
            features.outPixels(), features.inPixels()), count, light, outRows);
        rt.synchronize("a patch sketch");
      }
    }
    if (h > 0) {
      kernels.copy(p, features, lightLen, h, heavy, outRows);
    }
  }
}
