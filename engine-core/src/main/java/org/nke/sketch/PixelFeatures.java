package org.nke.sketch;

import java.util.Arrays;
import org.nke.cntk.Grid;
import org.nke.cntk.Window;

/**
 * One image's features at one layer of a {@link CntkSketch}: per pixel {@code p} of the grid, NNGP
 * features {@code Φ_K(p)} ({@code dK} values) and, for NTK plans, NTK features {@code Φ_Θ(p)}
 * ({@code dT} values), stored pixel-major. Each step returns the next layer's features; a Conv
 * followed by an activation is fused (the Conv's features exist for one pixel at a time).
 */
final class PixelFeatures {
  final Grid grid;
  final int dK;
  final int dT;
  final double[] k;
  final double[] t;

  PixelFeatures(Grid grid, int dK, int dT, double[] k, double[] t) {
    this.grid = grid;
    this.dK = dK;
    this.dT = dT;
    this.k = k;
    this.t = t;
  }

  /**
   * The input layer: {@code Φ_K(p) = x_p / √C} (so that {@code ⟨Φ_K(p), Φ_K(q)⟩ = K⁰(p, q)}),
   * {@code Φ_Θ = ∅}.
   */
  static PixelFeatures input(double[] image, Grid grid, int channels, boolean ntk) {
    double inv = 1 / Math.sqrt(channels);
    double[] k = new double[grid.pixels() * channels];
    for (int i = 0; i < k.length; i++) {
      k[i] = image[i] * inv;
    }
    return new PixelFeatures(grid, channels, 0, k, ntk ? new double[0] : null);
  }

  /** Input pixel offsets of output pixel {@code (ph, pw)}'s taps (−1 outside), times {@code len}. */
  private static void taps(Window w, int ph, int pw, int len, int[] at) {
    Grid in = w.in();
    int t = 0;
    for (int a = 0; a < w.height(); a++) {
      int ih = ph * w.strideHeight() + a - w.padTop();
      for (int b = 0; b < w.width(); b++) {
        int iw = pw * w.strideWidth() + b - w.padLeft();
        boolean inside = ih >= 0 && ih < in.height() && iw >= 0 && iw < in.width();
        at[t++] = inside ? (ih * in.width() + iw) * len : -1;
      }
    }
  }

  /** The exact concatenation {@code concat_δ v(p + δ)}, zeros for absent taps. */
  private static void concat(double[] v, int[] at, int len, double[] out) {
    for (int t = 0; t < at.length; t++) {
      if (at[t] < 0) {
        Arrays.fill(out, t * len, (t + 1) * len, 0.0);
      } else {
        System.arraycopy(v, at[t], out, t * len, len);
      }
    }
  }

  /** {@link PatchSketch#prepare} of every pixel's vector, or the vectors themselves. */
  private static double[] prepared(PatchSketch s, double[] v, int len, int pixels) {
    if (s == null || !s.prepares()) {
      return v;
    }
    double[] out = new double[pixels * s.outputs()];
    double[] work = s.workspace();
    for (int p = 0; p < pixels; p++) {
      s.prepare(v, p * len, work, out, p * s.outputs());
    }
    return out;
  }

  /**
   * A Conv, and the activation after it when {@code next} is not {@code null}.
   *
   * @param step the Conv
   * @param next the following activation, or {@code null}
   * @param variances the exact pre-activation variance of every output pixel (for {@code next}), or
   *     {@code null} to use the squared norms of the features
   * @return the features after the Conv (and the activation)
   */
  PixelFeatures conv(CntkStep.Conv step, CntkStep.Act next, double[] variances) {
    Window w = step.window();
    Grid out = w.out();
    int f = w.size();
    boolean ntk = t != null;
    boolean withTheta = ntk && step.rawT() > 0;
    double[] srcK = prepared(step.k(), k, dK, grid.pixels());
    double[] srcT = withTheta ? prepared(step.t(), t, dT, grid.pixels()) : null;
    int lenK = step.k() == null ? dK : step.k().preparedLength();
    int lenT = step.t() == null ? dT : step.t().preparedLength();
    int[] atK = new int[f];
    int[] atT = new int[f];
    double[] workK = step.k() == null ? null : step.k().workspace();
    double[] workT = step.t() == null ? null : step.t().workspace();
    double[] raw = new double[step.rawK()];
    double[] rawT = new double[step.rawT()];
    double[] phiK = new double[step.outK()];
    double[] phiT = ntk ? new double[step.outT()] : null;
    int outK = next != null ? next.sketch().outputDim() : step.outK();
    int outT = !ntk ? 0 : next != null ? next.sketch().thetaOutputDim() : step.outT();
    double[] nk = new double[out.pixels() * outK];
    double[] nt = ntk ? new double[out.pixels() * outT] : null;
    for (int ph = 0; ph < out.height(); ph++) {
      for (int pw = 0; pw < out.width(); pw++) {
        int p = ph * out.width() + pw;
        taps(w, ph, pw, lenK, atK);
        if (step.k() == null) {
          concat(srcK, atK, dK, raw);
        } else {
          step.k().apply(srcK, atK, 1.0, workK, raw, 0);
        }
        for (int j = 0; j < raw.length; j++) {
          phiK[j] = step.w() * raw[j];
        }
        if (step.bias() > 0) {
          phiK[raw.length] = step.bias();
        }
        if (ntk) {
          if (withTheta) {
            taps(w, ph, pw, lenT, atT);
            if (step.t() == null) {
              concat(srcT, atT, dT, rawT);
            } else {
              step.t().apply(srcT, atT, 1.0, workT, rawT, 0);
            }
          }
          for (int j = 0; j < raw.length; j++) {
            phiT[j] = step.ta() * raw[j];
          }
          for (int j = 0; j < rawT.length; j++) {
            phiT[raw.length + j] = step.tb() * rawT[j];
          }
          if (step.tc() > 0) {
            phiT[raw.length + rawT.length] = step.tc();
          }
        }
        if (next != null) {
          double[][] r = next.sketch().apply(phiK, phiT, variance(variances, p, phiK, 0, phiK.length));
          System.arraycopy(r[0], 0, nk, p * outK, outK);
          if (ntk) {
            System.arraycopy(r[1], 0, nt, p * outT, outT);
          }
        } else {
          System.arraycopy(phiK, 0, nk, p * outK, outK);
          if (ntk) {
            System.arraycopy(phiT, 0, nt, p * outT, outT);
          }
        }
      }
    }
    return new PixelFeatures(out, outK, outT, nk, nt);
  }

  /** An activation on every pixel (one not fused with a Conv, e.g. after a pooling layer). */
  PixelFeatures activation(CntkStep.Act step, double[] variances) {
    ActivationSketch s = step.sketch();
    int outK = s.outputDim();
    int outT = t == null ? 0 : s.thetaOutputDim();
    double[] nk = new double[grid.pixels() * outK];
    double[] nt = t == null ? null : new double[grid.pixels() * outT];
    for (int p = 0; p < grid.pixels(); p++) {
      double[][] r = s.apply(Arrays.copyOfRange(k, p * dK, (p + 1) * dK),
          t == null ? null : Arrays.copyOfRange(t, p * dT, (p + 1) * dT),
          variance(variances, p, k, p * dK, dK));
      System.arraycopy(r[0], 0, nk, p * outK, outK);
      if (t != null) {
        System.arraycopy(r[1], 0, nt, p * outT, outT);
      }
    }
    return new PixelFeatures(grid, outK, outT, nk, nt);
  }

  /**
   * The pre-activation variance of pixel {@code p}: the exact one when given, else the squared norm
   * of its NNGP features {@code v[off … off + len)} (an unbiased estimate).
   */
  private static double variance(double[] exact, int p, double[] v, int off, int len) {
    if (exact != null) {
      return exact[p];
    }
    double s = 0;
    for (int j = off; j < off + len; j++) {
      s += v[j] * v[j];
    }
    return s;
  }

  /** AvgPool: {@code Φ'(P) = Σ_{p ∈ P} Φ(p) / F}, absent pixels zero. */
  PixelFeatures pool(CntkStep.Pool step) {
    Window w = step.window();
    Grid out = w.out();
    double scale = 1.0 / w.size();
    double[] nk = new double[out.pixels() * dK];
    double[] nt = t == null ? null : new double[out.pixels() * dT];
    int[] at = new int[w.size()];
    for (int ph = 0; ph < out.height(); ph++) {
      for (int pw = 0; pw < out.width(); pw++) {
        int p = ph * out.width() + pw;
        taps(w, ph, pw, 1, at);
        average(k, dK, at, scale, nk, p * dK);
        if (t != null) {
          average(t, dT, at, scale, nt, p * dT);
        }
      }
    }
    return new PixelFeatures(out, dK, dT, nk, nt);
  }

  private static void average(double[] v, int len, int[] pixel, double scale, double[] out, int off) {
    for (int pix : pixel) {
      if (pix >= 0) {
        for (int j = 0; j < len; j++) {
          out[off + j] += v[pix * len + j];
        }
      }
    }
    for (int j = 0; j < len; j++) {
      out[off + j] *= scale;
    }
  }

  /**
   * Flatten or GlobalAvgPool.
   *
   * @return the features as one vector each ({@code 1 × 1} grid)
   */
  PixelFeatures readout(CntkStep.Readout step) {
    double[] nk = reduce(step.flatten(), step.k(), k, dK);
    double[] nt = t == null ? null : reduce(step.flatten(), step.t(), t, dT);
    return new PixelFeatures(new Grid(1, 1), nk.length, nt == null ? 0 : nt.length, nk, nt);
  }

  private double[] reduce(boolean flatten, PatchSketch s, double[] v, int len) {
    int n = grid.pixels();
    if (flatten) {
      double inv = 1 / Math.sqrt(n);
      if (s == null) {
        double[] out = new double[n * len];
        for (int i = 0; i < out.length; i++) {
          out[i] = v[i] * inv;
        }
        return out;
      }
      double[] src = prepared(s, v, len, n);
      int[] at = new int[n];
      for (int p = 0; p < n; p++) {
        at[p] = p * s.preparedLength();
      }
      double[] out = new double[s.outputs()];
      s.apply(src, at, inv, s.workspace(), out, 0);
      return out;
    }
    double[] mean = new double[len];
    int[] all = new int[n];
    for (int p = 0; p < n; p++) {
      all[p] = p;
    }
    average(v, len, all, 1.0 / n, mean, 0);
    if (s == null) {
      return mean;
    }
    double[] src = prepared(s, mean, len, 1);
    double[] out = new double[s.outputs()];
    s.apply(src, new int[] {0}, 1.0, s.workspace(), out, 0);
    return out;
  }

  /** A Dense layer after the readout. */
  PixelFeatures affine(CntkStep.Affine step) {
    var a = step.step();
    double w = Math.sqrt(a.w2());
    double[] nk = new double[dK + (a.b2() > 0 ? 1 : 0)];
    for (int j = 0; j < dK; j++) {
      nk[j] = w * k[j];
    }
    if (a.b2() > 0) {
      nk[dK] = Math.sqrt(a.b2());
    }
    double[] nt = null;
    if (t != null) {
      nt = new double[dK + dT + (a.ntkConstant() > 0 ? 1 : 0)];
      double sa = Math.sqrt(a.ntkFromNngp());
      double sb = Math.sqrt(a.ntkFromNtk());
      for (int j = 0; j < dK; j++) {
        nt[j] = sa * k[j];
      }
      for (int j = 0; j < dT; j++) {
        nt[dK + j] = sb * t[j];
      }
      if (a.ntkConstant() > 0) {
        nt[nt.length - 1] = Math.sqrt(a.ntkConstant());
      }
    }
    return new PixelFeatures(grid, nk.length, nt == null ? 0 : nt.length, nk, nt);
  }

  /** An activation after the readout, with the exact pre-activation variance (NaN: ‖Φ_K‖²). */
  PixelFeatures tailActivation(CntkStep.TailAct step, double variance) {
    double[][] r = step.sketch().apply(k, t, Double.isNaN(variance) ? variance(null, 0, k, 0, dK)
        : variance);
    return new PixelFeatures(grid, r[0].length, r[1] == null ? 0 : r[1].length, r[0], r[1]);
  }
}
