package org.nke.exact;

/**
 * One instruction of a compiled dense network ({@link DenseNetwork}): a flat list run by
 * {@link ProgramFold} over a small stack of fan-out frames. A branching block
 * {@code FanOut(n), parallel(f1 … fn), FanIn} compiles to
 *
 * <pre>{@code Fork, Branch(0), f1…, Merge(0), …, Branch(n−1, last), fn…, Merge(n−1), Join}</pre>
 *
 * so that per nesting level the working set is the fan-out's input, the accumulator and the current
 * branch (the last branch takes the input itself instead of a copy).
 */
sealed interface Instruction {
  /** @param run the walk; modified */
  void run(ProgramFold<?> run);

  /**
   * Applies one layer's rules to the current state.
   *
   * @param kernel the layer's rules
   */
  record Apply(LayerKernel kernel) implements Instruction {
    @Override
    public void run(ProgramFold<?> run) {
      run.apply(kernel);
    }
  }

  /** Keeps the current state as the input of the branches that follow. */
  record Fork() implements Instruction {
    @Override
    public void run(ProgramFold<?> run) {
      run.fork();
    }
  }

  /**
   * Starts a branch from the fan-out's input: a copy, or the input itself for the last branch.
   *
   * @param last whether it is the last branch
   */
  record Branch(boolean last) implements Instruction {
    @Override
    public void run(ProgramFold<?> run) {
      run.branch(last);
    }
  }

  /**
   * Merges the finished branch into the accumulator (branch 0 becomes it).
   *
   * @param join the fan-in's rules
   * @param branch the branch's index
   */
  record Merge(FanInKernel join, int branch) implements Instruction {
    @Override
    public void run(ProgramFold<?> run) {
      run.merge(join, branch);
    }
  }

  /**
   * Ends the branches: the accumulator becomes the current state, with the fan-in's signal.
   *
   * @param join the fan-in's rules
   */
  record Join(FanInKernel join) implements Instruction {
    @Override
    public void run(ProgramFold<?> run) {
      run.join(join);
    }
  }
}
