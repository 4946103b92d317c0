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
}
