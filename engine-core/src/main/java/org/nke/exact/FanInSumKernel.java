package org.nke.exact;

import java.util.List;
import org.nke.arch.FanInSum;
import org.nke.error.ArchException;
import org.nke.ir.FeatureMerge;
import org.nke.ir.Join;

/**
 * {@code FanInSum()}: {@code K = Σ K_i}, {@code Θ = Σ Θ_i}. As in stax, every branch must be
 * Gaussian (a sum of non-Gaussian branches would need their means), and the sum is Gaussian.
 */
final class FanInSumKernel extends FanInKernel {
  private final int width;

  FanInSumKernel(FanInSum layer, int position, List<KernelState> branches) {
    super(layer, position);
    for (int i = 0; i < branches.size(); i++) {
      if (!branches.get(i).gaussian()) {
        throw new ArchException(where() + " needs mean-zero Gaussian branches (stax's rule), but "
            + "branch " + (i + 1) + " ends with an activation or another non-Gaussian layer: end "
            + "each branch with Dense (or leave it an identity shortcut of a Gaussian input)");
      }
    }
    int w = branches.get(0).width();
    this.width = branches.stream().allMatch(b -> b.width() == w) ? w : -1;
  }

  @Override
  protected KernelState signal(KernelState merged) {
    return merged.withSignal(true, width);
  }

  @Override
  protected Join join(int branch) {
    return Join.sum();
  }

  @Override
  protected FeatureMerge sketch(int branch, FeatureShape accumulator, FeatureShape in,
      Sketcher sketcher) {
    // K = ΣK_i: Φ = [Φ_1, Φ_2, …], the same for Θ
    return sketcher.concatenate(where(), join(branch), accumulator, in);
  }
}
