package org.nke.sketch;

import org.nke.ir.Grid;
import org.nke.ir.Window;

/**
 * The compiled steps of a {@link CntkSketch}, each with its random draws; {@code PixelFeatures}
 * applies them to one image's per-pixel features. Public (read-only) so that a backend can run the
 * same steps with the same draws on its device ({@link CntkSketch#steps()}).
 */
public sealed interface CntkStep permits CntkStep.Convolution, CntkStep.PixelActivation, CntkStep.Pooling, CntkStep.Readout,
    CntkStep.Affine, CntkStep.TailActivation {

  /**
   * Conv (or a pixelwise Dense, a 1 × 1 window), {@code F} taps: with the patches
   * {@code P_K = PixelPatch(Φ_K(p + δ))} and {@code P_Θ = PixelPatch(Φ_Θ(p + δ))} (light sections
   * exact or re-sketched, heavy sections exact), {@code Φ_K' = [w·P_K, β]} and
   * {@code Φ_Θ' = [ta·P_K.light, tb·P_Θ.light, ta·P_K.heavy, tb·P_Θ.heavy, tc]} (heavy coordinates
   * last) where {@code w = σ_w/√F}, {@code ta = √a/√F}, {@code tb = √b/√F}, {@code tc = √c}.
   *
   * @param window the filter geometry
   * @param k the NNGP patch
   * @param t the NTK patch, or {@code null} when {@code Θ} is not carried or zero on entry
   * @param w {@code σ_w/√F}
   * @param bias {@code σ_b} (0: no bias feature)
   * @param ta {@code √a/√F}
   * @param tb {@code √b/√F}
   * @param tc {@code √c} (0: no constant feature)
   */
  record Convolution(Window window, PixelPatch k, PixelPatch t, double w, double bias, double ta, double tb,
      double tc) implements CntkStep {
    /** @return length of {@code Φ_K'} per pixel */
    public int outK() {
      return k.outputs() + (bias > 0 ? 1 : 0);
    }

    /** @return its heavy (exact) suffix */
    public int heavyK() {
      return k.heavyOutputs() + (bias > 0 ? 1 : 0);
    }

    /** @return length of {@code Φ_Θ'} per pixel */
    public int outT() {
      return k.outputs() + (t == null ? 0 : t.outputs()) + (tc > 0 ? 1 : 0);
    }

    /** @return its heavy (exact) suffix */
    public int heavyT() {
      return k.heavyOutputs() + (t == null ? 0 : t.heavyOutputs()) + (tc > 0 ? 1 : 0);
    }
  }

  /**
   * A spatial activation, per pixel.
   *
   * @param sketch the activation's sketch
   * @param index index among the spatial activations (selects the pixel variances)
   */
  record PixelActivation(ActivationSketch sketch, int index) implements CntkStep {
  }

  /**
   * AvgPool: the mean of the window's pixel features (zeros outside, divisor {@code F}).
   *
   * @param window the pooling geometry
   */
  record Pooling(Window window) implements CntkStep {
  }

  /**
   * Flatten ({@code PixelPatch} of all pixels, scaled by {@code 1/√N}) or GlobalAvgPool
   * ({@code mean_p Φ(p)}, then a one-tap {@code PixelPatch} when wider than the budget).
   *
   * @param flatten Flatten (else GlobalAvgPool)
   * @param grid the grid it reduces
   * @param k the NNGP patch ({@code null}: GlobalAvgPool keeps the mean)
   * @param t the NTK patch, or {@code null}
   * @param inK incoming NNGP length per pixel
   * @param inT incoming NTK length per pixel
   */
  record Readout(boolean flatten, Grid grid, PixelPatch k, PixelPatch t, int inK, int inT)
      implements CntkStep {
    /** @return length of the readout's NNGP features */
    public int outK() {
      return k != null ? k.outputs() : inK;
    }

    /** @return length of the readout's NTK features */
    public int outT() {
      return t != null ? t.outputs() : inT;
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
  record TailActivation(ActivationSketch sketch, int index) implements CntkStep {
  }
}
