package org.nke.arch;

import org.nke.dual.DualActivation;

/**
 * An elementwise nonlinearity; its kernel map is its {@link DualActivation}:
 * {@code K' = E[φ(u)φ(v)]}, {@code Θ' = Θ · E[φ'(u)φ'(v)]}. Must follow an affine layer (Dense or
 * Conv), as in stax, because the dual assumes Gaussian pre-activations.
 *
 * @param dual the dual activation
 */
public record Activation(DualActivation dual) implements Layer {
  @Override
  public String describe() {
    return dual.describe();
  }
}
