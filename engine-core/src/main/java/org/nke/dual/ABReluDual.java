package org.nke.dual;

import java.util.Optional;

/**
 * Dual of {@code φ(x) = a·min(x, 0) + b·max(x, 0)} (ReLU = (0, 1), LeakyReLU(α) = (α, 1),
 * Abs = (−1, 1)): the arc-cosine kernel of order one (Cho &amp; Saul 2009, eq. 6; stax {@code ABRelu}).
 * With {@code θ = arccos(k_xy / √(k_xx k_yy))}:
 *
 * <pre>{@code
 * K' = (a − b)²/(2π) · √(k_xx k_yy − k_xy²) + [(a² + b²)/2 − (a − b)² θ/(2π)] · k_xy
 * K̇  = (a² + b²)/2 − (a − b)² θ/(2π)
 * }</pre>
 *
 * For ReLU this is {@code K' = √(k_xx k_yy)(sin θ + (π − θ) cos θ)/(2π)}, {@code K̇ = (π − θ)/(2π)}.
 * Exact for all variances, including 0 ({@code θ = π/2} when {@code k_xx k_yy = 0}, as in stax).
 * {@code θ = arccos(k_xy / √(k_xx k_yy))} by {@link ArcCosine} (1 ulp, inlined): the block loop
 * ({@link #bind}) allocates nothing per entry and is the inner loop of ReLU CNTK layers. When
 * {@code k_xy = k_xx = k_yy} bitwise (a point with itself) {@code ρ = 1} exactly, so {@code θ = 0}.
 *
 * <p><b>Near-collinear pairs.</b> {@code θ = arccos ρ} of a rounded {@code ρ} is only accurate to
 * {@code √ε ≈ 1e−8} near {@code ρ = ±1} (pairs {@code x, 3x}, {@code x, −2x}, {@code x, x + 1e−9 e}),
 * and the error grows through the layers (1e−4 relative on the NTK of a depth-4 Abs network). A
 * block that carries the pair angles ({@link #carriesAngles()}, used by the exact dense kernel of
 * bias-free networks) is updated in angle form by {@link ArcCosineAngle} instead: {@code θ} comes in
 * exact to about 1 ulp of {@code π}, and {@code K'}, {@code K̇} and the next angle are computed from
 * it without cancellation (≤ 1e−13 relative against a 50-digit reference at depths 2–4).
 */
public final class ABReluDual extends ClosedFormDual {
  private final double a;
  private final double b;
  private final String name;

  /**
   * @param a slope for {@code x < 0}
   * @param b slope for {@code x > 0}
   * @param name how the layer was written ({@code Relu}, {@code LeakyRelu(alpha=0.1)}, …)
   */
  public ABReluDual(double a, double b, String name) {
    this.a = a;
    this.b = b;
    this.name = name;
  }

  /** @return the ReLU dual, {@code ABRelu(0, 1)} */
  public static ABReluDual relu() {
    return new ABReluDual(0, 1, "Relu()");
  }

  /**
   * @param alpha the slope for negative inputs
   * @return the leaky-ReLU dual, {@code ABRelu(alpha, 1)}
   */
  public static ABReluDual leakyRelu(double alpha) {
    return new ABReluDual(alpha, 1, "LeakyRelu(alpha=" + num(alpha) + ")");
  }

  /** @return the absolute-value dual, {@code ABRelu(−1, 1)} */
  public static ABReluDual abs() {
    return new ABReluDual(-1, 1, "Abs()");
  }

  @Override
  protected void evaluate(double kxx, double kyy, double kxy, double[] out) {
    double s2 = kxx * kyy;
    double sinPart = safeSqrt(s2 - kxy * kxy);
    double theta = theta(s2, kxy);
    double factor = (a - b) * (a - b) / (2 * Math.PI);
    double dot = (a * a + b * b) / 2 - factor * theta;
    out[VALUE] = factor * sinPart + dot * kxy;
    out[DERIVATIVE] = dot;
  }

  /** @return the slope {@code a} for {@code x < 0} */
  public double a() {
    return a;
  }

  /** @return the slope {@code b} for {@code x > 0} */
  public double b() {
    return b;
  }

  /** {@code θ = arccos(k_xy/√(k_xx k_yy))}, clamped to {@code [0, π]}; {@code π/2} if {@code k_xx k_yy = 0}. */
  private static double theta(double s2, double kxy) {
    return s2 > 0 ? ArcCosine.acos(kxy / Math.sqrt(s2)) : Math.PI / 2;
  }

  /**
   * The same formula as {@link #evaluate} as a tight loop over a row of entries, with
   * {@code ρ = k_xy · (1/√k_xx) · (1/√k_yy)} from per-point inverse roots computed here once (two
   * square roots and a division fewer per entry; {@code ρ} within a few ulps of {@link #evaluate}'s).
   * A collinear pair ({@code k_xx k_yy − k_xy² ≤ 0} in floating point, e.g. a point with itself)
   * gets {@code ρ = ±1} exactly, as {@link #evaluate} does.
   */
  @Override
  public BoundDual bind(double[] varX, double[] varY, boolean withDerivative) {
    double factor = (a - b) * (a - b) / (2 * Math.PI);
    double mean = (a * a + b * b) / 2;
    double[] invX = inverseRoots(varX);
    double[] invY = varY == varX ? invX : inverseRoots(varY);
    return new Bound(varX, varY, invX, invY, factor, mean);
  }

  /** The row loop, in covariance form and in angle form. */
  private final class Bound implements BoundDual {
    private final double[] varX;
    private final double[] varY;
    private final double[] invX;
    private final double[] invY;
    private final double factor;
    private final double mean;

    Bound(double[] varX, double[] varY, double[] invX, double[] invY, double factor, double mean) {
      this.varX = varX;
      this.varY = varY;
      this.invX = invX;
      this.invY = invY;
      this.factor = factor;
      this.mean = mean;
    }

    @Override
    public void applyRow(int i, int j0, int len, double[] nngp, double[] ntk, int off) {
      double kxx = varX[i];
      double ix = invX[i];
      for (int t = 0; t < len; t++) {
        double kxy = nngp[off + t];
        double kyy = varY[j0 + t];
        double sinPart = safeSqrt(kxx * kyy - kxy * kxy);
        // ρ = ±1 exactly when the pair is collinear in floating point (θ = 0 or π, as atan2 gives)
        double rho = sinPart == 0 ? Math.signum(kxy) : kxy * ix * invY[j0 + t];
        double dot = mean - factor * ArcCosine.acos(rho);
        nngp[off + t] = factor * sinPart + dot * kxy;
        if (ntk != null) {
          ntk[off + t] *= dot;
        }
      }
    }

    /** {@code K' = s · (K'/s)(θ)}, {@code K̇(θ)}, {@code θ ← θ'} by {@link ArcCosineAngle#step}. */
    @Override
    public void applyRow(int i, int j0, int len, double[] nngp, double[] ntk, double[] angle,
        int off) {
      double[] out = new double[3];
      double kxx = varX[i];
      for (int t = 0; t < len; t++) {
        double s2 = kxx * varY[j0 + t];
        // a zero-variance point: θ = π/2 (as stax and the covariance form), K' = 0
        double theta = s2 > 0 ? angle[off + t] : Math.PI / 2;
        ArcCosineAngle.step(a, b, theta, out);
        nngp[off + t] = Math.sqrt(s2) * out[0];
        if (ntk != null) {
          ntk[off + t] *= out[1];
        }
        angle[off + t] = s2 > 0 ? out[2] : Math.PI / 2;
      }
    }
  }

  @Override
  public boolean carriesAngles() {
    return true;
  }

  /** {@code 1/√v} per point, 0 where {@code v ≤ 0} (then {@code ρ = 0}, {@code θ = π/2}, as stax). */
  private static double[] inverseRoots(double[] v) {
    double[] r = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      r[i] = v[i] > 0 ? 1 / Math.sqrt(v[i]) : 0;
    }
    return r;
  }

  @Override
  public String describe() {
    return name;
  }

  @Override
  public Optional<ActivationFunction> function() {
    return Optional.of(new ActivationFunction() {
      @Override
      public double value(double x) {
        return x < 0 ? a * x : b * x;
      }

      @Override
      public double derivative(double x) {
        return x < 0 ? a : b;
      }

      @Override
      public boolean smooth() {
        return a == b;
      }
    });
  }
}
