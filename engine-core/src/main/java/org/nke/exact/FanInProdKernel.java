package org.nke.exact;

import org.nke.arch.FanInProd;
import org.nke.ir.FeatureMerge;
import org.nke.ir.Join;

/**
 * {@code FanInProd()}: {@code K = Π K_i} and, by the product rule, {@code Θ = Σ_i Θ_i Π_{j≠i} K_j},
 * accumulated as stax does ({@code Θ ← Θ·K_i + K·Θ_i}, then {@code K ← K·K_i}). The product is not
 * Gaussian (stax), so an activation, LayerNorm or FanInSum cannot follow it directly.
 */
final class FanInProdKernel extends FanInKernel {
  FanInProdKernel(FanInProd layer, int position) {
    super(layer, position);
  }

  @Override
  protected KernelState signal(KernelState merged) {
    return merged.withSignal(false, merged.width());
  }

  @Override
  protected Join join(int branch) {
    return Join.product();
  }

  @Override
  protected FeatureMerge sketch(int branch, FeatureShape accumulator, FeatureShape in,
      Sketcher sketcher) {
    // K = K_acc K_i: a tensor sketch; Θ = Θ_acc K_i + K_acc Θ_i: two, concatenated
    return sketcher.product(where(), branch, accumulator, in);
  }
}
