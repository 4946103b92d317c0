package org.nke.hermite;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Hermite coefficients of an activation positively homogeneous of degree {@code n ≥ 1}
 * ({@code φ(a z) = aⁿ φ(z)} for {@code a > 0}: the ABReLU family with {@code n = 1}, rectified
 * monomials), from those at unit scale:
 *
 * <pre>{@code c_k(a) = aⁿ c_k(1),   c'_k(a) = aⁿ⁻¹ c'_k(1)}</pre>
 *
 * Folding commutes with the scaling (the folded tail is a sum of squares), so the folded coefficients
 * scale the same way. The unit-scale coefficients are computed once per degree by the wrapped source
 * and kept (a per-instance cache; instances are immutable otherwise and thread-safe): a per-pixel
 * sketch then costs {@code q} multiplications per pixel instead of a quadrature.
 */
public final class HomogeneousHermiteSource implements HermiteSource {
  private final HermiteSource unit;
  private final int degree;
  private final ConcurrentHashMap<Integer, double[]> cache = new ConcurrentHashMap<>();

  /**
   * @param unit the coefficients by quadrature (or any exact source)
   * @param degree the degree of homogeneity {@code n}, at least 1
   */
  public HomogeneousHermiteSource(HermiteSource unit, int degree) {
    if (degree < 1) {
      throw new IllegalArgumentException("degree of homogeneity must be at least 1, got " + degree);
    }
    this.unit = unit;
    this.degree = degree;
  }

  @Override
  public double[] coefficients(double scale, int q, boolean derivative, boolean fold) {
    int key = (q << 2) | (derivative ? 2 : 0) | (fold ? 1 : 0);
    double[] c1 = cache.computeIfAbsent(key, k -> unit.coefficients(1, q, derivative, fold));
    double a = Math.max(scale, 0);
    double s = Math.pow(a, derivative ? degree - 1 : degree);
    double[] c = new double[q + 1];
    for (int k = 0; k <= q; k++) {
      c[k] = s * c1[k];
    }
    return c;
  }
}
