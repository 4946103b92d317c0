package org.nke.dual;

import java.util.Optional;

/**
 * The dual of an activation {@code φ}: the map from the covariance of two jointly Gaussian
 * pre-activations to the covariance of the activations, and the same for the derivative,
 *
 * <pre>{@code K' = E[φ(u) φ(v)],   K̇ = E[φ'(u) φ'(v)],   (u, v) ~ N(0, [[k_xx, k_xy], [k_xy, k_yy]])}</pre>
 *
 * as used by the NNGP ({@code K ← K'}) and the NTK ({@code Θ ← Θ · K̇}) recursions of
 * neural-tangents' {@code stax}. Inputs may have any variances ({@code k_xx}, {@code k_yy} ≥ 0); no
 * unit-sphere assumption is made.
 *
 * <p>Implementations are immutable and thread-safe.
 */
public interface DualActivation {
  /** @return the activation as an architecture string, e.g. {@code Erf(a=1.0, b=1.0, c=0.0)} */
  String describe();

  /** @return the pointwise activation, if the dual comes from one (ExpNormalized has none) */
  Optional<ActivationFunction> function();

  /**
   * @param kxx variance of {@code u}, at least 0
   * @param kyy variance of {@code v}, at least 0
   * @param kxy covariance, {@code |k_xy| ≤ √(k_xx k_yy)} up to rounding
   * @return {@code E[φ(u) φ(v)]}
   */
  double value(double kxx, double kyy, double kxy);

  /**
   * @param kxx variance of {@code u}
   * @param kyy variance of {@code v}
   * @param kxy covariance
   * @return {@code E[φ'(u) φ'(v)]} (0 where {@code φ'} is 0 almost everywhere, as in stax)
   */
  double derivative(double kxx, double kyy, double kxy);

  /**
   * The NNGP diagonal map {@code k_xx ↦ E[φ(u)²]}, applied once per point by the diagonal
   * recursion.
   *
   * @param kxx variance of {@code u}
   * @return {@code E[φ(u)²]}
   */
  default double diagonal(double kxx) {
    return value(kxx, kxx, kxx);
  }

  /**
   * Whether the dual can be applied in angle form ({@link BoundDual#applyRow(int, int, int, double[],
   * double[], double[], int)}): it then depends on the pair only through the variances and the angle
   * {@code θ = arccos ρ}, and gives the angle of its outputs without going through a rounded
   * {@code ρ} (the ReLU family, {@link ABReluDual}, for near-collinear pairs).
   *
   * @return {@code true} if the angle form is implemented
   */
  default boolean carriesAngles() {
    return false;
  }

  /**
   * Prepares the dual for the points of one kernel block: per-point data (e.g. Hermite coefficients
   * at each point's scale) is computed here once, not per pair.
   *
   * @param varX variances of the row points, not modified (kept by reference)
   * @param varY variances of the column points, not modified (kept by reference)
   * @param withDerivative whether {@link BoundDual#applyRow} will be given an NTK block
   * @return the dual bound to those points
   */
  BoundDual bind(double[] varX, double[] varY, boolean withDerivative);

  /**
   * The cost rule: floating-point operations to apply the dual to one entry of a kernel block, the
   * value {@code K'} and, with the derivative, {@code K̇} and the product {@code Θ·K̇}. An estimate by
   * kind of dual (closed form, Hermite series, 2-D quadrature; each documents its count), for
   * up-front cost estimates ({@code org.nke.exact.WorkEstimate}), not a measurement.
   *
   * @param withDerivative whether the NTK factor is computed too
   * @return flops per entry
   */
  double flopsPerEntry(boolean withDerivative);

  /**
   * The memory rule: bytes per point of the per-point tables {@link #bind} builds (0 for closed
   * forms).
   *
   * @param withDerivative whether the NTK factor is tabulated too
   * @return bytes per point
   */
  long bytesPerPoint(boolean withDerivative);
}
