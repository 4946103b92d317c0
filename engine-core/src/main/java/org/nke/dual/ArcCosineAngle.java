package org.nke.dual;

/**
 * The arc-cosine dual ({@link ABReluDual}) written in the angle {@code θ} between the two
 * pre-activations instead of their correlation {@code ρ = cos θ}, so that an angle carried between
 * layers keeps its accuracy near {@code ρ = ±1}, where {@code θ = arccos ρ} of a rounded {@code ρ}
 * loses half the digits ({@code δθ ≈ √(2 δρ)}: 1e−8 for a pair 1e−9 apart).
 *
 * <p>For {@code φ = a·min(x, 0) + b·max(x, 0)}, with {@code m = (a² + b²)/2},
 * {@code f = (a − b)²/(2π)}, {@code s = √(k_xx k_yy)} and {@code g(t) = sin t − t cos t}
 * (Cho &amp; Saul 2009, eq. 6, rearranged):
 *
 * <pre>{@code
 * θ ≤ π/2:               K'/s = m cos θ + f g(θ)          K̇ = m − f θ
 *                        m(1 − ρ') = 2m sin²(θ/2) − f g(θ)
 *                        m(1 + ρ') = 2m cos²(θ/2) + f g(θ)
 * θ > π/2, ψ = π − θ:    K'/s = f g(ψ) − ab cos ψ          K̇ = ab + f ψ
 *                        m(1 − ρ') = (a + b)²/2 − 2ab sin²(ψ/2) − f g(ψ)
 *                        m(1 + ρ') = (a − b)²/2 + 2ab sin²(ψ/2) + f g(ψ)
 * θ' = 2 atan2(√(m(1 − ρ')), √(m(1 + ρ')))
 * }</pre>
 *
 * Every form is free of cancellation where it is used: {@code g(t) ≈ t³/3} is summed as its Taylor
 * series {@code Σ_{k≥1} (−1)^{k+1} 2k t^{2k+1}/(2k+1)!} for {@code t < 1}, and on each branch the
 * subtracted term is of higher order than the one it is subtracted from (at {@code θ → 0},
 * {@code m θ²/2} against {@code f θ³/3}; at {@code ψ → 0} for Abs, where {@code (a + b)² = 0},
 * {@code −2ab ψ²/4} against {@code f ψ³/3}). Hence an angle known to an absolute error {@code ε}
 * gives {@code K'}, {@code K̇} and {@code θ'} to about {@code ε} absolute as well, at any depth. With
 * {@code s = 0} (a zero-variance point) the angle is taken as {@code π/2}, as stax does.
 *
 * <p>Input angles come from the points themselves:
 * {@code θ⁰ = 2 atan2(‖x̂ − ŷ‖, ‖x̂ + ŷ‖)}, {@code x̂ = x/‖x‖} (Kahan's formula: accurate to a few ulps
 * of {@code π} for every angle, unlike {@code arccos(x·y/(‖x‖‖y‖))}); a bias-free Dense layer keeps
 * the angle ({@code K' = σ_w² K}).
 */
public final class ArcCosineAngle {
  private ArcCosineAngle() {
  }

  /**
   * {@code g(t) = sin t − t cos t}, by its Taylor series below 1 (no cancellation).
   *
   * @param t in {@code [0, π]}
   * @return {@code g(t)}
   */
  static double g(double t) {
    if (t >= 1) {
      return Math.sin(t) - t * Math.cos(t);
    }
    double t2 = t * t;
    // p_k = t^{2k+1}/(2k+1)!, p_1 = t³/6, p_{k+1} = p_k t²/((2k+2)(2k+3)); term (−1)^{k+1} 2k p_k
    double p = t * t2 / 6;
    double sum = 0;
    double sign = 1;
    for (int k = 1; k <= 12; k++) {
      sum += sign * 2 * k * p;
      p *= t2 / ((2 * k + 2) * (2 * k + 3));
      sign = -sign;
    }
    return sum;
  }

  /**
   * The input angle of two points, {@code 2 atan2(‖x̂ − ŷ‖, ‖x̂ + ŷ‖)}.
   *
   * @param xHat a unit vector ({@link #unit}), or {@code null} for a zero point; not modified
   * @param yHat a unit vector, or {@code null}; not modified
   * @return the angle in {@code [0, π]}, {@code π/2} if either point is zero
   */
  public static double between(double[] xHat, double[] yHat) {
    if (xHat == null || yHat == null) {
      return Math.PI / 2;
    }
    double minus = 0;
    double plus = 0;
    for (int k = 0; k < xHat.length; k++) {
      double d = xHat[k] - yHat[k];
      double s = xHat[k] + yHat[k];
      minus += d * d;
      plus += s * s;
    }
    return 2 * Math.atan2(Math.sqrt(minus), Math.sqrt(plus));
  }

  /**
   * @param x a point, not modified
   * @return {@code x/‖x‖}, or {@code null} if {@code x = 0}
   */
  public static double[] unit(double[] x) {
    double max = 0;
    for (double v : x) {
      max = Math.max(max, Math.abs(v));
    }
    if (max == 0) {
      return null;
    }
    // scale by the largest entry first so that the norm neither overflows nor underflows
    double s = 0;
    for (double v : x) {
      double r = v / max;
      s += r * r;
    }
    double norm = Math.sqrt(s);
    double[] u = new double[x.length];
    for (int k = 0; k < x.length; k++) {
      u[k] = x[k] / max / norm;
    }
    return u;
  }

  /**
   * One activation layer in angle form: writes {@code K'/s}, {@code K̇} and {@code θ'} (see the class
   * comment).
   *
   * @param a slope for {@code x < 0}
   * @param b slope for {@code x > 0}
   * @param theta the angle in {@code [0, π]}
   * @param out {@code {K'/s, K̇, θ'}}; modified
   */
  static void step(double a, double b, double theta, double[] out) {
    double m = (a * a + b * b) / 2;
    double f = (a - b) * (a - b) / (2 * Math.PI);
    double minus;
    double plus;
    if (theta <= Math.PI / 2) {
      double sh = Math.sin(theta / 2);
      double ch = Math.cos(theta / 2);
      double gt = g(theta);
      out[0] = m * Math.cos(theta) + f * gt;
      out[1] = m - f * theta;
      minus = 2 * m * sh * sh - f * gt;
      plus = 2 * m * ch * ch + f * gt;
    } else {
      double psi = Math.PI - theta;
      double sh = Math.sin(psi / 2);
      double gp = g(psi);
      out[0] = f * gp - a * b * Math.cos(psi);
      out[1] = a * b + f * psi;
      minus = (a + b) * (a + b) / 2 - 2 * a * b * sh * sh - f * gp;
      plus = (a - b) * (a - b) / 2 + 2 * a * b * sh * sh + f * gp;
    }
    out[2] = m > 0 ? 2 * Math.atan2(Math.sqrt(Math.max(minus, 0)), Math.sqrt(Math.max(plus, 0)))
        : Math.PI / 2;
  }
}
