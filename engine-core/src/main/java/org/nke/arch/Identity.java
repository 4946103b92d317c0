package org.nke.arch;

/** The identity layer (stax {@code Identity}): leaves the kernels unchanged. */
public record Identity() implements Layer {
  @Override
  public String describe() {
    return "Identity()";
  }
}
