package org.nke.ir;

import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * What one run of a compiled sketch does to its state ({@code org.nke.exact.FeatureProgram#walk}): the CPU's
 * per-point features and a device's batches of feature rows are walks of the same program, which
 * supplies the compiled maps and the exact variance rules in order.
 *
 * @param <S> the state: features of one point, or of a batch
 */
public interface FeatureWalk<S> {
  /**
   * @param map the layer's compiled map
   * @param diagonal its diagonal rule {@code k ↦ k'} (for the variances the state carries)
   * @param in the state before the layer; not to be modified (a branch may share it)
   * @return the state after it
   */
  S layer(FeatureMap map, DoubleUnaryOperator diagonal, S in);

  /**
   * @param input the fan-out's input (every branch starts from it; none may modify it)
   * @return the start of a branch
   */
  default S branch(S input) {
    return input;
  }

  /**
   * @param merge the fan-in's compiled merge of this branch
   * @param variance the join's variance rule {@code (k_acc, k_branch) ↦ k}
   * @param accumulator the merged branches
   * @param in the finished branch
   * @return the new accumulator
   */
  S merge(FeatureMerge merge, DoubleBinaryOperator variance, S accumulator, S in);

  /**
   * @param reSketch the re-sketch of the concatenation, or {@code null} for none
   * @param accumulator all branches merged
   * @return the state after the fan-in
   */
  S join(FeatureMap reSketch, S accumulator);
}
