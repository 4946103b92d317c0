package org.nke.ir;

/**
 * How {@link Backend#accumulate} merges a branch's kernels into an accumulator (the fan-in layers'
 * rules, neural-tangents {@code stax/branching.py}). With {@code t} the accumulator and {@code s} the
 * branch, entry by entry:
 *
 * <pre>{@code
 * LINEAR:   K_t ← α·K_t + β·K_s,          Θ_t ← α·Θ_t + β·Θ_s            (FanInSum: α = β = 1;
 *                                                                          FanInConcat: width weights)
 * PRODUCT:  Θ_t ← Θ_t·K_s + K_t·Θ_s,      K_t ← K_t·K_s                  (FanInProd, the product rule)
 * }</pre>
 *
 * evaluated in exactly this order (old {@code K_t} on the right), in float64, and rounded once to the
 * block's precision. The scalar methods are the reference every backend mirrors, and the diagonal
 * recursion uses them, so that a symmetric block's diagonal equals the recursion's variances bit for
 * bit.
 *
 * @param kind linear combination or product
 * @param alpha {@code α}, the accumulator's weight (1 for {@link Kind#PRODUCT})
 * @param beta {@code β}, the branch's weight (1 for {@link Kind#PRODUCT})
 */
public record Join(Kind kind, double alpha, double beta) {
  /** The two shapes of update. */
  public enum Kind {
    /** {@code α·t + β·s}. */
    LINEAR,
    /** The product rule. */
    PRODUCT
  }

  /** @return {@code t ← t + s} (FanInSum) */
  public static Join sum() {
    return new Join(Kind.LINEAR, 1, 1);
  }

  /**
   * @param alpha the accumulator's weight
   * @param beta the branch's weight
   * @return {@code t ← α·t + β·s}
   */
  public static Join linear(double alpha, double beta) {
    return new Join(Kind.LINEAR, alpha, beta);
  }

  /** @return the product rule (FanInProd) */
  public static Join product() {
    return new Join(Kind.PRODUCT, 1, 1);
  }

  /**
   * The cost rule of a merge: flops per entry, {@code α·t + β·s} (3) for each kernel of
   * {@link Kind#LINEAR}; for {@link Kind#PRODUCT} 1 for {@code K} and 3 for {@code Θ}.
   *
   * @param withNtk whether {@code Θ} is merged too
   * @return flops per entry
   */
  public double flops(boolean withNtk) {
    return kind == Kind.LINEAR ? 3 * (withNtk ? 2 : 1) : 1 + (withNtk ? 3 : 0);
  }

  /**
   * @param t the accumulator's NNGP entry
   * @param s the branch's NNGP entry
   * @return the new accumulator NNGP entry
   */
  public double nngp(double t, double s) {
    return kind == Kind.LINEAR ? alpha * t + beta * s : t * s;
  }

  /**
   * @param tNtk the accumulator's NTK entry
   * @param sNtk the branch's NTK entry
   * @param tNngp the accumulator's NNGP entry (before this update)
   * @param sNngp the branch's NNGP entry
   * @return the new accumulator NTK entry
   */
  public double ntk(double tNtk, double sNtk, double tNngp, double sNngp) {
    return kind == Kind.LINEAR ? alpha * tNtk + beta * sNtk : tNtk * sNngp + tNngp * sNtk;
  }
}
