package org.nke.arch;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Applies one sub-network to each branch (stax {@code parallel(f1, …, fn)}): branch {@code i} of its
 * input goes through {@code branches.get(i)}. Each branch takes one input and gives one output; an
 * empty branch is the identity.
 *
 * @param branches the sub-networks, one per branch, at least one
 */
public record Parallel(List<Architecture> branches) implements Layer {
  /** @param branches the sub-networks; copied */
  public Parallel {
    branches = List.copyOf(branches);
    if (branches.isEmpty()) {
      throw new IllegalArgumentException("parallel needs at least one branch");
    }
  }

  /**
   * @param branches the sub-networks
   * @return {@code parallel(branches…)}
   */
  public static Parallel of(Architecture... branches) {
    return new Parallel(List.of(branches));
  }

  /**
   * {@inheritDoc}
   *
   * <p>A branch of one layer is written as that layer, a longer one as {@code serial(…)}.
   */
  @Override
  public String describe() {
    return "parallel(" + branches.stream()
        .map(b -> b.layers().size() == 1 ? b.layers().get(0).describe() : b.describe())
        .collect(Collectors.joining(", ")) + ")";
  }
}
