package org.nke.arch;

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

  @Override
  public String describe() {
    return "FanOut(" + n + ")";
  }
}
