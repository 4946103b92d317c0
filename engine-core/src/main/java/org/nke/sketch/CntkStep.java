package org.nke.sketch;

import org.nke.cntk.Grid;
import org.nke.cntk.Window;

/**
 * The compiled steps of a {@link CntkSketch}, each with its random draws; {@link PixelFeatures}
 * applies them to one image's per-pixel features.
 */
sealed interface CntkStep permits CntkStep.Conv, CntkStep.Act, CntkStep.Pool, CntkStep.Readout,
    CntkStep.Affine, CntkStep.TailAct {

  /**
   * Conv (or a pixelwise Dense, a 1 × 1 window), {@code F} taps: with the patch
   * {@code P_K = concat_δ Φ_K(p + δ)} (exact, or a {@link PatchSketch} of it),
   * {@code Φ_K' = [w·P_K, β]} and {@code Φ_Θ' = [ta·P_K, tb·P_Θ, tc]} where {@code w = σ_w/√F},
   * {@code ta = √a/√F}, {@code tb = √b/√F}, {@code tc = √c}.
   *
   * @param window the filter geometry
   * @param k the sketch of the NNGP patch, or {@code null} for the exact concatenation
   * @param t the sketch of the NTK patch, or {@code null} for the exact concatenation
   * @param w {@code σ_w/√F}
   * @param bias {@code σ_b} (0: no bias feature)
   * @param ta {@code √a/√F}
   * @param tb {@code √b/√F} (0 when {@code Θ} is zero on entry)
   * @param tc {@code √c} (0: no constant feature)
   * @param inK incoming NNGP length
   * @param inT incoming NTK length (0 when not carried or zero)
   * @param rawK length of {@code P_K}
   * @param rawT length of {@code P_Θ}
   */
  record Conv(Window window, PatchSketch k, PatchSketch t, double w, double bias, double ta,
      double tb, double tc, int inK, int inT, int rawK, int rawT) implements CntkStep {
    int outK() {
      return rawK + (bias > 0 ? 1 : 0);
    }

    int outT() {
      return rawK + rawT + (tc > 0 ? 1 : 0);
    }
  }

  /**
   * A spatial activation, per pixel.
   *
   * @param sketch the activation's sketch
   * @param index index among the spatial activations (selects the pixel variances)
   */
  record Act(ActivationSketch sketch, int index) implements CntkStep {
  }

  /**
   * AvgPool: the mean of the window's pixel features (zeros outside, divisor {@code F}).
   *
   * @param window the pooling geometry
   */
  record Pool(Window window) implements CntkStep {
  }

  /**
   * Flatten ({@code concat_p Φ(p)/√N}) or GlobalAvgPool ({@code mean_p Φ(p)}), re-sketched where
   * wider than the budget.
   *
   * @param flatten Flatten (else GlobalAvgPool)
   * @param grid the grid it reduces
   * @param k the NNGP re-sketch, or {@code null} if exact
   * @param t the NTK re-sketch, or {@code null} if exact
   * @param inK incoming NNGP length per pixel
   * @param inT incoming NTK length per pixel
   */
  record Readout(boolean flatten, Grid grid, PatchSketch k, PatchSketch t, int inK, int inT)
      implements CntkStep {
    int outK() {
      return k != null ? k.outputs() : flatten ? grid.pixels() * inK : inK;
    }

    int outT() {
      return t != null ? t.outputs() : flatten ? grid.pixels() * inT : inT;
    }
  }

  /**
   * A Dense layer after the readout: {@code Φ_K ← [σ_w Φ_K, σ_b]},
   * {@code Φ_Θ ← [√a Φ_K, √b Φ_Θ, √c]}.
   *
   * @param step the affine step
   */
  record Affine(org.nke.exact.DenseNetwork.Affine step) implements CntkStep {
  }

  /**
   * An activation after the readout.
   *
   * @param sketch the activation's sketch
   * @param index index among the activations after the readout
   */
  record TailAct(ActivationSketch sketch, int index) implements CntkStep {
  }
}
