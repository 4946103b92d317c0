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

  /**
   * Binds stax's signature {@code FanInSum()}.
   *
   * @param a the call's arguments
   * @return the layer
   * @throws org.nke.error.ArchSyntaxException for any argument, with a caret at it
   */
  public static FanInSum bind(Args a) {
    a.finish();
    return new FanInSum();
  }
}
