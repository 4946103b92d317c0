package org.nke.cuda;

import java.util.ArrayList;
import java.util.List;
import org.nke.spi.Precision;

/**
 * Every PTX entry point the backend launches, exactly one constant per entry, with its declared
 * parameter list ({@code PtxManifestTest} checks both against the {@code .ptx} resources, without a
 * GPU). Entry names are {@code nke_<family>_<op>_<f64|f32>}; {@code F} in a signature stands for the
 * entry's precision. Semantics and launch shapes: {@code kernels-ptx/README.md} and the comments in
 * the {@code org/nke/ptx/<family>.ptx} files.
 */
public enum PtxKernel {
  /** {@code Θ ← a·K + b·Θ + c}, {@code K ← w2·K + b2} (float64 arithmetic in both variants). */
  DUAL_AFFINE_F64("dual", "affine", Precision.F64, Sig.AFFINE),
  /** float32 storage of {@link #DUAL_AFFINE_F64}. */
  DUAL_AFFINE_F32("dual", "affine", Precision.F32, Sig.AFFINE),
  /** ABRelu (Relu, LeakyRelu, Abs). */
  DUAL_ABRELU_F64("dual", "abrelu", Precision.F64, Sig.PAIR + ", F p_factor, F p_base"),
  /** float32 ABRelu. */
  DUAL_ABRELU_F32("dual", "abrelu", Precision.F32, Sig.PAIR + ", F p_factor, F p_base"),
  /** Sign. */
  DUAL_SIGN_F64("dual", "sign", Precision.F64, Sig.PAIR),
  /** float32 Sign. */
  DUAL_SIGN_F32("dual", "sign", Precision.F32, Sig.PAIR),
  /** Erf (and Sigmoid_like). */
  DUAL_ERF_F64("dual", "erf", Precision.F64, Sig.PAIR + ", F p_twob2, F p_va, F p_c2, F p_vd"),
  /** float32 Erf. */
  DUAL_ERF_F32("dual", "erf", Precision.F32, Sig.PAIR + ", F p_twob2, F p_va, F p_c2, F p_vd"),
  /** Gelu. */
  DUAL_GELU_F64("dual", "gelu", Precision.F64, Sig.PAIR),
  /** float32 Gelu. */
  DUAL_GELU_F32("dual", "gelu", Precision.F32, Sig.PAIR),
  /** Sin and Cos. */
  DUAL_TRIG_F64("dual", "trig", Precision.F64, Sig.PAIR + ", F p_b2, F p_halfa2, F p_cos2c, F p_hb2"),
  /** float32 Sin and Cos. */
  DUAL_TRIG_F32("dual", "trig", Precision.F32, Sig.PAIR + ", F p_b2, F p_halfa2, F p_cos2c, F p_hb2"),
  /** Rbf. */
  DUAL_RBF_F64("dual", "rbf", Precision.F64, Sig.PAIR + ", F p_gamma, F p_twogamma"),
  /** float32 Rbf. */
  DUAL_RBF_F32("dual", "rbf", Precision.F32, Sig.PAIR + ", F p_gamma, F p_twogamma"),
  /** Exp. */
  DUAL_EXP_F64("dual", "exp", Precision.F64, Sig.PAIR + ", F p_a2, F p_b2"),
  /** float32 Exp. */
  DUAL_EXP_F32("dual", "exp", Precision.F32, Sig.PAIR + ", F p_a2, F p_b2"),
  /** Gaussian. */
  DUAL_GAUSSIAN_F64("dual", "gaussian", Precision.F64, Sig.PAIR + ", F p_a2, F p_twob, F p_fourbb, F p_q"),
  /** float32 Gaussian. */
  DUAL_GAUSSIAN_F32("dual", "gaussian", Precision.F32, Sig.PAIR + ", F p_a2, F p_twob, F p_fourbb, F p_q"),
  /** ExpNormalized. */
  DUAL_EXPNORM_F64("dual", "expnorm", Precision.F64, Sig.PAIR + ", F p_gamma, F p_shift, u32 p_clip"),
  /** float32 ExpNormalized. */
  DUAL_EXPNORM_F32("dual", "expnorm", Precision.F32, Sig.PAIR + ", F p_gamma, F p_shift, u32 p_clip"),
  /** RectifiedMonomial. */
  DUAL_RECTMONO_F64("dual", "rectmono", Precision.F64, Sig.PAIR + Sig.RECTMONO),
  /** float32 RectifiedMonomial. */
  DUAL_RECTMONO_F32("dual", "rectmono", Precision.F32, Sig.PAIR + Sig.RECTMONO),
  /** Series duals: Hermite series (Tanh, …) and Polynomial/Monomial/Hermite. */
  DUAL_SERIES_F64("dual", "series", Precision.F64, Sig.SERIES),
  /** float32 series duals. */
  DUAL_SERIES_F32("dual", "series", Precision.F32, Sig.SERIES),
  /** Writes the diagonal of a symmetric block. */
  DUAL_SETDIAG_F64("dual", "setdiag", Precision.F64, "u64 p_nngp, u64 p_diag, u32 p_n, u32 p_cols"),
  /** float32 diagonal write. */
  DUAL_SETDIAG_F32("dual", "setdiag", Precision.F32, "u64 p_nngp, u64 p_diag, u32 p_n, u32 p_cols"),
  /** First non-finite entry (atomic minimum of its index). */
  DUAL_NONFINITE_F64("dual", "nonfinite", Precision.F64, Sig.NONFINITE),
  /** float32 non-finite scan. */
  DUAL_NONFINITE_F32("dual", "nonfinite", Precision.F32, Sig.NONFINITE),
  /** CNTK input kernel: per-pixel-pair channel Gram of each slot's image pair. */
  CNTK_GRAM_F64("cntk", "gram", Precision.F64, Sig.GRAM),
  /** float32 CNTK input kernel. */
  CNTK_GRAM_F32("cntk", "gram", Precision.F32, Sig.GRAM),
  /** CNTK convolution: same-offset window sums fused with the layer's affine map. */
  CNTK_CONV_F64("cntk", "conv", Precision.F64, Sig.CONV),
  /** float32 CNTK convolution. */
  CNTK_CONV_F32("cntk", "conv", Precision.F32, Sig.CONV),
  /** Average pooling, vertical pass (all pairs of row offsets). */
  CNTK_POOLV_F64("cntk", "poolv", Precision.F64, Sig.POOLV),
  /** float32 vertical pooling pass. */
  CNTK_POOLV_F32("cntk", "poolv", Precision.F32, Sig.POOLV),
  /** Average pooling, horizontal pass and scale. */
  CNTK_POOLH_F64("cntk", "poolh", Precision.F64, Sig.POOLH),
  /** float32 horizontal pooling pass. */
  CNTK_POOLH_F32("cntk", "poolh", Precision.F32, Sig.POOLH),
  /** Keeps the diagonal pixel pairs of full blocks. */
  CNTK_DIAGONALIZE_F64("cntk", "diagonalize", Precision.F64, "u64 p_src, u64 p_dst, u32 p_pixels"),
  /** float32 diagonal extraction. */
  CNTK_DIAGONALIZE_F32("cntk", "diagonalize", Precision.F32, "u64 p_src, u64 p_dst, u32 p_pixels"),
  /** Readout partial sums (Flatten: the diagonal; GlobalAvgPool: every pair), float64 partials. */
  CNTK_READOUT_F64("cntk", "readout", Precision.F64, Sig.READOUT),
  /** Readout partial sums of float32 blocks (float64 partials). */
  CNTK_READOUT_F32("cntk", "readout", Precision.F32, Sig.READOUT),
  /** Folded Hermite coefficients of the ABReLU family by in-kernel quadrature (float64 tables). */
  HERMITE_ABRELU_F64("hermite", "abrelu", Precision.F64, "u64 p_var, u64 p_coef, u64 p_dcoef, "
      + "u32 p_points, u32 p_q, u32 p_fold, f64 p_a, f64 p_b, u64 p_legendre, u64 p_weights, "
      + "u64 p_offsets"),
  /** Rows scaled by a constant or a per-point coefficient (or a constant feature). */
  SRHT_SCALE_F64("srht", "scale", Precision.F64, Sig.SCALE),
  /** float32 scaling. */
  SRHT_SCALE_F32("srht", "scale", Precision.F32, Sig.SCALE),
  /** Rows normalised to unit length. */
  SRHT_NORMALIZE_F64("srht", "normalize", Precision.F64, Sig.NORMALIZE),
  /** float32 normalisation. */
  SRHT_NORMALIZE_F32("srht", "normalize", Precision.F32, Sig.NORMALIZE),
  /** SRHT input: random signs and zero padding. */
  SRHT_SIGNS_F64("srht", "signs", Precision.F64, Sig.SIGNS),
  /** float32 SRHT input. */
  SRHT_SIGNS_F32("srht", "signs", Precision.F32, Sig.SIGNS),
  /** TensorSRHT products with per-point coefficients. */
  SRHT_PRODUCT_F64("srht", "product", Precision.F64, Sig.PRODUCT),
  /** float32 TensorSRHT products. */
  SRHT_PRODUCT_F32("srht", "product", Precision.F32, Sig.PRODUCT),
  /** LinearSketch frequency gather with per-point coefficients. */
  SRHT_LINEAR_F64("srht", "linear", Precision.F64, Sig.LINEAR),
  /** float32 LinearSketch gather. */
  SRHT_LINEAR_F32("srht", "linear", Precision.F32, Sig.LINEAR),
  /** CNTK sketch: the CountSketch of a patch's light parts, gathered per output bucket. */
  PATCH_COUNT_F64("patch", "count", Precision.F64, Sig.PATCH_COUNT),
  /** float32 patch CountSketch. */
  PATCH_COUNT_F32("patch", "count", Precision.F32, Sig.PATCH_COUNT),
  /** CNTK sketch: the exact sections of a patch (heavy coordinates, narrow patches). */
  PATCH_COPY_F64("patch", "copy", Precision.F64, Sig.PATCH_COPY),
  /** float32 exact patch sections. */
  PATCH_COPY_F32("patch", "copy", Precision.F32, Sig.PATCH_COPY),
  /** CNTK sketch: average pooling (and the GlobalAvgPool mean) of pixel features. */
  PATCH_POOL_F64("patch", "pool", Precision.F64, Sig.PATCH_POOL),
  /** float32 pooling of pixel features. */
  PATCH_POOL_F32("patch", "pool", Precision.F32, Sig.PATCH_POOL),
  /** CNTK sketch: butterfly stages of the Walsh–Hadamard transform, in place. */
  PATCH_FWHT_F64("patch", "fwht", Precision.F64, Sig.PATCH_FWHT),
  /** float32 Walsh–Hadamard stages. */
  PATCH_FWHT_F32("patch", "fwht", Precision.F32, Sig.PATCH_FWHT),
  /** Fan-in join {@code t ← α·t + β·s} of K and Θ (FanInSum, FanInConcat). */
  BLOCK_LINEAR_F64("block", "linear", Precision.F64, Sig.JOIN + ", f64 p_alpha, f64 p_beta"),
  /** float32 storage of {@link #BLOCK_LINEAR_F64} (float64 arithmetic). */
  BLOCK_LINEAR_F32("block", "linear", Precision.F32, Sig.JOIN + ", f64 p_alpha, f64 p_beta"),
  /** Fan-in join by the product rule (FanInProd). */
  BLOCK_PRODUCT_F64("block", "product", Precision.F64, Sig.JOIN),
  /** float32 storage of {@link #BLOCK_PRODUCT_F64} (float64 arithmetic). */
  BLOCK_PRODUCT_F32("block", "product", Precision.F32, Sig.JOIN),
  /** LayerNorm: K and Θ divided by {@code √(sx_i sy_j)} (float64 scales). */
  BLOCK_NORMALIZE_F64("block", "normalize", Precision.F64, Sig.SCALES),
  /** float32 storage of {@link #BLOCK_NORMALIZE_F64} (float64 arithmetic). */
  BLOCK_NORMALIZE_F32("block", "normalize", Precision.F32, Sig.SCALES);

  /** Shared parameter lists. */
  private static final class Sig {
    static final String AFFINE = "u64 p_nngp, u64 p_ntk, u32 p_rows, u32 p_cols, u32 p_upper, "
        + "f64 p_w2, f64 p_b2, f64 p_a, f64 p_b, f64 p_c";
    static final String PAIR = "u64 p_nngp, u64 p_ntk, u64 p_varx, u64 p_vary, u32 p_rows, "
        + "u32 p_cols, u32 p_upper, u64 p_index";
    static final String RECTMONO = ", u32 p_n, F p_nn, u64 p_coef, u32 p_lp, u32 p_lq, u32 p_lp1, "
        + "u32 p_lq1";
    static final String SERIES = "u64 p_nngp, u64 p_ntk, u32 p_rows, u32 p_cols, u32 p_upper, "
        + "u64 p_index, u32 p_stride, u64 p_coefx, u64 p_coefyt, u64 p_dcoefx, u64 p_dcoefyt, u64 p_dweight, "
        + "u64 p_invx, u64 p_invy, u32 p_clip, u64 p_bounds";
    static final String NONFINITE = "u64 p_mat, u32 p_rows, u32 p_cols, u32 p_upper, u64 p_first";
    static final String GRAM = "u64 p_out, u64 p_x, u64 p_y, u32 p_pixels, u32 p_channels, "
        + "u32 p_diagonal";
    static final String CONV = "u64 p_nngp, u64 p_ntk, u64 p_outk, u64 p_outt, u32 p_inh, u32 p_inw, "
        + "u32 p_outh, u32 p_outw, u32 p_fh, u32 p_fw, u32 p_sh, u32 p_sw, u32 p_padt, u32 p_padl, "
        + "u32 p_diagonal, u32 p_sumntk, F p_wk, F p_b2, F p_a, F p_b, F p_c";
    static final String POOLV = "u64 p_src, u64 p_dst, u32 p_inh, u32 p_inw, u32 p_outh, u32 p_fh, "
        + "u32 p_sh, u32 p_padt";
    static final String POOLH = "u64 p_src, u64 p_dst, u32 p_inw, u32 p_outh, u32 p_outw, u32 p_fw, "
        + "u32 p_sw, u32 p_padl, F p_scale";
    static final String READOUT = "u64 p_block, u64 p_partial, u32 p_pixels, u32 p_diagonal, "
        + "u32 p_flatten, u32 p_chunk, u32 p_chunks";
    static final String SCALE = "u64 p_dst, u32 p_dstride, u64 p_src, u32 p_sstride, u32 p_len, "
        + "u64 p_coef, u32 p_cstride, u32 p_cidx, F p_factor";
    static final String NORMALIZE = "u64 p_src, u64 p_dst, u32 p_dim, u32 p_points";
    static final String SIGNS = "u64 p_dst, u32 p_dstride, u64 p_src, u32 p_sstride, u32 p_dim, "
        + "u32 p_n, u32 p_complex, u64 p_signs";
    static final String PRODUCT = "u64 p_out, u32 p_ostride, u64 p_out2, u32 p_o2stride, u64 p_x, "
        + "u32 p_xstride, u32 p_xn, u32 p_xhalf, u64 p_y, u32 p_ystride, u32 p_yn, u32 p_yhalf, "
        + "u64 p_p, u64 p_q, u32 p_m, F p_scale, u64 p_coef, u64 p_coef2, u32 p_cstride, u32 p_cidx";
    static final String LINEAR = "u64 p_out, u32 p_ostride, u64 p_out2, u32 p_o2stride, u64 p_x, "
        + "u32 p_xstride, u64 p_freq, u32 p_m, F p_scale, u64 p_coef, u64 p_coef2, u32 p_cstride, "
        + "u32 p_cidx";
    static final String PATCH_COUNT = "u64 p_out, u32 p_ostride, u64 p_out2, u32 p_o2stride, "
        + "u64 p_src, u32 p_sstride, u64 p_taps, u32 p_ntaps, u32 p_outpix, u32 p_inpix, u64 p_shift, "
        + "u64 p_start, u64 p_list, u64 p_signs, u32 p_swords, u32 p_w, F p_pf, F p_f1, F p_f2";
    static final String PATCH_COPY = "u64 p_out, u32 p_ostride, u64 p_out2, u32 p_o2stride, "
        + "u64 p_src, u32 p_sstride, u64 p_taps, u32 p_ntaps, u32 p_outpix, u32 p_inpix, u32 p_from, "
        + "u32 p_count, F p_pf, F p_f1, F p_f2";
    static final String PATCH_POOL = "u64 p_dst, u32 p_dstride, u64 p_src, u32 p_sstride, u32 p_len, "
        + "u64 p_taps, u32 p_ntaps, u32 p_outpix, u32 p_inpix, F p_scale";
    static final String JOIN = "u64 p_tk, u64 p_tt, u64 p_sk, u64 p_st, u32 p_rows, u32 p_cols, "
        + "u32 p_upper";
    static final String SCALES = "u64 p_nngp, u64 p_ntk, u64 p_sx, u64 p_sy, u32 p_rows, u32 p_cols, "
        + "u32 p_upper";
    static final String PATCH_FWHT = "u64 p_data, u32 p_stride, u32 p_n, u32 p_h, u32 p_radix4";
  }

  /**
   * One declared parameter.
   *
   * @param type its PTX type
   * @param name its name in the {@code .ptx} file
   */
  public record Param(PtxType type, String name) {
  }

  private final String family;
  private final String entry;
  private final Precision precision;
  private final List<Param> params;

  PtxKernel(String family, String op, Precision precision, String signature) {
    this.family = family;
    this.precision = precision;
    this.entry = "nke_" + family + "_" + op + "_" + (precision == Precision.F64 ? "f64" : "f32");
    List<Param> list = new ArrayList<>();
    for (String p : signature.split(",")) {
      String[] tn = p.trim().split(" ");
      String t = tn[0].equals("F") ? (precision == Precision.F64 ? "f64" : "f32") : tn[0];
      list.add(new Param(PtxType.parse(t), tn[1]));
    }
    this.params = List.copyOf(list);
  }

  /** @return every family with at least one entry, in declaration order */
  public static List<String> families() {
    List<String> out = new ArrayList<>();
    for (PtxKernel k : values()) {
      if (!out.contains(k.family)) {
        out.add(k.family);
      }
    }
    return List.copyOf(out);
  }

  /** @return the family, i.e. the resource {@code org/nke/ptx/<family>.ptx} */
  public String family() {
    return family;
  }

  /** @return the entry name in the PTX module */
  public String entry() {
    return entry;
  }

  /** @return the precision of the data it works on */
  public Precision precision() {
    return precision;
  }

  /** @return the declared parameters, in order */
  public List<Param> params() {
    return params;
  }
}
