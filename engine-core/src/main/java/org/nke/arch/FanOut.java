package org.nke.arch;

import java.util.ArrayList;
import java.util.List;
import org.nke.error.ArchSyntaxException;

/**
 * Copies its input to {@code n} branches (stax {@code FanOut(num)}): the kernels of every branch start
 * as the input's. It must be followed by {@code parallel(f1, …, fn)} with {@code n} branches or
 * directly by a fan-in ({@link FanIn}), which then joins {@code n} identity branches.
 *
 * @param n the number of branches, at least 1
 */
public record FanOut(int n) implements Layer {
  /** @param n the number of branches, at least 1 */
  public FanOut {
    if (n < 1) {
      throw new IllegalArgumentException("FanOut needs at least 1 branch, got " + n);
    }
  }

  /**
   * The branches of the block this fan-out starts: per branch, its layers gathered from the
   * {@code parallel(…)} layers that follow it (none: {@code n} identity branches).
   *
   * @param layers the chain holding the block
   * @param at the index of this fan-out in it
   * @return per branch its layers; the block's {@link FanIn} is at
   *     {@code at + 1 + } the number of {@link Parallel} layers after {@code at}
   */
  public List<List<Layer>> branches(List<Layer> layers, int at) {
    List<List<Layer>> branches = new ArrayList<>();
    for (int b = 0; b < n; b++) {
      branches.add(new ArrayList<>());
    }
    for (int i = at + 1; layers.get(i) instanceof Parallel p; i++) {
      for (int b = 0; b < n; b++) {
        branches.get(b).addAll(p.branches().get(b).layers());
      }
    }
    return branches;
  }

  /**
   * @param layers the chain holding the block
   * @param at the index of this fan-out in it
   * @return the number of {@link Parallel} layers right after it
   */
  public static int parallels(List<Layer> layers, int at) {
    int count = 0;
    while (layers.get(at + 1 + count) instanceof Parallel) {
      count++;
    }
    return count;
  }

  @Override
  public String describe() {
    return "FanOut(" + n + ")";
  }

  /**
   * Binds stax's signature {@code FanOut(num)}.
   *
   * @param a the call's arguments
   * @return the layer
   * @throws org.nke.error.ArchSyntaxException for a bad argument, with a caret at it
   */
  public static FanOut bind(Args a) {
    int n = a.requiredInteger(0, "num");
    a.finish();
    if (n < 1) {
      throw new ArchSyntaxException("num must be at least 1, got " + n, a.source(),
          a.position(0, "num"));
    }
    return new FanOut(n);
  }
}
