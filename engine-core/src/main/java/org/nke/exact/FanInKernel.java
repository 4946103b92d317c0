package org.nke.exact;

import java.util.List;
import org.nke.arch.FanIn;
import org.nke.arch.FanInConcat;
import org.nke.arch.FanInProd;
import org.nke.arch.FanInSum;
import org.nke.ir.FeatureMerge;
import org.nke.ir.Join;
import org.nke.spi.Backend;

/**
 * All the kernel rules of one fan-in layer type on dense inputs (neural-tangents
 * {@code stax/branching.py}): what it requires of its branches and what it gives ({@link #signal},
 * decided once at compile time from the branches' states), and the {@link Join} that merges branch
 * {@code i ≥ 1} into the accumulator holding branches {@code 0 … i−1} ({@link #join}). The exact rule
 * is {@link Backend#accumulate} with that join and the diagonal rule its scalar form
 * {@link Join#nngp}, so both follow from one formula.
 *
 * <p>Like stax, the rules assume the branches are independent and mean-zero given the input; this is
 * not checked (stax warns about it): a branch without a Dense layer is fine only where its output is
 * the fan-out's input itself (an identity shortcut).
 */
public abstract class FanInKernel {
  private final int position;
  private final String describe;

  /**
   * @param layer the layer
   * @param position 1-based index, for messages
   */
  protected FanInKernel(FanIn layer, int position) {
    this.position = position;
    this.describe = layer.describe();
  }

  /**
   * @param layer the fan-in
   * @param position its 1-based index, for messages
   * @param branches the compile-time states at the end of each branch
   * @return its rules
   */
  public static FanInKernel of(FanIn layer, int position, List<KernelState> branches) {
    if (layer instanceof FanInSum s) {
      return new FanInSumKernel(s, position, branches);
    } else if (layer instanceof FanInProd p) {
      return new FanInProdKernel(p, position);
    } else if (layer instanceof FanInConcat c) {
      return new FanInConcatKernel(c, position, branches);
    }
    throw new IllegalStateException("no kernel rule for " + layer.describe());
  }

  /**
   * The join of branch {@code branch} for callers outside this package (the exact CNTK's pixel-pair
   * blocks use the same rules).
   *
   * @param branch the branch being merged, {@code ≥ 1}
   * @return how it merges into the accumulator
   */
  public final Join branchJoin(int branch) {
    return join(branch);
  }

  /**
   * The join's signal for callers outside this package.
   *
   * @param merged the accumulator's compile-time state
   * @return the state after the join (its Gaussianity and width)
   */
  public final KernelState joined(KernelState merged) {
    return signal(merged);
  }

  /** @return {@code "layer 5 (FanInSum())"}, for messages */
  String where() {
    return "layer " + position + " (" + describe + ")";
  }

  /**
   * What the join requires of its branches and what it gives.
   *
   * @param merged the accumulator's state after the last branch was merged
   * @return the state after the join: its Gaussianity and width
   */
  protected abstract KernelState signal(KernelState merged);

  /**
   * @param branch the branch being merged, {@code ≥ 1}
   * @return how it merges into the accumulator
   */
  protected abstract Join join(int branch);

  /**
   * The sketch rule: how branch {@code i ≥ 1}'s features merge into the accumulator's, compiled once
   * through the sketcher's primitives.
   *
   * @param branch the branch being merged, {@code ≥ 1}
   * @param accumulator the merged branches' shape
   * @param in the branch's shape, with the widths a projecting merge produces
   * @param sketcher the primitives
   * @return the compiled merge
   */
  protected abstract FeatureMerge sketch(int branch, FeatureShape accumulator, FeatureShape in,
      Sketcher sketcher);
}
