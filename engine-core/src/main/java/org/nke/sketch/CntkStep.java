package org.nke.sketch;

import org.nke.ir.Grid;
import org.nke.ir.PixelStep;
import org.nke.ir.Window;

/**
 * The compiled steps of a {@link CntkSketch}, each with its random draws; {@code PixelFeatures}
 * applies them to one image's per-pixel features. Public (read-only) so that a backend can run the
 * same steps with the same draws on its device ({@link CntkSketch#steps()}).
 */
public sealed interface CntkStep permits CntkStep.Convolution, CntkStep.PixelActivation, CntkStep.Pooling, CntkStep.Readout,
    CntkStep.Affine, CntkStep.TailActivation, CntkStep.Fork, CntkStep.Branch, CntkStep.Merge,
    CntkStep.EndFork, CntkStep.Normalize {

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

  /**
   * FanOut: the branches that follow start from the current features (shared, as no step modifies
   * its input).
   *
   * @param step the exact step (position, layer text)
   */
  record Fork(PixelStep.Fork step) implements CntkStep {
  }

  /**
   * Starts a branch from the fan-out's features.
   *
   * @param step the exact step
   */
  record Branch(PixelStep.Branch step) implements CntkStep {
  }

  /**
   * Merges a finished branch {@code i} into the fan-in's accumulator (branch 0 becomes it), per pixel,
   * by the step's {@link org.nke.ir.Join}. Linear ({@code α K_acc + β K_i}: FanInSum, FanInConcat's
   * width weights), exact:
   * {@code Φ' = [√α Φ_acc.light, √β Φ_i.light, √α Φ_acc.heavy, √β Φ_i.heavy]} for {@code Φ_K} and
   * {@code Φ_Θ} alike (heavy coordinates stay last). Product (FanInProd, the product rule
   * {@code K = K_acc K_i}, {@code Θ = Θ_acc K_i + K_acc Θ_i}): the dense sketch's
   * {@link FeatureOps.Product} on every pixel; no heavy suffix after it.
   *
   * @param step the exact step (its join, branch and grid)
   * @param heavyAccK the accumulator's heavy {@code Φ_K} suffix
   * @param heavyK the branch's heavy {@code Φ_K} suffix
   * @param heavyAccT the accumulator's heavy {@code Φ_Θ} suffix
   * @param heavyT the branch's heavy {@code Φ_Θ} suffix
   * @param product the tensor sketches of a product join, else {@code null}
   */
  record Merge(PixelStep.Merge step, int heavyAccK, int heavyK, int heavyAccT, int heavyT,
      FeatureOps.Product product) implements CntkStep {
  }

  /**
   * Ends a fan-in: its accumulator becomes the current features, re-sketched per pixel by a one-tap
   * {@code PixelPatch} where it is wider than the budget ({@code m} for {@code Φ_K}, {@code 2m} for
   * {@code Φ_Θ}) and no Conv, activation or readout re-sketches it next (or where it is over twice
   * that).
   *
   * @param step the exact step
   * @param k the NNGP re-sketch, or {@code null}
   * @param t the NTK re-sketch, or {@code null}
   */
  record EndFork(PixelStep.EndFork step, PixelPatch k, PixelPatch t) implements CntkStep {
  }

  /**
   * LayerNorm on images: per pixel {@code Φ_K(p) ← Φ_K(p)/√s(p)}, {@code Φ_Θ(p) ← Φ_Θ(p)/√s(p)} with
   * {@code s} the step's {@link PixelStep.Normalize#scales scales} of the pixel variances (so that
   * {@code ⟨Φ'_x(p), Φ'_y(q)⟩ = K(p, q)/√(s_x(p) s_y(q))}, the exact step).
   *
   * @param step the exact step (grid, axes, eps, probe index)
   */
  record Normalize(PixelStep.Normalize step) implements CntkStep {
  }
}
