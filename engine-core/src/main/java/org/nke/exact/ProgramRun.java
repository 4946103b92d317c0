package org.nke.exact;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import org.nke.spi.Backend;
import org.nke.spi.Join;
import org.nke.spi.KernelBlock;
import org.nke.spi.Progress;

/**
 * One run of a compiled dense network ({@link DenseNetwork}): folds a {@link KernelState} through its
 * {@link Instruction}s, with a stack of fan-out frames (input, accumulator). Without a block it is the
 * diagonal recursion; with one, the exact kernel, where every block it makes (branch copies) is
 * closed by {@link #close()} whatever happens, and {@code afterStep} checks the block after each
 * layer and join.
 */
final class ProgramRun implements AutoCloseable {
  /** A fan-out in progress. */
  private static final class Frame {
    final KernelState input;
    KernelState accumulator;

    Frame(KernelState input) {
      this.input = input;
    }
  }

  private final Backend backend;
  private final Progress progress;
  private final BiConsumer<KernelBlock, String> afterStep;
  private final Deque<Frame> frames = new ArrayDeque<>();
  private final Set<KernelBlock> made = Collections.newSetFromMap(new IdentityHashMap<>());
  private final List<double[]> preActivation = new ArrayList<>();
  private KernelState current;
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
    this.current = start;
    this.backend = backend;
    this.progress = progress;
    this.afterStep = afterStep;
  }

  /**
   * @param program the instructions
   * @return the state at the end
   */
  KernelState execute(List<Instruction> program) {
    for (Instruction i : program) {
      i.run(this);
    }
    return current;
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

  void apply(LayerKernel kernel) {
    current = kernel.apply(current, backend, this);
    if (current.block() != null) {
      afterStep.accept(current.block(), kernel.where());
    }
  }

  void fork() {
    frames.push(new Frame(current));
    current = null;
  }

  void branch(boolean last) {
    KernelState input = frames.peek().input;
    if (last || input.block() == null) {
      current = input;
    } else {
      KernelBlock copy = backend.copy(input.block());
      made.add(copy);
      current = input.withBlock(copy);
    }
  }

  void merge(FanInKernel join, int branch) {
    Frame f = frames.peek();
    if (branch == 0) {
      f.accumulator = current;
    } else if (current.hasVariances()) {
      Join rule = join.join(branch);
      KernelState acc = f.accumulator;
      if (acc.block() != null) {
        backend.accumulate(acc.block(), current.block(), rule);
        current.block().close();
        afterStep.accept(acc.block(), join.where());
      }
      double[] x = merged(rule, acc.varX(), current.varX());
      f.accumulator = acc.withVariances(x, acc.same() ? x : merged(rule, acc.varY(),
          current.varY()));
    }
    current = null;
  }

  private static double[] merged(Join rule, double[] acc, double[] branch) {
    double[] out = new double[acc.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = rule.nngp(acc[i], branch[i]);
    }
    return out;
  }

  void join(FanInKernel join) {
    current = join.signal(frames.pop().accumulator);
  }

  /** Closes the blocks this run made (branch copies); the input block stays the caller's. */
  @Override
  public void close() {
    for (KernelBlock b : made) {
      b.close();
    }
  }
}
