package org.nke.exact;

import java.util.List;
import org.nke.arch.FanInConcat;
import org.nke.error.ArchException;
import org.nke.ir.FeatureMerge;
import org.nke.ir.Join;

/**
 * {@code FanInConcat(axis=-1)} on points: concatenating the channels of independent branches gives the
 * width-weighted mean of their kernels (stax's {@code _concat_kernels} along the channel axis),
 *
 * <pre>{@code K = Σ n_i K_i / Σ n_i,   Θ = Σ n_i Θ_i / Σ n_i}</pre>
 *
 * with {@code n_i} the width of branch {@code i}'s output: the width of its last Dense, or the
 * fan-out's input width for a branch without one. As in stax the weights are equal when the widths
 * are; nke also uses equal weights when any width is not given (infinite-width kernels usually omit
 * them). The result is not Gaussian (stax: each channel is, with its branch's covariance), so an
 * activation cannot follow it directly; its width is {@code Σ n_i}.
 */
final class FanInConcatKernel extends FanInKernel {
  private final double[] weights;
  private final int width;

  FanInConcatKernel(FanInConcat layer, int position, List<KernelState> branches) {
    super(layer, position);
    if (layer.axis() != -1 && layer.axis() != 1) {
      throw new ArchException(where() + " concatenates along axis " + layer.axis() + ": on points "
          + "(n, d) only the channel axis (-1 or 1) is supported");
    }
    int n = branches.size();
    boolean known = branches.stream().allMatch(b -> b.width() >= 1);
    long total = known ? branches.stream().mapToLong(KernelState::width).sum() : n;
    weights = new double[n];
    for (int i = 0; i < n; i++) {
      weights[i] = (known ? branches.get(i).width() : 1.0) / total;
    }
    width = known && total <= Integer.MAX_VALUE ? (int) total : -1;
  }

  /** @return the weight {@code n_i / Σ n_j} of each branch */
  double[] weights() {
    return weights.clone();
  }

  @Override
  protected KernelState signal(KernelState merged) {
    return merged.withSignal(false, width);
  }

  @Override
  protected Join join(int branch) {
    // after branch 0 the accumulator holds K_0 unweighted: weigh it with the first merge
    return branch == 1 ? Join.linear(weights[0], weights[1]) : Join.linear(1, weights[branch]);
  }

  @Override
  protected FeatureMerge sketch(int branch, FeatureShape accumulator, FeatureShape in,
      Sketcher sketcher) {
    // K = Σ w_i K_i: Φ = [√w_1 Φ_1, √w_2 Φ_2, …], the same for Θ
    return sketcher.concatenate(where(), join(branch), accumulator, in);
  }
}
