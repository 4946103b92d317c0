package org.nke.dual;

import java.util.Optional;

/**
 * Dual of {@code φ(x) = max(x, 0)^n} (stax {@code RectifiedMonomial}): the arc-cosine kernel of order
 * {@code n} (Cho &amp; Saul 2009, eq. 7),
 *
 * <pre>{@code
 * K' = (k_xx k_yy)^{n/2} J_n(θ) / (2π),   θ = arccos(k_xy / √(k_xx k_yy))
 * K̇  = n² K'_{n−1}   (Price's theorem; 0 for n = 0, as in stax)
 * }</pre>
 *
 * where {@code J_n(θ) = (−1)^n sin^{2n+1}θ (sinθ⁻¹ ∂_θ)^n ((π − θ)/sin θ)}. Writing
 * {@code J_n = P_n(cos θ)(π − θ) + Q_n(cos θ) sin θ}, the identity
 * {@code J_{n+1} = (2n+1) cos θ J_n − sin θ J_n'} gives polynomial recurrences (our derivation)
 *
 * <pre>{@code
 * P_{n+1}(c) = (2n+1) c P_n(c) + (1 − c²) P_n'(c)
 * Q_{n+1}(c) = 2n c Q_n(c) + P_n(c) + (1 − c²) Q_n'(c),     P_0 = 1, Q_0 = 0,
 * }</pre>
 *
 * e.g. {@code J_1 = sin θ + (π − θ) cos θ}, {@code J_2 = 3 sin θ cos θ + (π − θ)(1 + 2cos²θ)}. On the
 * diagonal {@code K' = (2n − 1)!! k^n / 2}.
 */
public final class RectifiedMonomialDual extends ClosedFormDual {
  private final int degree;
  /** {@code p[j]}, {@code q[j]}: monomial coefficients (in {@code c}) of {@code P_j}, {@code Q_j}. */
  private final double[][] p;
  private final double[][] q;

  /** @param degree the power {@code n ≥ 0} */
  public RectifiedMonomialDual(int degree) {
    if (degree < 0) {
      throw new IllegalArgumentException("degree must be >= 0, got " + degree);
    }
    this.degree = degree;
    p = new double[degree + 1][];
    q = new double[degree + 1][];
    p[0] = new double[] {1};
    q[0] = new double[] {0};
    for (int n = 0; n < degree; n++) {
      p[n + 1] = step(p[n], null, 2 * n + 1);
      q[n + 1] = step(q[n], p[n], 2 * n);
    }
  }

  /** Returns {@code m c f(c) + (1 − c²) f'(c) + g(c)} as coefficients. */
  private static double[] step(double[] f, double[] g, int m) {
    double[] out = new double[f.length + 2];
    for (int j = 0; j < f.length; j++) {
      out[j + 1] += m * f[j];       // m c f
      if (j >= 1) {
        out[j - 1] += j * f[j];     // f'
        out[j + 1] -= j * f[j];     // −c² f'
      }
    }
    if (g != null) {
      for (int j = 0; j < g.length; j++) {
        out[j] += g[j];
      }
    }
    return out;
  }

  private static double horner(double[] c, double x) {
    double s = 0;
    for (int j = c.length - 1; j >= 0; j--) {
      s = s * x + c[j];
    }
    return s;
  }

  /** {@code (k_xx k_yy)^{n/2} J_n(θ) / (2π)} for order {@code n}. */
  private double arcCosine(int n, double kxx, double kyy, double kxy) {
    double prod = kxx * kyy;
    if (prod <= 0) {
      if (n > 0) {
        return 0;
      }
      // step function: a zero-variance input is 0, and 1(0 ≥ 0) = 1
      return kxx == 0 && kyy == 0 ? 1 : 0.5;
    }
    double s = Math.sqrt(prod);
    double sinPart = safeSqrt(prod - kxy * kxy);
    double theta = angle(sinPart, kxy);
    double c = Math.max(-1, Math.min(1, kxy / s));
    double sinTheta = sinPart / s;
    double j = horner(p[n], c) * (Math.PI - theta) + horner(q[n], c) * sinTheta;
    return Math.pow(s, n) * j / (2 * Math.PI);
  }

  @Override
  protected void evaluate(double kxx, double kyy, double kxy, double[] out) {
    out[VALUE] = arcCosine(degree, kxx, kyy, kxy);
    out[DERIVATIVE] = degree == 0 ? 0 : (double) degree * degree * arcCosine(degree - 1, kxx, kyy, kxy);
  }

  /** @return the power {@code n} */
  public int degree() {
    return degree;
  }

  /**
   * The polynomials of {@code J_m = P_m(cos θ)(π − θ) + Q_m(cos θ) sin θ}.
   *
   * @param m an order, {@code 0 ≤ m ≤ n}
   * @return {@code {P_m, Q_m}}: monomial coefficients in {@code cos θ}, lowest first (copies)
   */
  public double[][] angularPolynomials(int m) {
    return new double[][] {p[m].clone(), q[m].clone()};
  }

  @Override
  public String describe() {
    return "RectifiedMonomial(degree=" + degree + ")";
  }

  @Override
  public Optional<ActivationFunction> function() {
    return Optional.of(new ActivationFunction() {
      @Override
      public double value(double x) {
        return x >= 0 ? Math.pow(x, degree) : 0;
      }

      @Override
      public double derivative(double x) {
        return degree == 0 || x < 0 ? 0 : degree * Math.pow(x, degree - 1);
      }

      @Override
      public boolean smooth() {
        return false;
      }
    });
  }
}
