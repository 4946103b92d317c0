package org.nke.arch;

/**
 * Multiplies the branches elementwise (stax {@code FanInProd}): {@code K = Π K_i} and, by the product
 * rule, {@code Θ = Σ_i Θ_i Π_{j≠i} K_j}; never Gaussian, so an activation cannot follow it directly.
 * See {@link FanIn} for what the rule assumes.
 */
public record FanInProd() implements FanIn {
  @Override
  public String describe() {
    return "FanInProd()";
  }

  /**
   * Binds stax's signature {@code FanInProd()}.
   *
   * @param a the call's arguments
   * @return the layer
   * @throws org.nke.error.ArchSyntaxException for any argument, with a caret at it
   */
  public static FanInProd bind(Args a) {
    a.finish();
    return new FanInProd();
  }
}
