package org.nke.cuda;

import org.nke.spi.Precision;

/**
 * Typed launchers of the {@code srht} and {@code hermite} PTX families (see
 * {@code org/nke/ptx/srht.ptx}, {@code hermite.ptx}): the steps of the dense sketch around the FFTs,
 * for a batch of points at once. Per-point kernels use 1-D blocks of {@value #THREADS} threads over
 * a row's elements and one grid row per point, {@code (⌈len / THREADS⌉, points)}; the normalisation
 * and the Hermite quadrature run one thread per point.
 */
final class SrhtKernels {
  /** Threads per block (1-D). */
  static final int THREADS = 256;
  /** Points per launch (grid y). */
  static final int MAX_POINTS = 65535;

  private final KernelLauncher launcher;

  /** @param launcher where launches go */
  SrhtKernels(KernelLauncher launcher) {
    this.launcher = launcher;
  }

  /**
   * A row-major real matrix, one row per point.
   *
   * @param buffer the data (may be a slice: column offsets are slices)
   * @param stride elements from one point's row to the next
   */
  record Rows(DeviceBuffer buffer, int stride) {
  }

  /**
   * Complex spectra, one per point.
   *
   * @param buffer the data (may be a slice)
   * @param stride complex values from one point's spectrum to the next
   * @param n transform length
   * @param half whether only frequencies {@code 0 … n/2} are stored (R2C of a real input)
   */
  record Spectrum(DeviceBuffer buffer, int stride, int n, boolean half) {
  }

  /**
   * Per-point coefficients: column {@code index} of float64 tables with {@code stride} values per
   * point.
   *
   * @param table coefficients for the first output, or {@code null} (factor 1)
   * @param table2 coefficients for the second output, or {@code null}
   * @param stride values per point
   * @param index the column
   */
  record Coefficients(DeviceBuffer table, DeviceBuffer table2, int stride, int index) {
    /** No coefficients: outputs are the plain values. */
    static final Coefficients NONE = new Coefficients(null, null, 0, 0);
  }

  private static PtxKernel pick(Precision p, PtxKernel f64, PtxKernel f32) {
    return p == Precision.F64 ? f64 : f32;
  }

  private static KernelLauncher.Shape rows(long len, int points) {
    if (points < 1 || points > MAX_POINTS) {
      throw new IllegalArgumentException("a launch covers 1 to " + MAX_POINTS + " points, got "
          + points);
    }
    return new KernelLauncher.Shape((int) Math.max(1, (len + THREADS - 1) / THREADS), points, THREADS,
        1);
  }

  /**
   * {@code dst[b, j] = f_b · src[b, j]}, {@code j < len}; {@code f_b} = the point's coefficient, or
   * {@code factor}; {@code src = null} stands for ones.
   *
   * @param p precision of dst and src
   * @param dst destination rows; modified
   * @param src source rows, or {@code null}
   * @param len elements per row
   * @param points points
   * @param c coefficients ({@code table2} unused), or {@link Coefficients#NONE}
   * @param factor the constant factor when there are no coefficients
   */
  void scale(Precision p, Rows dst, Rows src, int len, int points, Coefficients c, double factor) {
    launcher.launch(rows(len, points), KernelArgs.of(pick(p, PtxKernel.SRHT_SCALE_F64,
        PtxKernel.SRHT_SCALE_F32)).ptr(dst.buffer()).u32(dst.stride())
        .ptr(src == null ? null : src.buffer()).u32(src == null ? 0 : src.stride()).u32(len)
        .ptr(c.table()).u32(c.stride()).u32(c.index()).real(factor));
  }

  /**
   * @param p precision
   * @param src rows of {@code dim} elements, contiguous
   * @param dst the unit rows (0 for zero rows); modified
   * @param dim row length
   * @param points points
   */
  void normalize(Precision p, DeviceBuffer src, DeviceBuffer dst, int dim, int points) {
    launcher.launch(new KernelLauncher.Shape(Math.max(1, (points + THREADS - 1) / THREADS), 1,
        THREADS, 1), KernelArgs.of(pick(p, PtxKernel.SRHT_NORMALIZE_F64,
        PtxKernel.SRHT_NORMALIZE_F32)).ptr(src).ptr(dst).u32(dim).u32(points));
  }

  /**
   * The SRHT input: {@code signs[i] · src[b, i]} for {@code i < dim}, zeros to {@code n} (complex:
   * pairs).
   *
   * @param p precision (also of {@code signs})
   * @param dst padded rows; modified
   * @param src source rows
   * @param dim input length (values)
   * @param n transform length
   * @param complex interleaved complex input
   * @param signs the ±1 draws
   * @param points points
   */
  void signs(Precision p, Rows dst, Rows src, int dim, int n, boolean complex, DeviceBuffer signs,
      int points) {
    launcher.launch(rows(n, points), KernelArgs.of(pick(p, PtxKernel.SRHT_SIGNS_F64,
        PtxKernel.SRHT_SIGNS_F32)).ptr(dst.buffer()).u32(dst.stride()).ptr(src.buffer())
        .u32(src.stride()).u32(dim).u32(n).flag(complex).ptr(signs));
  }

  /**
   * TensorSRHT: {@code out[b, i] = c_b · scale · X[b, p_i] Y[b, q_i]} (complex), and {@code out2}
   * with the second coefficients.
   *
   * @param p precision
   * @param out first output rows (real elements); modified
   * @param out2 second output rows, or {@code null}; modified
   * @param x first spectra
   * @param y second spectra
   * @param left the frequencies {@code p_i} (u32)
   * @param right the frequencies {@code q_i} (u32)
   * @param m complex outputs
   * @param scale {@code M^{−1/2}}
   * @param c per-point coefficients, or {@link Coefficients#NONE}
   * @param points points
   */
  void product(Precision p, Rows out, Rows out2, Spectrum x, Spectrum y, DeviceBuffer left,
      DeviceBuffer right, int m, double scale, Coefficients c, int points) {
    launcher.launch(rows(m, points), KernelArgs.of(pick(p, PtxKernel.SRHT_PRODUCT_F64,
        PtxKernel.SRHT_PRODUCT_F32)).ptr(out.buffer()).u32(out.stride())
        .ptr(out2 == null ? null : out2.buffer()).u32(out2 == null ? 0 : out2.stride())
        .ptr(x.buffer()).u32(x.stride()).u32(x.n()).flag(x.half()).ptr(y.buffer()).u32(y.stride())
        .u32(y.n()).flag(y.half()).ptr(left).ptr(right).u32(m).real(scale).ptr(c.table())
        .ptr(c.table2()).u32(c.stride()).u32(c.index()));
  }

  /**
   * LinearSketch: {@code out[b, 2i..2i+1] = c_b · scale · X[b, freq_i]}, and {@code out2}.
   *
   * @param p precision
   * @param out first output rows; modified
   * @param out2 second output rows, or {@code null}; modified
   * @param x the half spectra of the input
   * @param freq the frequencies (u32)
   * @param m complex outputs
   * @param scale {@code √(2/m)}
   * @param c per-point coefficients (required)
   * @param points points
   */
  void linear(Precision p, Rows out, Rows out2, Spectrum x, DeviceBuffer freq, int m, double scale,
      Coefficients c, int points) {
    launcher.launch(rows(m, points), KernelArgs.of(pick(p, PtxKernel.SRHT_LINEAR_F64,
        PtxKernel.SRHT_LINEAR_F32)).ptr(out.buffer()).u32(out.stride())
        .ptr(out2 == null ? null : out2.buffer()).u32(out2 == null ? 0 : out2.stride())
        .ptr(x.buffer()).u32(x.stride()).ptr(freq).u32(m).real(scale).ptr(c.table())
        .ptr(c.table2()).u32(c.stride()).u32(c.index()));
  }

  /**
   * The folded (or plain) Hermite coefficients of {@code φ(x) = a·x (x < 0), b·x} and of
   * {@code φ'}, at each point's scale {@code √var}, into float64 tables {@code points × (q + 1)}.
   *
   * @param var the pre-activation variances (float64)
   * @param coef the coefficients of φ; modified
   * @param dcoef those of φ', or {@code null}; modified
   * @param points points
   * @param q the degree
   * @param fold fold the tail onto degrees {@code q − 1, q}
   * @param a the slope for {@code x < 0}
   * @param b the slope for {@code x ≥ 0}
   * @param legendre the 20 Gauss–Legendre nodes (float64)
   * @param weights the quadrature weight of every node pair, per point in the rule's order (float64)
   * @param offsets per point, the index of its first weight (u32)
   */
  void hermiteAbRelu(DeviceBuffer var, DeviceBuffer coef, DeviceBuffer dcoef, int points, int q,
      boolean fold, double a, double b, DeviceBuffer legendre, DeviceBuffer weights,
      DeviceBuffer offsets) {
    launcher.launch(new KernelLauncher.Shape(Math.max(1, (points + THREADS - 1) / THREADS), 2,
        THREADS, 1), KernelArgs.of(PtxKernel.HERMITE_ABRELU_F64).ptr(var).ptr(coef).ptr(dcoef)
        .u32(points).u32(q).flag(fold).real(a).real(b).ptr(legendre).ptr(weights).ptr(offsets));
  }
}
