package org.nke.cuda;

import org.nke.spi.Precision;

/**
 * Typed launchers of the {@code dual} PTX family, one method per entry pair (f64/f32). Launch shapes
 * (documented constants, see kernels-ptx/README.md): the pair maps use blocks of
 * {@value #PAIR_X} × {@value #PAIR_Y} threads (x → column, y → row: a warp covers 32 consecutive
 * entries of one row) on a grid covering the block; {@code setdiag} uses 1-D blocks of
 * {@value #LINEAR} threads.
 */
public final class DualKernels {
  /** Threads per block along x (columns) of the pair maps. */
  public static final int PAIR_X = 32;
  /** Threads per block along y (rows) of the pair maps. */
  public static final int PAIR_Y = 8;
  /** Threads per block of the 1-D kernels. */
  public static final int LINEAR = 256;
  /** The largest grid dimension along y. */
  private static final int MAX_GRID_Y = 65535;

  private final KernelLauncher launcher;

  /**
   * @param launcher where launches go
   */
  public DualKernels(KernelLauncher launcher) {
    this.launcher = launcher;
  }

  /**
   * The operands every pair map shares.
   *
   * @param precision element type of all buffers
   * @param nngp K, rows × cols; modified
   * @param ntk Θ or {@code null}; modified
   * @param varx row variances (rows)
   * @param vary column variances (cols)
   * @param rows rows
   * @param cols columns
   * @param upper only {@code j ≥ i} (symmetric block)
   * @param index {@code null} for one block; for a batch of CNTK pixel-pair blocks stacked as one
   *     tall matrix, the table mapping rows to points ({@link PairIndex})
   */
  public record Pair(Precision precision, DeviceBuffer nngp, DeviceBuffer ntk, DeviceBuffer varx,
      DeviceBuffer vary, int rows, int cols, boolean upper, DeviceBuffer index) {
    /**
     * One dense block.
     *
     * @param precision element type of all buffers
     * @param nngp K; modified
     * @param ntk Θ or {@code null}; modified
     * @param varx row variances
     * @param vary column variances
     * @param rows rows
     * @param cols columns
     * @param upper only {@code j ≥ i}
     */
    public Pair(Precision precision, DeviceBuffer nngp, DeviceBuffer ntk, DeviceBuffer varx,
        DeviceBuffer vary, int rows, int cols, boolean upper) {
      this(precision, nngp, ntk, varx, vary, rows, cols, upper, null);
    }
  }

  /**
   * The tables of the series map (see {@code nke_dual_series_*} in dual.ptx).
   *
   * @param stride coefficients per point
   * @param coefx row coefficients, rows × stride
   * @param coefyt column coefficients transposed, stride × cols
   * @param dcoefx row derivative coefficients or {@code null}
   * @param dcoefyt column derivative coefficients transposed or {@code null}
   * @param dweight per-degree weights of the derivative series or {@code null}
   * @param invx per-row scale of {@code k_xy}
   * @param invy per-column scale
   * @param clip clip {@code ρ} to [−1, 1]
   * @param bounds truncation table or {@code null} (sum every degree)
   */
  public record Series(int stride, DeviceBuffer coefx, DeviceBuffer coefyt, DeviceBuffer dcoefx,
      DeviceBuffer dcoefyt, DeviceBuffer dweight, DeviceBuffer invx, DeviceBuffer invy, boolean clip,
      DeviceBuffer bounds) {
  }

  /**
   * @param rows rows of the block
   * @param cols columns
   * @return the pair-map launch shape
   */
  public static KernelLauncher.Shape pairShape(int rows, int cols) {
    int gy = (rows + PAIR_Y - 1) / PAIR_Y;
    if (gy > MAX_GRID_Y) {
      throw new IllegalArgumentException("blocks must have at most " + (long) MAX_GRID_Y * PAIR_Y
          + " rows, got " + rows);
    }
    return new KernelLauncher.Shape(Math.max((cols + PAIR_X - 1) / PAIR_X, 1), Math.max(gy, 1), PAIR_X,
        PAIR_Y);
  }

  private static PtxKernel pick(Precision p, PtxKernel f64, PtxKernel f32) {
    return p == Precision.F64 ? f64 : f32;
  }

  private KernelArgs pairArgs(PtxKernel k, Pair o) {
    return KernelArgs.of(k).ptr(o.nngp()).ptr(o.ntk()).ptr(o.varx()).ptr(o.vary()).u32(o.rows())
        .u32(o.cols()).flag(o.upper()).ptr(o.index());
  }

  private void pair(Pair o, KernelArgs args) {
    launcher.launch(pairShape(o.rows(), o.cols()), args);
  }

  /**
   * {@code Θ ← a·K + b·Θ + c} (when {@code ntk} is not null), {@code K ← w2·K + b2}.
   *
   * @param p precision
   * @param nngp K; modified
   * @param ntk Θ or {@code null}; modified
   * @param rows rows
   * @param cols columns
   * @param upper upper triangle only
   * @param w2 {@code σ_w²}
   * @param b2 {@code σ_b²}
   * @param a NTK coefficient of K
   * @param b NTK coefficient of Θ
   * @param c NTK constant
   */
  public void affine(Precision p, DeviceBuffer nngp, DeviceBuffer ntk, int rows, int cols,
      boolean upper, double w2, double b2, double a, double b, double c) {
    PtxKernel k = pick(p, PtxKernel.DUAL_AFFINE_F64, PtxKernel.DUAL_AFFINE_F32);
    launcher.launch(pairShape(rows, cols), KernelArgs.of(k).ptr(nngp).ptr(ntk).u32(rows).u32(cols)
        .flag(upper).real(w2).real(b2).real(a).real(b).real(c));
  }

  /**
   * @param o operands
   * @param factor {@code (a−b)²/(2π)}
   * @param base {@code (a²+b²)/2}
   */
  public void abrelu(Pair o, double factor, double base) {
    PtxKernel k = pick(o.precision(), PtxKernel.DUAL_ABRELU_F64, PtxKernel.DUAL_ABRELU_F32);
    pair(o, pairArgs(k, o).real(factor).real(base));
  }

  /**
   * @param o operands
   */
  public void sign(Pair o) {
    pair(o, pairArgs(pick(o.precision(), PtxKernel.DUAL_SIGN_F64, PtxKernel.DUAL_SIGN_F32), o));
  }

  /**
   * @param o operands
   * @param twob2 {@code 2b²}
   * @param va {@code a²·2/π}
   * @param c2 {@code c²}
   * @param vd {@code a²b²·4/π}
   */
  public void erf(Pair o, double twob2, double va, double c2, double vd) {
    PtxKernel k = pick(o.precision(), PtxKernel.DUAL_ERF_F64, PtxKernel.DUAL_ERF_F32);
    pair(o, pairArgs(k, o).real(twob2).real(va).real(c2).real(vd));
  }

  /**
   * @param o operands
   */
  public void gelu(Pair o) {
    pair(o, pairArgs(pick(o.precision(), PtxKernel.DUAL_GELU_F64, PtxKernel.DUAL_GELU_F32), o));
  }

  /**
   * @param o operands
   * @param b2 {@code b²}
   * @param halfa2 {@code a²/2}
   * @param cos2c {@code cos 2c}
   * @param hb2 {@code a²b²/2}
   */
  public void trig(Pair o, double b2, double halfa2, double cos2c, double hb2) {
    PtxKernel k = pick(o.precision(), PtxKernel.DUAL_TRIG_F64, PtxKernel.DUAL_TRIG_F32);
    pair(o, pairArgs(k, o).real(b2).real(halfa2).real(cos2c).real(hb2));
  }

  /**
   * @param o operands
   * @param gamma {@code γ}
   * @param twogamma {@code 2γ}
   */
  public void rbf(Pair o, double gamma, double twogamma) {
    PtxKernel k = pick(o.precision(), PtxKernel.DUAL_RBF_F64, PtxKernel.DUAL_RBF_F32);
    pair(o, pairArgs(k, o).real(gamma).real(twogamma));
  }

  /**
   * @param o operands
   * @param a2 {@code a²}
   * @param b2 {@code b²}
   */
  public void exp(Pair o, double a2, double b2) {
    PtxKernel k = pick(o.precision(), PtxKernel.DUAL_EXP_F64, PtxKernel.DUAL_EXP_F32);
    pair(o, pairArgs(k, o).real(a2).real(b2));
  }

  /**
   * @param o operands
   * @param a2 {@code a²}
   * @param twob {@code 2b}
   * @param fourbb {@code 4b²}
   * @param q {@code 4a²b²}
   */
  public void gaussian(Pair o, double a2, double twob, double fourbb, double q) {
    PtxKernel k = pick(o.precision(), PtxKernel.DUAL_GAUSSIAN_F64, PtxKernel.DUAL_GAUSSIAN_F32);
    pair(o, pairArgs(k, o).real(a2).real(twob).real(fourbb).real(q));
  }

  /**
   * @param o operands
   * @param gamma {@code γ}
   * @param shift shift
   * @param clip clip {@code ρ}
   */
  public void expNormalized(Pair o, double gamma, double shift, boolean clip) {
    PtxKernel k = pick(o.precision(), PtxKernel.DUAL_EXPNORM_F64, PtxKernel.DUAL_EXPNORM_F32);
    pair(o, pairArgs(k, o).real(gamma).real(shift).flag(clip));
  }

  /**
   * @param o operands
   * @param n the power
   * @param nn {@code n²}
   * @param coef {@code P_n, Q_n, P_{n−1}, Q_{n−1}} back to back
   * @param lp length of {@code P_n}
   * @param lq length of {@code Q_n}
   * @param lp1 length of {@code P_{n−1}}
   * @param lq1 length of {@code Q_{n−1}}
   */
  public void rectifiedMonomial(Pair o, int n, double nn, DeviceBuffer coef, int lp, int lq, int lp1,
      int lq1) {
    PtxKernel k = pick(o.precision(), PtxKernel.DUAL_RECTMONO_F64, PtxKernel.DUAL_RECTMONO_F32);
    pair(o, pairArgs(k, o).u32(n).real(nn).ptr(coef).u32(lp).u32(lq).u32(lp1).u32(lq1));
  }

  /**
   * @param o operands (the variances are not used: the tables carry them)
   * @param s tables
   */
  public void series(Pair o, Series s) {
    PtxKernel k = pick(o.precision(), PtxKernel.DUAL_SERIES_F64, PtxKernel.DUAL_SERIES_F32);
    pair(o, KernelArgs.of(k).ptr(o.nngp()).ptr(o.ntk()).u32(o.rows()).u32(o.cols()).flag(o.upper())
        .ptr(o.index()).u32(s.stride()).ptr(s.coefx()).ptr(s.coefyt()).ptr(s.dcoefx()).ptr(s.dcoefyt())
        .ptr(s.dweight()).ptr(s.invx()).ptr(s.invy()).flag(s.clip()).ptr(s.bounds()));
  }

  /**
   * @param p precision
   * @param nngp K; modified on its diagonal
   * @param diag the values, n
   * @param n points
   * @param cols columns of the block (row stride)
   */
  public void setDiagonal(Precision p, DeviceBuffer nngp, DeviceBuffer diag, int n, int cols) {
    PtxKernel k = pick(p, PtxKernel.DUAL_SETDIAG_F64, PtxKernel.DUAL_SETDIAG_F32);
    launcher.launch(new KernelLauncher.Shape(Math.max((n + LINEAR - 1) / LINEAR, 1), 1, LINEAR, 1),
        KernelArgs.of(k).ptr(nngp).ptr(diag).u32(n).u32(cols));
  }

  /**
   * @param p precision
   * @param mat the matrix to scan
   * @param rows rows
   * @param cols columns
   * @param upper upper triangle only
   * @param first one u64, preset to all ones; receives the smallest non-finite index
   */
  public void firstNonFinite(Precision p, DeviceBuffer mat, int rows, int cols, boolean upper,
      DeviceBuffer first) {
    PtxKernel k = pick(p, PtxKernel.DUAL_NONFINITE_F64, PtxKernel.DUAL_NONFINITE_F32);
    launcher.launch(pairShape(rows, cols), KernelArgs.of(k).ptr(mat).u32(rows).u32(cols).flag(upper)
        .ptr(first));
  }
}
