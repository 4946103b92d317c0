package org.nke.exact;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.nke.ir.PointFeatures;

/**
 * The one walk of a compiled dense program ({@link Instruction}s): folds a state of any kind through
 * it with a stack of fan-out frames (input, accumulator). The exact kernel and the diagonal
 * recursion ({@link ProgramRun}, state: {@link KernelState}), the sketch plan's compilation and each
 * point's features ({@link FeatureProgram}, states: {@link FeatureShape}, {@link PointFeatures})
 * are folds of the same program; each says only what a layer, a branch copy, a merge and a join do
 * to its state.
 *
 * @param <S> the state
 */
abstract class ProgramFold<S> {
  /** A fan-out in progress. */
  private final class Frame {
    final S input;
    S accumulator;

    Frame(S input) {
      this.input = input;
    }
  }

  private final Deque<Frame> frames = new ArrayDeque<>();
  private S current;
  private int at;

  /**
   * @param index the instruction's index in the program
   * @param kernel the layer's rules
   * @param in the state before the layer
   * @return the state after it
   */
  protected abstract S apply(int index, LayerKernel kernel, S in);

  /**
   * @param input the fan-out's input
   * @return the start of a branch that is not the last (the last takes the input itself)
   */
  protected abstract S copy(S input);

  /**
   * @param index the instruction's index
   * @param join the fan-in's rules
   * @param branch the branch being merged, {@code ≥ 1} (branch 0 becomes the accumulator)
   * @param accumulator branches {@code 0 … branch−1} merged
   * @param in the finished branch
   * @return the new accumulator
   */
  protected abstract S merge(int index, FanInKernel join, int branch, S accumulator, S in);

  /**
   * @param index the instruction's index
   * @param join the fan-in's rules
   * @param accumulator all branches merged
   * @return the state after the fan-in
   */
  protected abstract S join(int index, FanInKernel join, S accumulator);

  /**
   * @param program the instructions
   * @param start the input state
   * @return the state at the end
   */
  final S fold(List<Instruction> program, S start) {
    current = start;
    for (at = 0; at < program.size(); at++) {
      program.get(at).run(this);
    }
    return current;
  }

  final void apply(LayerKernel kernel) {
    current = apply(at, kernel, current);
  }

  final void fork() {
    frames.push(new Frame(current));
    current = null;
  }

  final void branch(boolean last) {
    S input = frames.peek().input;
    current = last ? input : copy(input);
  }

  final void merge(FanInKernel join, int branch) {
    Frame f = frames.peek();
    f.accumulator = branch == 0 ? current : merge(at, join, branch, f.accumulator, current);
    current = null;
  }

  final void join(FanInKernel join) {
    current = join(at, join, frames.pop().accumulator);
  }
}
