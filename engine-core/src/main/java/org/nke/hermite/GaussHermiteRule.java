package org.nke.hermite;

import java.util.function.DoubleUnaryOperator;

/**
 * An n-point Gauss–Hermite rule for expectations under the standard normal distribution:
 *
 * <pre>{@code E[f(z)] = ∫ f(z) e^{-z²/2} dz / √(2π) ≈ Σ_i p_i f(z_i)}</pre>
 *
 * exact when {@code f} is a polynomial of degree at most {@code 2n − 1}.
 *
 * <p>The nodes {@code x_i} of the physicists' rule {@code ∫ g(x) e^{-x²} dx ≈ Σ w_i g(x_i)} are the
 * roots of {@code H_n}: the eigenvalues of the Jacobi matrix with off-diagonal {@code √(k/2)}
 * (Golub &amp; Welsch 1969), found by the implicit QL method in {@code O(n²)} and polished by Newton's
 * method on the orthonormal Hermite polynomials {@code ψ_n}, which satisfy the recurrence
 * {@code ψ_j = x √(2/j) ψ_{j−1} − √((j−1)/j) ψ_{j−2}}, {@code ψ_0 = π^{-1/4}} (Abramowitz &amp; Stegun
 * 22.7.13, normalised), rescaled on the fly so that large {@code n} cannot overflow. The weights are
 * {@code w_i = 2 / ψ_n'(x_i)²} (Press et al., Numerical Recipes §4.6). For the standard normal,
 * {@code z_i = √2 x_i} and {@code p_i = w_i / √π}.
 *
 * <p>Immutable and thread-safe. Weights of far-out nodes underflow to zero for large {@code n}, which
 * is harmless for integrands of polynomial growth.
 */
public final class GaussHermiteRule {
  /** Largest supported number of points (the rule costs {@code O(n²)} to build). */
  public static final int MAX_POINTS = 4000;

  private static final double RESCALE = 1e150;
  private static final double LOG_RESCALE = Math.log(RESCALE);

  private final double[] nodes;
  private final double[] weights;

  private GaussHermiteRule(double[] nodes, double[] weights) {
    this.nodes = nodes;
    this.weights = weights;
  }

  /**
   * Computes the rule with {@code n} points.
   *
   * @param n the number of points, 1 to {@link #MAX_POINTS}
   * @return the rule for the standard normal weight
   * @throws IllegalArgumentException if {@code n} is out of range
   */
  public static GaussHermiteRule of(int n) {
    if (n < 1 || n > MAX_POINTS) {
      throw new IllegalArgumentException("number of Gauss-Hermite points must be in [1, " + MAX_POINTS
          + "], got " + n);
    }
    // Roots of H_n: eigenvalues of the Jacobi matrix (zero diagonal, off-diagonal √(k/2)),
    // Golub & Welsch 1969, by the implicit QL method; then polished by Newton's method.
    double[] x = jacobiEigenvalues(n);
    java.util.Arrays.sort(x);
    double[] w = new double[n];
    final double pim4 = Math.pow(Math.PI, -0.25);
    // the recurrence's coefficients, the same for every node: √(2/j) and √((j−1)/j)
    double[] up = new double[n + 1];
    double[] back = new double[n + 1];
    for (int j = 1; j <= n; j++) {
      up[j] = Math.sqrt(2.0 / j);
      back[j] = Math.sqrt((j - 1.0) / j);
    }
    for (int i = 0; i < n; i++) {
      double z = x[i];
      double pp = 0;
      double logScale = 0;
      for (int iter = 0; iter < 3; iter++) {
        double p1 = pim4;
        double p2 = 0;
        logScale = 0;
        for (int j = 1; j <= n; j++) {
          double p3 = p2;
          p2 = p1;
          // ψ_j = x √(2/j) ψ_{j−1} − √((j−1)/j) ψ_{j−2}
          p1 = z * up[j] * p2 - back[j] * p3;
          if (Math.abs(p1) > RESCALE) {
            // keep the recurrence in range; Newton's step only needs ψ_n / ψ_n'
            p1 /= RESCALE;
            p2 /= RESCALE;
            logScale += LOG_RESCALE;
          }
        }
        // ψ_n' = √(2n) ψ_{n−1} − x ψ_n; at a root ψ_n = 0.
        pp = Math.sqrt(2.0 * n) * p2;
        double step = p1 / pp;
        z -= step;
        if (Math.abs(step) <= 1e-15 * Math.max(1.0, Math.abs(z))) {
          break;
        }
      }
      x[i] = z;
      // w = 2 / ψ_n'(x)², with ψ_n' = pp · e^{logScale}; underflows to 0 far out, harmlessly
      w[i] = Math.exp(Math.log(2.0) - 2 * (Math.log(Math.abs(pp)) + logScale));
    }
    // Exact symmetry.
    for (int i = 0; i < n / 2; i++) {
      double xs = 0.5 * (x[n - 1 - i] - x[i]);
      double ws = 0.5 * (w[i] + w[n - 1 - i]);
      x[i] = -xs;
      x[n - 1 - i] = xs;
      w[i] = ws;
      w[n - 1 - i] = ws;
    }
    if (n % 2 == 1) {
      x[n / 2] = 0.0;
    }
    // Convert to the standard normal.
    double[] nodes = new double[n];
    double[] weights = new double[n];
    double sqrtPi = Math.sqrt(Math.PI);
    for (int i = 0; i < n; i++) {
      nodes[i] = Math.sqrt(2.0) * x[i];
      weights[i] = w[i] / sqrtPi;
    }
    double total = 0;
    for (int i = 0; i < n; i++) {
      total += weights[i];
      if (i > 0 && !(nodes[i] > nodes[i - 1])) {
        throw new IllegalStateException("Gauss-Hermite nodes failed to separate for n = " + n);
      }
    }
    if (Math.abs(total - 1) > 1e-12) {
      throw new IllegalStateException("Gauss-Hermite weights sum to " + total + " for n = " + n);
    }
    return new GaussHermiteRule(nodes, weights);
  }

  /** @return the number of points */
  public int size() {
    return nodes.length;
  }

  /**
   * @param i index, 0 to {@code size() − 1}, nodes ascending
   * @return the node {@code z_i} for the standard normal
   */
  public double node(int i) {
    return nodes[i];
  }

  /**
   * @param i index, 0 to {@code size() − 1}
   * @return the probability weight {@code p_i} (the weights sum to 1)
   */
  public double weight(int i) {
    return weights[i];
  }

  /** @return a copy of the nodes {@code z_i} */
  public double[] nodes() {
    return nodes.clone();
  }

  /** @return a copy of the weights {@code p_i} */
  public double[] weights() {
    return weights.clone();
  }

  /**
   * Approximates {@code E[f(z)]}, {@code z ~ N(0, 1)}.
   *
   * @param f the integrand, not modified
   * @return {@code Σ_i p_i f(z_i)}
   */
  public double expectation(DoubleUnaryOperator f) {
    double s = 0;
    for (int i = 0; i < nodes.length; i++) {
      if (weights[i] != 0) {
        s += weights[i] * f.applyAsDouble(nodes[i]);
      }
    }
    return s;
  }

  /**
   * {@code √(a² + b²)}, safe from overflow and underflow; {@link Math#hypot} gives the same to the
   * last bit or one ulp but goes through {@code StrictMath} and took half of a 2,000-point rule's
   * time.
   */
  private static double hypot(double a, double b) {
    double x = Math.abs(a);
    double y = Math.abs(b);
    double big = Math.max(x, y);
    double small = Math.min(x, y);
    if (big > 1e150 || big < 1e-150) {
      if (big == 0 || Double.isInfinite(big)) {
        return big;
      }
      double r = small / big;
      return big * Math.sqrt(1 + r * r);
    }
    return Math.sqrt(big * big + small * small);
  }

  /**
   * Eigenvalues of the symmetric tridiagonal matrix with zero diagonal and off-diagonal
   * {@code √(k/2)}, {@code k = 1 … n−1}, by the implicit QL method with Wilkinson shifts (Bowdler,
   * Martin, Reinsch &amp; Wilkinson 1968), eigenvalues only: {@code O(n²)}.
   */
  private static double[] jacobiEigenvalues(int n) {
    // The Jacobi matrix T (zero diagonal, √((k+1)/2) between nodes k and k+1) is bipartite, so its
    // eigenvalues are ±√λ for the eigenvalues λ of T² on the even-numbered nodes — a tridiagonal
    // matrix of half the size, with diagonal e_{i−1}² + e_i² and off-diagonal e_i e_{i+1} — and 0
    // once more when n is odd: a quarter of the QL work. (λ's small rounding is removed by the
    // Newton polish of the caller.)
    double[] off = new double[n];
    for (int k = 0; k < n - 1; k++) {
      off[k] = Math.sqrt((k + 1) / 2.0);
    }
    int half = (n + 1) / 2;
    double[] d = new double[half];
    double[] e = new double[half];
    for (int j = 0; j < half; j++) {
      int i = 2 * j;
      double left = i > 0 ? off[i - 1] : 0;
      d[j] = left * left + off[i] * off[i];
      if (j + 1 < half) {
        e[j] = off[i] * off[i + 1];
      }
    }
    double[] lambda = tridiagonalEigenvalues(d, e);
    java.util.Arrays.sort(lambda);
    double[] x = new double[n];
    int next = 0;
    int first = 0;
    if (n % 2 == 1) {
      x[next++] = 0.0; // the smallest λ belongs to the root 0
      first = 1;
    }
    for (int j = first; j < half; j++) {
      double root = Math.sqrt(Math.max(lambda[j], 0.0));
      x[next++] = root;
      x[next++] = -root;
    }
    return x;
  }

  /**
   * The eigenvalues of a symmetric tridiagonal matrix by the implicit QL method (Numerical Recipes
   * {@code tqli}).
   *
   * @param d the diagonal, modified: the eigenvalues on return
   * @param e the off-diagonal ({@code e[i]} between {@code i} and {@code i + 1}; the last unused),
   *     modified
   * @return {@code d}
   */
  private static double[] tridiagonalEigenvalues(double[] d, double[] e) {
    int n = d.length;
    for (int l = 0; l < n; l++) {
      int iter = 0;
      int m;
      do {
        for (m = l; m < n - 1; m++) {
          double dd = Math.abs(d[m]) + Math.abs(d[m + 1]);
          if (Math.abs(e[m]) <= 1e-17 * dd) {
            break;
          }
        }
        if (m != l) {
          if (iter++ == 60) {
            throw new IllegalStateException("QL iteration did not converge for n = " + n);
          }
          double g = (d[l + 1] - d[l]) / (2.0 * e[l]);
          double r = hypot(g, 1.0);
          g = d[m] - d[l] + e[l] / (g + Math.copySign(r, g));
          double s = 1.0;
          double c = 1.0;
          double p = 0.0;
          int i;
          boolean underflow = false;
          for (i = m - 1; i >= l; i--) {
            double f = s * e[i];
            double b = c * e[i];
            r = hypot(f, g);
            e[i + 1] = r;
            if (r == 0.0) {
              d[i + 1] -= p;
              e[m] = 0.0;
              underflow = true;
              break;
            }
            s = f / r;
            c = g / r;
            g = d[i + 1] - p;
            r = (d[i] - g) * s + 2.0 * c * b;
            p = s * r;
            d[i + 1] = g + p;
            g = c * r - b;
          }
          if (underflow) {
            continue;
          }
          d[l] -= p;
          e[l] = g;
          e[m] = 0.0;
        }
      } while (m != l);
    }
    return d;
  }
}
