package org.nke.cntk;

import org.nke.ir.PixelStep.Convolution;
import org.nke.ir.Window;

/**
 * The kernel map of a 2-D convolution on one image pair's pixel-pair block (stax {@code Conv},
 * {@code _conv_kernel_full_spatial_shared}, NTK parameterization), filter {@code f_h × f_w}, offsets
 * {@code δ} over the window, out-of-image taps zero (SAME padding as {@code lax} pads):
 *
 * <pre>{@code
 * K'(p, q) = σ_w²/(f_h f_w) Σ_δ K(p + δ, q + δ) + σ_b²
 * Θ'(p, q) = K'(p, q) + σ_w²/(f_h f_w) Σ_δ Θ(p + δ, q + δ)
 * }</pre>
 *
 * Both pixels move by the same offset because the filter weights are shared over positions. The
 * bias is added to every pair. With only diagonal pairs carried, {@code K'(p, p)} reads only
 * {@code K(p + δ, p + δ)}. The NTK update is applied as {@code Θ' = a·S(K)/F + b·S(Θ)/F + c} with the
 * step's coefficients ({@link #affine}), which also covers the standard parameterization
 * ({@code a = C_in·F}, {@code c = [b_std given]}; {@link org.nke.arch.Conv}).
 */
public final class ConvBlocks {
  private ConvBlocks() {
  }

  /**
   * @param nngp {@code K} on the input grid; on exit {@code K'} on the output grid; modified
   * @param ntk {@code Θ}, or {@code null} if not carried; modified
   * @param scratch working space of at least the input block's entries; modified
   * @param step the convolution
   */
  public static void apply(double[] nngp, double[] ntk, double[] scratch, Convolution step) {
    Window w = step.window();
    WindowSum.RowHook affine = (from, len) -> affine(nngp, ntk, step, from, len);
    boolean sumNtk = ntk != null && !step.ntkZero();
    if (w.isPointwise()) {
      affine.done(0, (int) w.out().blockEntries(step.diagonal()));
    } else if (step.diagonal()) {
      WindowSum.diagonal(nngp, scratch, w);
      if (sumNtk) {
        WindowSum.diagonal(ntk, scratch, w);
      }
      affine.done(0, w.out().pixels());
    } else {
      if (sumNtk) {
        WindowSum.full(ntk, scratch, w, false, null);
      }
      WindowSum.full(nngp, scratch, w, false, affine);
    }
  }

  /**
   * The affine part of the layer on entries {@code [from, from + len)}, which hold the window sums
   * {@code S(K)} (and {@code S(Θ)} unless {@link Convolution#ntkZero()}): with {@code F = f_h f_w},
   * {@code Θ ← a·S(K)/F + b·S(Θ)/F + c}, then {@code K ← w²·S(K)/F + β²}.
   *
   * @param nngp {@code S(K)} on entry, {@code K'} on exit; modified
   * @param ntk {@code S(Θ)} on entry (ignored if {@code ntkZero}), {@code Θ'} on exit, or
   *     {@code null}; modified
   * @param step the convolution
   * @param from first entry
   * @param len number of entries
   */
  public static void affine(double[] nngp, double[] ntk, Convolution step, int from, int len) {
    double f = step.window().size();
    double wk = step.w2() / f;
    double a = step.ntkFromNngp() / f;
    double b = step.ntkZero() ? 0 : step.ntkFromNtk() / f;
    double c = step.ntkConstant();
    double b2 = step.b2();
    for (int e = from; e < from + len; e++) {
      double s = nngp[e];
      if (ntk != null) {
        ntk[e] = b == 0 ? a * s + c : a * s + b * ntk[e] + c;
      }
      nngp[e] = wk * s + b2;
    }
  }
}
