package org.nke.arch;

/**
 * Concatenates the branches along an axis (stax {@code FanInConcat(axis=-1)}). Along the channel axis
 * (the only one for points) the kernel is the width-weighted mean {@code K = Σ n_i K_i / Σ n_i} (the
 * same for {@code Θ}), with {@code n_i} the width of branch {@code i}'s output; as in stax the weights
 * are equal when the widths are (and, in nke, when any is not given). The result is not Gaussian (each
 * channel is, but with a different covariance per branch), so as in stax an activation cannot follow
 * it directly. See {@link FanIn} for what the rule assumes.
 *
 * @param axis the axis of the activations, {@code -1} for the channel axis
 */
public record FanInConcat(int axis) implements FanIn {
  @Override
  public String describe() {
    return axis == -1 ? "FanInConcat()" : "FanInConcat(axis=" + axis + ")";
  }

  /**
   * Binds stax's signature {@code FanInConcat(axis=-1)}.
   *
   * @param a the call's arguments
   * @return the layer
   * @throws org.nke.error.ArchSyntaxException for a bad argument, with a caret at it
   */
  public static FanInConcat bind(Args a) {
    int axis = a.integer(0, "axis", -1);
    a.finish();
    return new FanInConcat(axis);
  }
}
