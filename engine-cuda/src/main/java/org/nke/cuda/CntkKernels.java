package org.nke.cuda;

import org.nke.ir.Window;
import org.nke.spi.Precision;

/**
 * Typed launchers of the {@code cntk} PTX family (see {@code org/nke/ptx/cntk.ptx}), one method per
 * entry pair (f64/f32). Every entry transforms a batch of {@code count} image pairs ("slots") whose
 * pixel-pair blocks lie compactly in one buffer (slot {@code s} at element {@code s·entries}). Launch
 * shape: 1-D blocks of {@value #THREADS} threads, grid {@code (⌈entries / THREADS⌉, count)}: x → entry
 * of the output block, y → slot.
 */
final class CntkKernels {
  /** Threads per block (1-D). */
  static final int THREADS = 256;
  /** The largest grid dimension along y: slots per launch. */
  static final int MAX_SLOTS = 65535;

  private final KernelLauncher launcher;

  /** @param launcher where launches go */
  CntkKernels(KernelLauncher launcher) {
    this.launcher = launcher;
  }

  private static PtxKernel pick(Precision p, PtxKernel f64, PtxKernel f32) {
    return p == Precision.F64 ? f64 : f32;
  }

  /**
   * @param entries threads per slot
   * @param count slots
   * @return the launch shape
   */
  static KernelLauncher.Shape shape(long entries, int count) {
    if (count < 1 || count > MAX_SLOTS) {
      throw new IllegalArgumentException("a launch covers 1 to " + MAX_SLOTS + " slots, got " + count);
    }
    long blocks = Math.max(1, (entries + THREADS - 1) / THREADS);
    if (blocks > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("blocks must have fewer than 2^31 entries, got " + entries);
    }
    return new KernelLauncher.Shape((int) blocks, count, THREADS, 1);
  }

  /**
   * {@code K⁰(p, q) = Σ_c x[p, c] y[q, c] / C} of image {@code s} of {@code x} with image {@code s}
   * of {@code y}, for every slot {@code s}.
   *
   * @param p precision of all buffers
   * @param out blocks; modified
   * @param x row images, {@code count × pixels·channels}
   * @param y column images (may be {@code x})
   * @param count slots
   * @param pixels {@code H·W}
   * @param channels {@code C}
   * @param diagonal only the pairs {@code (p, p)}
   */
  void gram(Precision p, DeviceBuffer out, DeviceBuffer x, DeviceBuffer y, int count, int pixels,
      int channels, boolean diagonal) {
    long entries = diagonal ? pixels : (long) pixels * pixels;
    launcher.launch(shape(entries, count), KernelArgs.of(pick(p, PtxKernel.CNTK_GRAM_F64,
        PtxKernel.CNTK_GRAM_F32)).ptr(out).ptr(x).ptr(y).u32(pixels).u32(channels).flag(diagonal));
  }

  /**
   * The layer's constants, computed on the host exactly as {@code ConvBlocks.affine} does.
   *
   * @param wk {@code σ_w²/F}
   * @param b2 {@code σ_b²}
   * @param a NTK coefficient of {@code S(K)}: {@code ntkFromNngp/F}
   * @param b NTK coefficient of {@code S(Θ)}: {@code ntkFromNtk/F}, 0 when Θ is identically zero
   * @param c NTK constant
   */
  record Affine(double wk, double b2, double a, double b, double c) {
  }

  /**
   * A convolution: window sums of K (and Θ) fused with the affine map, from {@code k}/{@code t} to
   * {@code outk}/{@code outt} (never in place).
   *
   * @param p precision
   * @param k K on the input grid
   * @param t Θ on the input grid, or {@code null}
   * @param outk K' on the output grid; modified
   * @param outt Θ' or {@code null}; modified
   * @param count slots
   * @param w the window
   * @param diagonal only the pairs {@code (p, p)}
   * @param sumNtk whether {@code S(Θ)} is needed
   * @param f the affine constants
   */
  void conv(Precision p, DeviceBuffer k, DeviceBuffer t, DeviceBuffer outk, DeviceBuffer outt,
      int count, Window w, boolean diagonal, boolean sumNtk, Affine f) {
    long entries = w.out().blockEntries(diagonal);
    launcher.launch(shape(entries, count), KernelArgs.of(pick(p, PtxKernel.CNTK_CONV_F64,
        PtxKernel.CNTK_CONV_F32)).ptr(k).ptr(t).ptr(outk).ptr(outt).u32(w.in().height())
        .u32(w.in().width()).u32(w.out().height()).u32(w.out().width()).u32(w.height())
        .u32(w.width()).u32(w.strideHeight()).u32(w.strideWidth()).u32(w.padTop()).u32(w.padLeft())
        .flag(diagonal).flag(sumNtk).real(f.wk()).real(f.b2()).real(f.a()).real(f.b()).real(f.c()));
  }

  /**
   * The vertical pass of average pooling: full blocks on the input grid to {@code T} on the grid
   * {@code out.height × in.width}.
   *
   * @param p precision
   * @param src blocks on the input grid
   * @param dst {@code T}; modified
   * @param count slots
   * @param w the window
   */
  void poolVertical(Precision p, DeviceBuffer src, DeviceBuffer dst, int count, Window w) {
    long tc = (long) w.out().height() * w.in().width();
    launcher.launch(shape(tc * tc, count), KernelArgs.of(pick(p, PtxKernel.CNTK_POOLV_F64,
        PtxKernel.CNTK_POOLV_F32)).ptr(src).ptr(dst).u32(w.in().height()).u32(w.in().width())
        .u32(w.out().height()).u32(w.height()).u32(w.strideHeight()).u32(w.padTop()));
  }

  /**
   * The horizontal pass of average pooling and the scale {@code 1/(f_h f_w)²}.
   *
   * @param p precision
   * @param src {@code T}
   * @param dst blocks on the output grid; modified
   * @param count slots
   * @param w the window
   */
  void poolHorizontal(Precision p, DeviceBuffer src, DeviceBuffer dst, int count, Window w) {
    double scale = 1.0 / ((double) w.size() * w.size());
    launcher.launch(shape(w.out().blockEntries(false), count), KernelArgs.of(pick(p,
        PtxKernel.CNTK_POOLH_F64, PtxKernel.CNTK_POOLH_F32)).ptr(src).ptr(dst).u32(w.in().width())
        .u32(w.out().height()).u32(w.out().width()).u32(w.width()).u32(w.strideWidth())
        .u32(w.padLeft()).real(scale));
  }

  /**
   * @param p precision
   * @param src full blocks
   * @param dst the diagonal pairs, compact; modified
   * @param count slots
   * @param pixels {@code N}
   */
  void diagonalize(Precision p, DeviceBuffer src, DeviceBuffer dst, int count, int pixels) {
    launcher.launch(shape(pixels, count), KernelArgs.of(pick(p, PtxKernel.CNTK_DIAGONALIZE_F64,
        PtxKernel.CNTK_DIAGONALIZE_F32)).ptr(src).ptr(dst).u32(pixels));
  }

  /**
   * Partial sums of the readout, {@code chunks} float64 values per slot.
   *
   * @param p precision of the blocks
   * @param block the blocks
   * @param partial {@code count × chunks} float64; modified
   * @param count slots
   * @param pixels {@code N}
   * @param diagonal whether the blocks hold only the diagonal pairs
   * @param flatten Flatten (else GlobalAvgPool)
   * @param chunk terms per partial sum
   * @param chunks partial sums per slot
   */
  void readout(Precision p, DeviceBuffer block, DeviceBuffer partial, int count, int pixels,
      boolean diagonal, boolean flatten, int chunk, int chunks) {
    launcher.launch(shape(chunks, count), KernelArgs.of(pick(p, PtxKernel.CNTK_READOUT_F64,
        PtxKernel.CNTK_READOUT_F32)).ptr(block).ptr(partial).u32(pixels).flag(diagonal).flag(flatten)
        .u32(chunk).u32(chunks));
  }
}
