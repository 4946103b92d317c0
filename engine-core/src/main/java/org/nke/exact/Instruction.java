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
   * The cost rule of the instruction on one pair of points: a layer's ({@link LayerKernel#pairFlops}),
   * a merge's ({@link org.nke.ir.Join#flops}); 0 for the copies and the stack moves.
   *
   * @param withNtk whether {@code Θ} is carried
   * @return flops per pair
   */
  double pairFlops(boolean withNtk);

  /**
   * @param withNtk whether {@code Θ} is carried
   * @return bytes per point held beyond the blocks ({@link LayerKernel#pointBytes}), else 0
   */
  default long pointBytes(boolean withNtk) {
    return 0;
  }

  /** @return +1 for a fan-out, −1 for its join, else 0 (folded into the fork depth) */
  default int depthChange() {
    return 0;
  }

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

    @Override
    public double pairFlops(boolean withNtk) {
      return kernel.pairFlops(withNtk);
    }

    @Override
    public long pointBytes(boolean withNtk) {
      return kernel.pointBytes(withNtk);
    }
  }

  /** Keeps the current state as the input of the branches that follow. */
  record Fork() implements Instruction {
    @Override
    public void run(ProgramFold<?> run) {
      run.fork();
    }

    @Override
    public double pairFlops(boolean withNtk) {
      return 0;
    }

    @Override
    public int depthChange() {
      return 1;
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

    @Override
    public double pairFlops(boolean withNtk) {
      return 0;
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

    /** @return 0 for branch 0 (it becomes the accumulator), else its join's count */
    @Override
    public double pairFlops(boolean withNtk) {
      return branch == 0 ? 0 : join.branchJoin(branch).flops(withNtk);
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

    @Override
    public double pairFlops(boolean withNtk) {
      return 0;
    }

    @Override
    public int depthChange() {
      return -1;
    }
  }
}
