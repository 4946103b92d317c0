package org.nke.dual;

import java.util.Optional;

/**
 * Base of the numerical duals of a pointwise activation ({@link HermiteSeriesDual},
 * {@link QuadratureDual}): they compute in bulk through {@link #bind}, and a single entry is a
 * one-point binding.
 */
public abstract class NumericalDual implements DualActivation {
  /**
   * Flops counted for one evaluation of the activation or its derivative (tanh, an exponential,
   * {@code erf}): a polynomial or rational approximation of about ten terms; used by the cost rules
   * of the subclasses ({@link #flopsPerEntry}).
   */
  public static final int FUNCTION_FLOPS = 20;

  private final String name;
  /** The activation. */
  protected final ActivationFunction fn;

  /**
   * @param name how the layer was written
   * @param fn the activation
   */
  protected NumericalDual(String name, ActivationFunction fn) {
    this.name = name;
    this.fn = fn;
  }

  @Override
  public String describe() {
    return name;
  }

  @Override
  public Optional<ActivationFunction> function() {
    return Optional.of(fn);
  }

  @Override
  public double value(double kxx, double kyy, double kxy) {
    double[] nngp = {kxy};
    bind(new double[] {kxx}, new double[] {kyy}, false).applyRow(0, 0, 1, nngp, null, 0);
    return nngp[0];
  }

  @Override
  public double derivative(double kxx, double kyy, double kxy) {
    double[] nngp = {kxy};
    double[] ntk = {1.0};
    bind(new double[] {kxx}, new double[] {kyy}, true).applyRow(0, 0, 1, nngp, ntk, 0);
    return ntk[0];
  }

  @Override
  public String toString() {
    return name;
  }
}
