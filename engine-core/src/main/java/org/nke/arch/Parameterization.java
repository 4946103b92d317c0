package org.nke.arch;

/**
 * The weight parameterization of a {@link Dense} or {@link Conv} layer (stax {@code parameterization}).
 * Under {@code NTK} (Jacot et al. 2018) {@code z = σ_w/√N W x + σ_b b} with unit-variance weights;
 * under {@code STANDARD} (Sohl-Dickstein et al. 2020) {@code W ~ N(0, σ_w²/N)}, which changes the NTK:
 * {@code Θ' = N_in·K + σ_w² Θ + [1 if a bias is present]}.
 */
public enum Parameterization {
  /** The NTK parameterization (the default). */
  NTK,
  /** The standard parameterization. */
  STANDARD;

  /** @return the stax spelling, {@code 'ntk'} or {@code 'standard'} */
  public String stax() {
    return this == NTK ? "ntk" : "standard";
  }
}
