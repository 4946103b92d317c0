package org.nke.arch;

/**
 * Flattening of spatial inputs (stax {@code Flatten}): the kernel is the mean over the diagonal pixel
 * pairs {@code (p, p)}; a no-op on vectors.
 */
public record Flatten() implements Layer {
  @Override
  public String describe() {
    return "Flatten()";
  }

  /**
   * Binds stax's signature {@code Flatten(batch_axis=0, batch_axis_out=0)}.
   *
   * @param a the call's arguments
   * @return the layer
   * @throws org.nke.error.ArchSyntaxException for a bad argument, with a caret at it
   */
  public static Flatten bind(Args a) {
    a.ignore(0, "batch_axis");
    a.ignore(1, "batch_axis_out");
    a.finish();
    return new Flatten();
  }
}
