package org.nke.sketch;

import org.nke.arch.Architecture;
import org.nke.dual.ABReluDual;
import org.nke.dual.DualActivation;
import org.nke.dual.RectifiedMonomialDual;
import org.nke.error.ArchException;
import org.nke.exact.DenseNetwork.Affine;
import org.nke.exact.DenseNetwork;
import org.nke.exact.FeatureShape;
import org.nke.exact.Sketcher;
import org.nke.hermite.HermiteSource;
import org.nke.ir.FeatureMap;
import org.nke.ir.FeatureMerge;
import org.nke.ir.Join;

/**
 * The NNGP and NTK of a bias-free network with homogeneous activations as power series in the input
 * correlation (Han et al. 2022, §5): with {@code ρ = x·y / (‖x‖‖y‖)} and {@code h} the network's
 * degree of homogeneity,
 *
 * <pre>{@code K(x, y) = (‖x‖‖y‖/d)^h Σ_i β_i ρ^i,   Θ(x, y) = (‖x‖‖y‖/d)^h Σ_i γ_i ρ^i,   β_i, γ_i ≥ 0.}</pre>
 *
 * The series are composed layer by layer in truncated power-series arithmetic: a Dense layer scales
 * them ({@code K ← σ_w² K}, {@code Θ ← a K + b Θ}); an activation homogeneous of degree {@code n} with
 * unit-variance dual {@code κ(r) = Σ_j c_j(1)² r^j} and derivative dual {@code κ̇(r) = Σ_j c'_j(1)² r^j}
 * maps, with {@code s = K(1)} the unit-norm diagonal,
 *
 * <pre>{@code K ← s^n κ(K/s),   Θ ← Θ · s^{n−1} κ̇(K/s),   h ← h n.}</pre>
 *
 * Compositions of series with non-negative coefficients have non-negative coefficients. The mass the
 * truncation loses is restored from the exact values at {@code ρ = ±1} (scalar recursions) onto the
 * top two degrees, by parity, so the series is exact on the diagonal. Supported: ABReLU family
 * (ReLU, LeakyReLU, Abs) and rectified monomials; biases must be zero (they break homogeneity).
 */
public final class HomogeneousSeries {
  private final int homogeneity;
  private final double[] nngp;
  private final double[] ntk;

  private HomogeneousSeries(int homogeneity, double[] nngp, double[] ntk) {
    this.homogeneity = homogeneity;
    this.nngp = nngp;
    this.ntk = ntk;
  }

  /**
   * @param arch a bias-free fully connected network with homogeneous activations
   * @param inputDim input dimension (for the standard parameterization's widths)
   * @param degree the truncation degree {@code Q} of the series
   * @return the series
   * @throws ArchException if the network is not homogeneous
   */
  public static HomogeneousSeries of(Architecture arch, int inputDim, int degree) {
    Composer c = new Composer(degree);
    DenseNetwork.compile(arch, inputDim).sketch(c, new double[] {1});
    fold(c.k, c.kxy[0], c.kxy[1]);
    fold(c.t, c.th[0], c.th[1]);
    return new HomogeneousSeries(c.h, c.k, c.t);
  }

  /**
   * Composes the series layer by layer in program order, as a {@link Sketcher} whose "features" are
   * the series themselves, and the exact {@code K}, {@code Θ} at {@code ρ = ±1} for unit-norm inputs
   * alongside; it refuses what does not keep a network homogeneous and serial.
   */
  private static final class Composer implements Sketcher {
    private final int q;
    private double[] k;
    private double[] t;
    private int h = 1;
    private double kxx = 1;
    private final double[] kxy = {1, -1};
    private final double[] th = {0, 0};

    Composer(int q) {
      this.q = q;
      this.k = new double[q + 1];
      this.k[1] = 1;
      this.t = new double[q + 1];
    }

    @Override
    public boolean ntk() {
      return true;
    }

    @Override
    public int budget() {
      return 1;
    }

    @Override
    public FeatureMap identity(String where, FeatureShape in) {
      return NONE;
    }

    @Override
    public FeatureMap affine(String where, Affine a, FeatureShape in) {
      if (a.b2() != 0 || a.ntkConstant() != 0) {
        throw new ArchException(where + " has a bias; the subspace embedding needs a bias-free "
            + "network (b_std=0), whose kernel is homogeneous: use the dense sketch (--method "
            + "sketch) for networks with biases");
      }
      // bias-free: the layer's scalar rules are linear, so they act on each homogeneous term
      for (int i = 0; i <= q; i++) {
        t[i] = a.ntk(k[i], t[i]);
        k[i] = a.nngp(k[i]);
      }
      for (int sign = 0; sign < 2; sign++) {
        th[sign] = a.ntk(kxy[sign], th[sign]);
        kxy[sign] = a.nngp(kxy[sign]);
      }
      kxx = a.nngp(kxx);
      return NONE;
    }

    @Override
    public FeatureMap activation(String where, DualActivation dual, FeatureShape in) {
      int n = homogeneity(dual, where);
      HermiteSource src = SketchPlan.hermiteSource(dual);
      double[] c = src.coefficients(1.0, q, false, false);
      double[] dc = src.coefficients(1.0, q, true, false);
      double s = 0;
      for (double v : k) {
        s += v;
      }
      double[] r = scale(k, 1 / s);
      double[] kNew = new double[q + 1];
      double[] kDot = new double[q + 1];
      double[] power = new double[q + 1];
      power[0] = 1;
      for (int j = 0; j <= q; j++) {
        axpy(Math.pow(s, n) * c[j] * c[j], power, kNew);
        axpy(Math.pow(s, n - 1) * dc[j] * dc[j], power, kDot);
        power = multiply(power, r);
      }
      t = multiply(t, kDot);
      k = kNew;
      h *= n;
      for (int sign = 0; sign < 2; sign++) {
        th[sign] *= dual.derivative(kxx, kxx, kxy[sign]);
        kxy[sign] = dual.value(kxx, kxx, kxy[sign]);
      }
      kxx = dual.diagonal(kxx);
      return NONE;
    }

    @Override
    public FeatureMap normalize(String where, double eps, FeatureShape in) {
      throw refused(where);
    }

    @Override
    public FeatureMerge concatenate(String where, Join join, FeatureShape acc, FeatureShape in) {
      throw refused(where);
    }

    @Override
    public FeatureMerge product(String where, int branch, FeatureShape acc, FeatureShape in) {
      throw refused(where);
    }

    @Override
    public FeatureMap project(String where, FeatureShape in) {
      throw refused(where);
    }

    private static ArchException refused(String where) {
      return new ArchException(where + " is not supported by the subspace embedding, which needs a "
          + "serial bias-free network of Dense and homogeneous activations: use the dense sketch "
          + "(--method sketch) for branching networks and LayerNorm");
    }
  }

  /** The features of the composer: none (it composes series, not features). */
  private static final FeatureMap NONE = new FeatureMap() {
    @Override
    public org.nke.ir.PointFeatures apply(org.nke.ir.PointFeatures in) {
      return in;
    }

    @Override
    public int nngpDim() {
      return 0;
    }

    @Override
    public int ntkDim() {
      return 0;
    }
  };

  private static int homogeneity(DualActivation dual, String where) {
    if (dual instanceof ABReluDual) {
      return 1;
    }
    if (dual instanceof RectifiedMonomialDual r) {
      return Integer.parseInt(r.describe().replaceAll("\\D+", ""));
    }
    throw new ArchException("activation " + dual.describe() + " at " + where + " is not "
        + "homogeneous; the subspace embedding supports ReLU, LeakyRelu, Abs, ABRelu and "
        + "RectifiedMonomial: use the dense sketch (--method sketch) for other activations");
  }

  /** Adds the missing mass of each parity, from {@code f(1)} and {@code f(−1)}, to the top degrees. */
  private static void fold(double[] c, double plus, double minus) {
    double even = 0.5 * (plus + minus);
    double odd = 0.5 * (plus - minus);
    int q = c.length - 1;
    for (int i = 0; i <= q; i++) {
      if (i % 2 == 0) {
        even -= c[i];
      } else {
        odd -= c[i];
      }
    }
    c[q % 2 == 0 ? q : q - 1] += Math.max(even, 0);
    c[q % 2 == 1 ? q : q - 1] += Math.max(odd, 0);
  }

  private static double[] scale(double[] a, double f) {
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i] * f;
    }
    return out;
  }

  private static void axpy(double f, double[] x, double[] y) {
    for (int i = 0; i < x.length; i++) {
      y[i] += f * x[i];
    }
  }

  /** Product of two power series, truncated at their common degree. */
  private static double[] multiply(double[] a, double[] b) {
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      if (a[i] != 0) {
        for (int j = 0; i + j < a.length; j++) {
          out[i + j] += a[i] * b[j];
        }
      }
    }
    return out;
  }

  /** @return the degree of homogeneity {@code h} */
  public int homogeneity() {
    return homogeneity;
  }

  /** @return {@code β_0 … β_Q} of the NNGP (copy) */
  public double[] nngp() {
    return nngp.clone();
  }

  /** @return {@code γ_0 … γ_Q} of the NTK (copy) */
  public double[] ntk() {
    return ntk.clone();
  }
}
