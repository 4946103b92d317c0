package org.nke.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * Independent references for Gaussian expectations, written for the tests and sharing no code with
 * {@code org.nke.hermite}: composite Gauss–Legendre quadrature on {@code [−L, L]} (L = 9.5, so the
 * neglected Gaussian mass is below 1e−20), with panel breaks at the kinks of piecewise-smooth
 * activations (at 0 for the outer variable and at {@code z₂ = −ρ z₁ / s} for the inner one), so
 * ReLU-like, step and sign functions integrate to full precision.
 *
 * <p>{@code E[f(u) g(v)]} for {@code u = a z₁}, {@code v = b(ρ z₁ + s z₂)}, {@code s = √(1 − ρ²)},
 * {@code z₁, z₂} independent standard normals.
 */
public final class ReferenceIntegrals {
  private static final double L = 9.5;
  private static final int POINTS = 24;
  private static final double[] GL_X = new double[POINTS];
  private static final double[] GL_W = new double[POINTS];

  static {
    // Gauss–Legendre nodes by Newton's method on P_n (three-term recurrence).
    for (int i = 0; i < POINTS; i++) {
      double x = Math.cos(Math.PI * (i + 0.75) / (POINTS + 0.5));
      double dp = 0;
      for (int it = 0; it < 100; it++) {
        double p0 = 1;
        double p1 = x;
        for (int k = 2; k <= POINTS; k++) {
          double p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
          p0 = p1;
          p1 = p2;
        }
        dp = POINTS * (x * p1 - p0) / (x * x - 1);
        double dx = p1 / dp;
        x -= dx;
        if (Math.abs(dx) < 1e-16) {
          break;
        }
      }
      GL_X[i] = x;
      GL_W[i] = 2 / ((1 - x * x) * dp * dp);
    }
  }

  private final int panels;

  /** @param panels Gauss–Legendre panels across {@code [−L, L]} per dimension */
  public ReferenceIntegrals(int panels) {
    this.panels = panels;
  }

  /** @return a reference with 48 panels (24-point rule each) per dimension */
  public static ReferenceIntegrals standard() {
    return new ReferenceIntegrals(48);
  }

  private static double density(double z) {
    return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
  }

  /** ∫ h(z) φ(z) dz over [lo, hi] with {@code panels} equal panels, splitting at {@code cut}. */
  private double integrate(DoubleUnaryOperator h, double cut) {
    if (cut > -L && cut < L) {
      int left = Math.max(1, (int) Math.round(panels * (cut + L) / (2 * L)));
      int right = Math.max(1, panels - left);
      return segment(h, -L, cut, left) + segment(h, cut, L, right);
    }
    return segment(h, -L, L, panels);
  }

  private static double segment(DoubleUnaryOperator h, double lo, double hi, int n) {
    double width = (hi - lo) / n;
    double sum = 0;
    for (int p = 0; p < n; p++) {
      double mid = lo + (p + 0.5) * width;
      for (int i = 0; i < POINTS; i++) {
        double z = mid + 0.5 * width * GL_X[i];
        sum += 0.5 * width * GL_W[i] * h.applyAsDouble(z) * density(z);
      }
    }
    return sum;
  }

  /**
   * @param f integrand of {@code u}
   * @param g integrand of {@code v}
   * @param kxx variance of {@code u}
   * @param kyy variance of {@code v}
   * @param kxy covariance
   * @return {@code E[f(u) g(v)]}
   */
  public double expectation(DoubleUnaryOperator f, DoubleUnaryOperator g, double kxx, double kyy,
      double kxy) {
    double a = Math.sqrt(kxx);
    double b = Math.sqrt(kyy);
    if (a == 0 || b == 0) {
      return integrate(z -> f.applyAsDouble(a * z), 0) * integrate(z -> g.applyAsDouble(b * z), 0);
    }
    // ρ and s from the covariances directly, so that k_xy = ±k_xx = ±k_yy gives s = 0 exactly
    double prod = kxx * kyy;
    double rho = Math.max(-1, Math.min(1, kxy / Math.sqrt(prod)));
    double s = Math.sqrt(Math.max(0, prod - kxy * kxy) / prod);
    if (s == 0) {
      return integrate(z -> f.applyAsDouble(a * z) * g.applyAsDouble(b * rho * z), 0);
    }
    DoubleUnaryOperator outer = z1 -> {
      double fu = f.applyAsDouble(a * z1);
      if (fu == 0) {
        return 0;
      }
      double cut = -rho * z1 / s;
      return fu * integrate(z2 -> g.applyAsDouble(b * (rho * z1 + s * z2)), cut);
    };
    // The inner expectation varies on the scale s/|ρ| around z₁ = 0 (where the inner kink crosses
    // the origin): grade the outer panels geometrically towards 0 from that width.
    return graded(outer, Math.min(1.0, s / Math.max(Math.abs(rho), 1e-300)));
  }

  private double graded(DoubleUnaryOperator h, double width) {
    List<Double> edges = new ArrayList<>();
    edges.add(0.0);
    for (double e = width; e < L; e *= 2) {
      edges.add(e);
    }
    edges.add(L);
    double maxWidth = 2 * L / panels;
    double sum = 0;
    for (int k = 0; k + 1 < edges.size(); k++) {
      double lo = edges.get(k);
      double hi = edges.get(k + 1);
      int n = Math.max(1, (int) Math.ceil((hi - lo) / maxWidth));
      sum += segment(h, lo, hi, n) + segment(h, -hi, -lo, n);
    }
    return sum;
  }

  /**
   * @param f integrand
   * @param k variance
   * @return {@code E[f(u)]}, {@code u ~ N(0, k)}
   */
  public double expectation(DoubleUnaryOperator f, double k) {
    double a = Math.sqrt(k);
    return graded(z -> f.applyAsDouble(a * z), a > 1 ? 1 / a : 1);
  }
}
