package org.nke.arch;

/**
 * Sums the branches (stax {@code FanInSum}): {@code K = Σ K_i}, {@code Θ = Σ Θ_i}; Gaussian when every
 * branch is. See {@link FanIn} for what the rule assumes.
 */
public record FanInSum() implements FanIn {
  @Override
  public String describe() {
    return "FanInSum()";
  }
}
