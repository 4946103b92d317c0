package org.nke.exact;

/**
 * What the sketch plan knows between two layers at compile time (the compile-time state of
 * {@link FeatureProgram}): the feature widths, the exact diagonals of a reference set of inputs
 * (they size each activation's blocks), and the widths a layer that projects (an activation, a
 * product, a re-sketch) should produce here.
 *
 * @param nngp width of {@code Φ_K}
 * @param ntk width of {@code Φ_Θ} (0 for an NNGP-only sketch)
 * @param referenceNngp {@code K(x, x)} of the reference inputs before the layer; not modified
 * @param referenceNtk {@code Θ(x, x)} of the reference inputs before the layer; not modified
 * @param budgetNngp the NNGP width a projecting layer should produce
 * @param budgetNtk the NTK width a projecting layer should produce
 */
public record FeatureShape(int nngp, int ntk, double[] referenceNngp, double[] referenceNtk,
    int budgetNngp, int budgetNtk) {
  /**
   * @param k NNGP budget
   * @param t NTK budget
   * @return this shape with them
   */
  FeatureShape withBudget(int k, int t) {
    return new FeatureShape(nngp, ntk, referenceNngp, referenceNtk, k, t);
  }
}
