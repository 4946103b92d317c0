package org.nke.arch;

/** The identity layer (stax {@code Identity}): leaves the kernels unchanged. */
public record Identity() implements Layer {
  @Override
  public String describe() {
    return "Identity()";
  }

  /**
   * Binds stax's signature {@code Identity()}.
   *
   * @param a the call's arguments
   * @return the layer
   * @throws org.nke.error.ArchSyntaxException for any argument, with a caret at it
   */
  public static Identity bind(Args a) {
    a.finish();
    return new Identity();
  }
}
