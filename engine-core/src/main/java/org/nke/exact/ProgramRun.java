package org.nke.exact;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import org.nke.ir.Join;
import org.nke.spi.Backend;
import org.nke.spi.KernelBlock;
import org.nke.spi.Progress;

/**
 * One run of a compiled dense network ({@link DenseNetwork}): folds a {@link KernelState} through its
 * {@link Instruction}s ({@link ProgramFold}). Without a block it is the diagonal recursion; with one,
 * the exact kernel, where every block it makes (branch copies) is closed by {@link #close()} whatever
 * happens, and {@code afterStep} checks the block after each layer and join.
 */
final class ProgramRun extends ProgramFold<KernelState> implements AutoCloseable {
  private final KernelState start;
  private final Backend backend;
  private final Progress progress;
  private final BiConsumer<KernelBlock, String> afterStep;
  private final Set<KernelBlock> made = Collections.newSetFromMap(new IdentityHashMap<>());
  private final List<double[]> preActivation = new ArrayList<>();
  private double errorBound;

  /**
   * @param start the input state
   * @param backend the backend (unused without a block)
   * @param progress progress sink
   * @param afterStep called with the block and {@code "layer 3 (Relu())"} after each step that changed
   *     it
   */
  ProgramRun(KernelState start, Backend backend, Progress progress,
      BiConsumer<KernelBlock, String> afterStep) {
    this.start = start;
    this.backend = backend;
    this.progress = progress;
    this.afterStep = afterStep;
  }

  /**
   * @param program the instructions
   * @return the state at the end
   */
  KernelState execute(List<Instruction> program) {
    return fold(program, start);
  }

  Progress progress() {
    return progress;
  }

  /** @return per activation layer, in execution order, the row points' variances entering it */
  List<double[]> preActivation() {
    return preActivation;
  }

  double errorBound() {
    return errorBound;
  }

  void addErrorBound(double bound) {
    errorBound += bound;
  }

  void beforeLayer(LayerKernel kernel, KernelState in) {
    if (kernel instanceof ActivationKernel) {
      preActivation.add(in.varX());
    }
  }

  @Override
  protected KernelState apply(int index, LayerKernel kernel, KernelState in) {
    KernelState out = kernel.apply(in, backend, this);
    if (out.block() != null) {
      afterStep.accept(out.block(), kernel.where());
    }
    return out;
  }

  @Override
  protected KernelState copy(KernelState input) {
    if (input.block() == null) {
      return input;
    }
    KernelBlock copy = backend.copy(input.block());
    made.add(copy);
    return input.withBlock(copy);
  }

  @Override
  protected KernelState merge(int index, FanInKernel join, int branch, KernelState acc,
      KernelState in) {
    if (!in.hasVariances()) {
      return acc;
    }
    Join rule = join.join(branch);
    if (acc.block() != null) {
      backend.accumulate(acc.block(), in.block(), rule);
      in.block().close();
      afterStep.accept(acc.block(), join.where());
    }
    double[] x = merged(rule, acc.varX(), in.varX());
    return acc.withVariances(x, acc.same() ? x : merged(rule, acc.varY(), in.varY()));
  }

  private static double[] merged(Join rule, double[] acc, double[] branch) {
    double[] out = new double[acc.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = rule.nngp(acc[i], branch[i]);
    }
    return out;
  }

  @Override
  protected KernelState join(int index, FanInKernel join, KernelState acc) {
    return join.signal(acc);
  }

  /** Closes the blocks this run made (branch copies); the input block stays the caller's. */
  @Override
  public void close() {
    for (KernelBlock b : made) {
      b.close();
    }
  }
}
