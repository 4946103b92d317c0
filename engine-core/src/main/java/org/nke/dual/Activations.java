package org.nke.dual;

/**
 * Pointwise activations without a closed-form dual. Their kernels come from a
 * {@link HermiteSeriesDual} (default) or a {@link QuadratureDual} ({@code ElementwiseNumerical}).
 * Each is written in a form that neither overflows nor cancels for large {@code |x|}.
 */
public final class Activations {
  /** SELU's scale λ (Klambauer et al. 2017, eq. 14). */
  public static final double SELU_LAMBDA = 1.0507009873554805;
  /** SELU's α (Klambauer et al. 2017, eq. 14). */
  public static final double SELU_ALPHA = 1.6732632423543772;

  private Activations() {
  }

  /** @return {@code tanh x}, derivative {@code 1 − tanh² x} */
  public static ActivationFunction tanh() {
    return new ActivationFunction() {
      @Override
      public double value(double x) {
        return Math.tanh(x);
      }

      @Override
      public double derivative(double x) {
        double t = Math.tanh(x);
        return 1 - t * t;
      }
    };
  }

  /**
   * @param x the argument
   * @return the logistic function {@code 1/(1 + e^{−x})}, evaluated without overflow
   */
  static double logistic(double x) {
    if (x >= 0) {
      return 1 / (1 + Math.exp(-x));
    }
    double e = Math.exp(x);
    return e / (1 + e);
  }

  /**
   * @param x the argument
   * @return {@code log(1 + e^x)} without overflow or cancellation
   */
  static double softplusValue(double x) {
    return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
  }

  /** @return the logistic sigmoid {@code σ(x) = 1/(1 + e^{−x})}, derivative {@code σ(1 − σ)} */
  public static ActivationFunction sigmoid() {
    return new ActivationFunction() {
      @Override
      public double value(double x) {
        return logistic(x);
      }

      @Override
      public double derivative(double x) {
        double s = logistic(x);
        return s * (1 - s);
      }
    };
  }

  /** @return {@code softplus(x) = log(1 + e^x)}, derivative {@code σ(x)} */
  public static ActivationFunction softplus() {
    return new ActivationFunction() {
      @Override
      public double value(double x) {
        return softplusValue(x);
      }

      @Override
      public double derivative(double x) {
        return logistic(x);
      }
    };
  }

  /** @return Swish / SiLU {@code x σ(x)}, derivative {@code σ(x)(1 + x(1 − σ(x)))} */
  public static ActivationFunction swish() {
    return new ActivationFunction() {
      @Override
      public double value(double x) {
        return x * logistic(x);
      }

      @Override
      public double derivative(double x) {
        double s = logistic(x);
        return s * (1 + x * (1 - s));
      }
    };
  }

  /**
   * @param alpha the negative saturation
   * @return ELU: {@code x} for {@code x > 0}, {@code α(e^x − 1)} otherwise (a kink unless α = 1)
   */
  public static ActivationFunction elu(double alpha) {
    return scaledElu(1.0, alpha);
  }

  /** @return SELU: {@code λ·ELU_α(x)} with the self-normalising constants (jump in {@code φ'}) */
  public static ActivationFunction selu() {
    return scaledElu(SELU_LAMBDA, SELU_ALPHA);
  }

  private static ActivationFunction scaledElu(double lambda, double alpha) {
    return new ActivationFunction() {
      @Override
      public double value(double x) {
        return lambda * (x > 0 ? x : alpha * Math.expm1(x));
      }

      @Override
      public double derivative(double x) {
        return lambda * (x > 0 ? 1 : alpha * Math.exp(x));
      }

      @Override
      public boolean smooth() {
        return false;
      }
    };
  }

  /**
   * @return Mish {@code x tanh(softplus x)} (Misra 2019), derivative
   *     {@code tanh(sp) + x σ(x) (1 − tanh²(sp))}
   */
  public static ActivationFunction mish() {
    return new ActivationFunction() {
      @Override
      public double value(double x) {
        return x * Math.tanh(softplusValue(x));
      }

      @Override
      public double derivative(double x) {
        double t = Math.tanh(softplusValue(x));
        return t + x * logistic(x) * (1 - t * t);
      }
    };
  }
}
