package org.nke.cuda;

import org.nke.spi.Precision;

/**
 * Typed launchers of the {@code patch} PTX family (see {@code org/nke/ptx/patch.ptx}): the CNTK
 * sketch's patch re-sketch, exact patch sections, pooling of pixel features and the Walsh–Hadamard
 * butterflies, for a batch of images at once. Every launch has one grid row per output row (an image's
 * pixel, or an image at the readout; at most {@value SrhtKernels#MAX_POINTS}) and 1-D blocks of
 * {@value SrhtKernels#THREADS} threads over the row's elements.
 */
final class PatchKernels {
  private final KernelLauncher launcher;

  /** @param launcher where launches go */
  PatchKernels(KernelLauncher launcher) {
    this.launcher = launcher;
  }

  /**
   * Where a patch reads: rows of pixel features and the tap table of the geometry.
   *
   * @param src the pixel features, one row per (image, input pixel), {@code stride} elements apart
   * @param stride elements per source row
   * @param taps the tap table (u32, {@code outPixels × ntaps}, {@code 0xFFFFFFFF} for an absent tap)
   * @param ntaps taps per output pixel
   * @param outPixels output pixels per image
   * @param inPixels input pixels per image
   */
  record Source(DeviceBuffer src, int stride, DeviceBuffer taps, int ntaps, int outPixels,
      int inPixels) {
  }

  /**
   * Where a patch writes: {@code out = f1 · raw} and optionally {@code out2 = f2 · raw}, with
   * {@code raw = pf · (the patch value)}.
   *
   * @param out first output rows (may be a column slice)
   * @param stride elements per row of {@code out}
   * @param out2 second output rows, or {@code null}
   * @param stride2 elements per row of {@code out2}
   * @param pf the patch factor
   * @param f1 the factor of {@code out}
   * @param f2 the factor of {@code out2}
   */
  record Target(DeviceBuffer out, int stride, DeviceBuffer out2, int stride2, double pf, double f1,
      double f2) {
  }

  /**
   * A CountSketch per tap with shared buckets on the device.
   *
   * @param shift per tap, its shift (u32)
   * @param start CSR row starts by bucket, {@code w + 1} (u32)
   * @param list the coordinates of each bucket, increasing (u32)
   * @param signs per tap, {@code words} u32 words of sign bits
   * @param words sign words per tap
   * @param w the number of buckets
   */
  record Count(DeviceBuffer shift, DeviceBuffer start, DeviceBuffer list, DeviceBuffer signs,
      int words, int w) {
  }

  private static PtxKernel pick(Precision p, PtxKernel f64, PtxKernel f32) {
    return p == Precision.F64 ? f64 : f32;
  }

  private static KernelLauncher.Shape rows(long len, int rows) {
    if (rows < 1 || rows > SrhtKernels.MAX_POINTS) {
      throw new IllegalArgumentException("a launch covers 1 to " + SrhtKernels.MAX_POINTS
          + " rows, got " + rows);
    }
    return new KernelLauncher.Shape((int) Math.max(1, (len + SrhtKernels.THREADS - 1)
        / SrhtKernels.THREADS), rows, SrhtKernels.THREADS, 1);
  }

  /**
   * The CountSketch of the light parts of every output pixel's patch ({@code nke_patch_count}).
   *
   * @param p precision of the features
   * @param s the prepared light parts and the geometry
   * @param c the sketch
   * @param t the outputs ({@code w} columns each); modified
   * @param rows output rows (images × output pixels)
   */
  void count(Precision p, Source s, Count c, Target t, int rows) {
    launcher.launch(rows(c.w(), rows), KernelArgs.of(pick(p, PtxKernel.PATCH_COUNT_F64,
        PtxKernel.PATCH_COUNT_F32)).ptr(t.out()).u32(t.stride()).ptr(t.out2()).u32(t.stride2())
        .ptr(s.src()).u32(s.stride()).ptr(s.taps()).u32(s.ntaps()).u32(s.outPixels())
        .u32(s.inPixels()).ptr(c.shift()).ptr(c.start()).ptr(c.list()).ptr(c.signs())
        .u32(c.words()).u32(c.w()).real(t.pf()).real(t.f1()).real(t.f2()));
  }

  /**
   * Coordinates {@code from … from + count} of every tap, concatenated ({@code nke_patch_copy}).
   *
   * @param p precision of the features
   * @param s the pixel features and the geometry
   * @param from first coordinate of each vector
   * @param count coordinates per tap
   * @param t the outputs ({@code ntaps·count} columns each); modified
   * @param rows output rows
   */
  void copy(Precision p, Source s, int from, int count, Target t, int rows) {
    launcher.launch(rows((long) s.ntaps() * count, rows), KernelArgs.of(pick(p,
        PtxKernel.PATCH_COPY_F64, PtxKernel.PATCH_COPY_F32)).ptr(t.out()).u32(t.stride())
        .ptr(t.out2()).u32(t.stride2()).ptr(s.src()).u32(s.stride()).ptr(s.taps()).u32(s.ntaps())
        .u32(s.outPixels()).u32(s.inPixels()).u32(from).u32(count).real(t.pf()).real(t.f1())
        .real(t.f2()));
  }

  /**
   * {@code dst[r] = (Σ_{present taps} src[tap]) · scale} ({@code nke_patch_pool}).
   *
   * @param p precision of the features
   * @param s the pixel features and the geometry
   * @param len elements per row
   * @param dst output rows; modified
   * @param dstride elements per output row
   * @param scale the factor
   * @param rows output rows
   */
  void pool(Precision p, Source s, int len, DeviceBuffer dst, int dstride, double scale, int rows) {
    launcher.launch(rows(len, rows), KernelArgs.of(pick(p, PtxKernel.PATCH_POOL_F64,
        PtxKernel.PATCH_POOL_F32)).ptr(dst).u32(dstride).ptr(s.src()).u32(s.stride()).u32(len)
        .ptr(s.taps()).u32(s.ntaps()).u32(s.outPixels()).u32(s.inPixels()).real(scale));
  }

  /**
   * All butterfly stages of the Walsh–Hadamard transform of every row, in place: a single stage first
   * when {@code log₂ n} is odd, then two stages per launch ({@code nke_patch_fwht}).
   *
   * @param p precision
   * @param data rows of {@code n} values; modified
   * @param stride elements per row
   * @param n the transform length, a power of two
   * @param rows rows
   */
  void fwht(Precision p, DeviceBuffer data, int stride, int n, int rows) {
    int stages = Integer.numberOfTrailingZeros(n);
    int h = 1;
    if (stages % 2 == 1) {
      fwhtStage(p, data, stride, n, h, false, rows);
      h = 2;
    }
    for (; h < n; h <<= 2) {
      fwhtStage(p, data, stride, n, h, true, rows);
    }
  }

  /**
   * One launch of butterflies: stage {@code h}, or stages {@code h} and {@code 2h}.
   *
   * @param p precision
   * @param data rows; modified
   * @param stride elements per row
   * @param n the transform length
   * @param h the first stride
   * @param radix4 two stages
   * @param rows rows
   */
  void fwhtStage(Precision p, DeviceBuffer data, int stride, int n, int h, boolean radix4, int rows) {
    launcher.launch(rows(radix4 ? n / 4 : n / 2, rows), KernelArgs.of(pick(p,
        PtxKernel.PATCH_FWHT_F64, PtxKernel.PATCH_FWHT_F32)).ptr(data).u32(stride).u32(n).u32(h)
        .flag(radix4));
  }
}
