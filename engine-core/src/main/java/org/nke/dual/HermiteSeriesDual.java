package org.nke.dual;

import java.util.Optional;
import org.nke.hermite.HermiteExpansion;

/**
 * Numerical dual of any activation by its Hermite series (Mehler's formula; Han et al. 2022, §3):
 *
 * <pre>{@code
 * K' = Σ_{k≤q} c_k(a) c_k(b) ρ^k,   K̇ = Σ_{k≤q'} c'_k(a) c'_k(b) ρ^k,
 * a = √k_xx,  b = √k_yy,  ρ = k_xy / (a b)
 * }</pre>
 *
 * with the coefficients {@code c_k}, {@code c'_k} of {@code φ} and {@code φ'} at each point's own
 * scale computed once per point by Gauss–Hermite quadrature ({@link HermiteExpansion}), so a pair
 * costs {@code O(q)} instead of the {@code O(deg²)} activation evaluations of direct 2-D quadrature.
 *
 * <p><b>Accuracy.</b> By Cauchy–Schwarz the truncation error of a pair is at most
 * {@code T_a T_b}, where {@code T_a² = Σ_{k>q} c_k(a)²} is the tail at that point. The degree
 * {@code q} is raised (up to {@link HermiteExpansion#MAX_DEGREE}) until every point's relative tail
 * satisfies {@code T_a² ≤ tol · E[φ(a z)²]}, so that {@code |error| ≤ tol · √(K'_xx K'_yy)}; the
 * default {@code tol = 1e−11}. Smooth activations meet it with {@code q} of a few hundred at
 * moderate variances (Tanh at {@code k = 3}: {@code q ≈ 200}); activations with kinks (ELU, SELU)
 * or very large variances (Tanh at {@code k ≥ 10}) have algebraically decaying tails and stop at the
 * maximum degree: {@link BoundDual#errorBound()} then reports the bound reached. A pair with
 * correlation {@code |ρ| < 1} is summed only to the degree {@code m} where {@code |ρ|^{m+1} ≤ tol},
 * which bounds the rest of the series by {@code tol · √(K'_xx K'_yy)} as well.
 *
 * <p><b>Diagonal.</b> The diagonal map {@link #diagonal} and every entry with
 * {@code k_xy = k_xx = k_yy} (bitwise: a point with itself, so {@code u = v}) are not summed but
 * computed exactly, {@code K' = E[φ(a z)²]} and {@code K̇ = E[φ'(a z)²]} by adaptive 1-D quadrature
 * to 1e−13 relative ({@link HermiteExpansion#moment}); both use the same function, so the diagonal
 * entries of a block equal the diagonal recursion's variances bit for bit. The series at
 * {@code ρ = 1} is where truncation hurts most (the tail {@code T_a²} itself): Tanh at variance 14
 * left the self-NTK 2.7e−7 off before this.
 */
public final class HermiteSeriesDual extends NumericalDual {
  /** Default relative error bound. */
  public static final double DEFAULT_TOL = 1e-11;
  private static final int START_DEGREE = 32;
  /**
   * The degree the cost rule assumes: the degree is chosen per block from the variances
   * ({@link #bind}), from {@value #START_DEGREE} up to {@link HermiteExpansion#MAX_DEGREE}; Tanh at
   * moderate variances needs about 200 at {@code ρ = 1}, and weakly correlated pairs stop far earlier
   * ({@link #truncationDegree}), so 128 terms is a typical count, not a bound.
   */
  static final int ESTIMATE_DEGREE = 128;

  private final double tol;
  /** Expansions by degree, built on first use (they cost {@code O(q²)}); a memo, not shared state. */
  private final java.util.concurrent.ConcurrentHashMap<Integer, HermiteExpansion> expansions =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * @param name how the layer was written, e.g. {@code Tanh()}
   * @param fn the activation
   * @param tol relative error bound, in (0, 1)
   */
  public HermiteSeriesDual(String name, ActivationFunction fn, double tol) {
    super(name, fn);
    if (!(tol > 0 && tol < 1)) {
      throw new IllegalArgumentException("tolerance must be in (0, 1), got " + tol);
    }
    this.tol = tol;
  }

  /** @return the requested relative error bound */
  public double tolerance() {
    return tol;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Horner's rule, 3 flops per term ({@code v·ρ + c_k(a)·c_k(b)}) over
   * {@value #ESTIMATE_DEGREE} + 1 terms, plus 4 for {@code ρ}; the derivative's series the same, plus
   * the product {@code Θ·K̇}.
   */
  @Override
  public double flopsPerEntry(boolean withDerivative) {
    double series = 3.0 * (ESTIMATE_DEGREE + 1);
    return series + 4 + (withDerivative ? series + 1 : 0);
  }

  /**
   * @return the coefficient tables of {@value #ESTIMATE_DEGREE} + 1 terms (twice with the derivative)
   *     and three per-point scalars, 8 bytes each
   */
  @Override
  public long bytesPerPoint(boolean withDerivative) {
    return 8L * ((ESTIMATE_DEGREE + 1) * (withDerivative ? 2 : 1) + 3);
  }

  @Override
  public double diagonal(double kxx) {
    return HermiteExpansion.moment(fn, Math.sqrt(Math.max(kxx, 0)), false);
  }

  @Override
  public BoundDual bind(double[] varX, double[] varY, boolean withDerivative) {
    // Choose the degree on a few representative variances, then tabulate every point once; raise it
    // again only if some point still misses the tolerance.
    double[] probe = quantiles(varX, varY);
    int degree = START_DEGREE;
    while (degree < HermiteExpansion.MAX_DEGREE
        && Table.of(expansion(degree), probe, withDerivative).worstTail > tol) {
      degree = Math.min(2 * degree, HermiteExpansion.MAX_DEGREE);
    }
    while (true) {
      HermiteExpansion expansion = expansion(degree);
      Table x = Table.of(expansion, varX, withDerivative);
      Table y = varY == varX ? x : Table.of(expansion, varY, withDerivative);
      double worst = Math.max(x.worstTail, y.worstTail);
      if (worst <= tol || degree == HermiteExpansion.MAX_DEGREE) {
        return new Series(x, y, worst, tol);
      }
      degree = Math.min(2 * degree, HermiteExpansion.MAX_DEGREE);
    }
  }

  /**
   * The per-pair truncation rule: a pair with {@code |ρ| < 0.999} is summed to the smallest degree
   * {@code m} with {@code |ρ|^m ≤ tol}, i.e. {@code ⌈ln tol / ln|ρ|⌉}, never beyond
   * {@code maxDegree}; other pairs (and NaN) to {@code maxDegree}.
   *
   * @param absRho {@code |ρ|}
   * @param maxDegree the highest degree tabulated
   * @param logTol {@code ln(tol)}
   * @return the degree to sum to
   */
  public static int truncationDegree(double absRho, int maxDegree, double logTol) {
    int top = maxDegree;
    if (absRho < 0.999) {
      top = (int) Math.min(top, Math.ceil(logTol / Math.log(absRho)));
    }
    return top;
  }

  private HermiteExpansion expansion(int degree) {
    return expansions.computeIfAbsent(degree, q -> HermiteExpansion.of(fn, q));
  }

  /** Up to 17 order statistics of the union of both variance sets (minimum and maximum included). */
  private static double[] quantiles(double[] a, double[] b) {
    double[] all = new double[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    java.util.Arrays.sort(all);
    int m = Math.min(17, all.length);
    double[] q = new double[m];
    for (int k = 0; k < m; k++) {
      q[k] = all[m == 1 ? 0 : (int) ((long) k * (all.length - 1) / (m - 1))];
    }
    return q;
  }

  /** Per-point coefficients of {@code φ} (and {@code φ'}) and the worst relative squared tail. */
  private static final class Table {
    final int stride;
    final double[] coef;
    final double[] dcoef;
    final double[] invScale;
    /** The variances, by reference. */
    final double[] var;
    /** {@code E[φ(a z)²]} and {@code E[φ'(a z)²]} per point (the latter {@code null} without NTK). */
    final double[] moment;
    final double[] dmoment;
    final double worstTail;

    private Table(int stride, double[] coef, double[] dcoef, double[] invScale, double[] var,
        double[] moment, double[] dmoment, double worstTail) {
      this.stride = stride;
      this.coef = coef;
      this.dcoef = dcoef;
      this.invScale = invScale;
      this.var = var;
      this.moment = moment;
      this.dmoment = dmoment;
      this.worstTail = worstTail;
    }

    static Table of(HermiteExpansion e, double[] var, boolean withDerivative) {
      int stride = e.maxDegree() + 1;
      double[] coef = new double[var.length * stride];
      double[] dcoef = withDerivative ? new double[var.length * stride] : null;
      double[] inv = new double[var.length];
      double[] moment = new double[var.length];
      double[] dmoment = withDerivative ? new double[var.length] : null;
      double worst = 0;
      for (int i = 0; i < var.length; i++) {
        double a = Math.sqrt(Math.max(var[i], 0));
        inv[i] = a > 0 ? 1 / a : 0;
        double[] c = e.coefficients(a);
        System.arraycopy(c, 0, coef, i * stride, stride);
        moment[i] = e.secondMoment(a);
        worst = Math.max(worst, relativeTail(c, moment[i]));
        if (withDerivative) {
          double[] d = e.derivativeCoefficients(a);
          System.arraycopy(d, 0, dcoef, i * stride, stride);
          dmoment[i] = e.derivativeSecondMoment(a);
          worst = Math.max(worst, relativeTail(d, dmoment[i]));
        }
      }
      return new Table(stride, coef, dcoef, inv, var, moment, dmoment, worst);
    }

    private static double relativeTail(double[] c, double moment) {
      if (moment <= 0) {
        return 0;
      }
      double s = 0;
      for (double v : c) {
        s += v * v;
      }
      return Math.max(moment - s, 0) / moment;
    }
  }

  /** The series evaluated per pair by Horner's rule in {@code ρ}. */
  private static final class Series implements BoundDual {
    private final Table x;
    private final Table y;
    private final double bound;
    private final double logTol;

    Series(Table x, Table y, double bound, double tol) {
      this.x = x;
      this.y = y;
      this.bound = bound;
      this.logTol = Math.log(tol);
    }

    @Override
    public double errorBound() {
      return bound;
    }

    @Override
    public Optional<SeriesTables> seriesTables() {
      return Optional.of(new SeriesTables(x.stride, x.coef, y.coef, x.dcoef, y.dcoef, x.invScale,
          y.invScale, logTol));
    }

    @Override
    public void applyRow(int i, int j0, int len, double[] nngp, double[] ntk, int off) {
      int stride = x.stride;
      int bi = i * stride;
      for (int t = 0; t < len; t++) {
        int j = j0 + t;
        int bj = j * stride;
        double kxy = nngp[off + t];
        if (kxy == x.var[i] && kxy == y.var[j]) {
          // u = v: the exact 1-D moments, not the series at ρ = 1 (where its tail is largest)
          nngp[off + t] = x.moment[i];
          if (ntk != null) {
            ntk[off + t] *= x.dmoment[i];
          }
          continue;
        }
        double rho = nngp[off + t] * x.invScale[i] * y.invScale[j];
        rho = Math.max(-1, Math.min(1, rho));
        // Per-pair truncation: Σ_{k>m} |c_k(a) c_k(b) ρ^k| ≤ |ρ|^{m+1} √(E_a E_b) ≤ tol √(E_a E_b)
        // once |ρ|^{m+1} ≤ tol, so weakly correlated pairs need far fewer terms.
        int top = truncationDegree(Math.abs(rho), stride - 1, logTol);
        double v = 0;
        for (int k = top; k >= 0; k--) {
          v = v * rho + x.coef[bi + k] * y.coef[bj + k];
        }
        nngp[off + t] = v;
        if (ntk != null) {
          double d = 0;
          for (int k = top; k >= 0; k--) {
            d = d * rho + x.dcoef[bi + k] * y.dcoef[bj + k];
          }
          ntk[off + t] *= d;
        }
      }
    }
  }
}
