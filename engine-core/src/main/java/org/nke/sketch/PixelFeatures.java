package org.nke.sketch;

import java.util.Arrays;
import org.nke.ir.Grid;
import org.nke.ir.Window;

/**
 * One image's features at one layer of a {@link CntkSketch}: per pixel {@code p} of the grid, NNGP
 * features {@code Φ_K(p)} ({@code dK} values) and, for NTK plans, NTK features {@code Φ_Θ(p)}
 * ({@code dT} values), stored pixel-major, each vector ending with its heavy coordinates (see
 * {@link PixelPatch}). Each step returns the next layer's features; a Conv followed by an activation
 * is fused (the Conv's features exist for one pixel at a time).
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

  /** Input pixels of output pixel {@code (ph, pw)}'s taps (−1 outside). */
  private static void taps(Window w, int ph, int pw, int[] at) {
    Grid in = w.in();
    int t = 0;
    for (int a = 0; a < w.height(); a++) {
      int ih = ph * w.strideHeight() + a - w.padTop();
      for (int b = 0; b < w.width(); b++) {
        int iw = pw * w.strideWidth() + b - w.padLeft();
        boolean inside = ih >= 0 && ih < in.height() && iw >= 0 && iw < in.width();
        at[t++] = inside ? ih * in.width() + iw : -1;
      }
    }
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
  PixelFeatures conv(CntkStep.Convolution step, CntkStep.PixelActivation next, double[] variances) {
    Window w = step.window();
    Grid out = w.out();
    boolean ntk = t != null;
    PixelPatch pk = step.k();
    PixelPatch pt = ntk ? step.t() : null;
    double[] srcK = pk.prepare(k, grid.pixels());
    double[] srcT = pt == null ? null : pt.prepare(t, grid.pixels());
    int[] pixel = new int[w.size()];
    int[] at = new int[w.size()];
    double[] workK = pk.workspace();
    double[] workT = pt == null ? null : pt.workspace();
    double[] raw = new double[pk.outputs()];
    double[] rawT = new double[pt == null ? 0 : pt.outputs()];
    double[] phiK = new double[step.outK()];
    double[] phiT = ntk ? new double[step.outT()] : null;
    int outK = next != null ? next.sketch().outputDim() : step.outK();
    int outT = !ntk ? 0 : next != null ? next.sketch().thetaOutputDim() : step.outT();
    double[] nk = new double[out.pixels() * outK];
    double[] nt = ntk ? new double[out.pixels() * outT] : null;
    for (int ph = 0; ph < out.height(); ph++) {
      for (int pw = 0; pw < out.width(); pw++) {
        int p = ph * out.width() + pw;
        taps(w, ph, pw, pixel);
        pk.apply(k, srcK, pixel, 1.0, at, workK, raw, 0);
        for (int j = 0; j < raw.length; j++) {
          phiK[j] = step.w() * raw[j];
        }
        if (step.bias() > 0) {
          phiK[raw.length] = step.bias();
        }
        if (ntk) {
          if (pt != null) {
            pt.apply(t, srcT, pixel, 1.0, at, workT, rawT, 0);
          }
          thetaPatch(step, raw, pk.lightOutputs(), rawT, pt == null ? 0 : pt.lightOutputs(), phiT);
        }
        if (next != null) {
          double[][] r = next.sketch().apply(phiK, phiT, variance(variances, p, phiK, 0, phiK.length));
          heavyLast(r[0], nk, p * outK);
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

  /** {@code Φ_Θ' = [ta·P_K.light, tb·P_Θ.light, ta·P_K.heavy, tb·P_Θ.heavy, tc]}. */
  private static void thetaPatch(CntkStep.Convolution step, double[] raw, int lightK, double[] rawT,
      int lightT, double[] phiT) {
    int at = 0;
    for (int j = 0; j < lightK; j++) {
      phiT[at++] = step.ta() * raw[j];
    }
    for (int j = 0; j < lightT; j++) {
      phiT[at++] = step.tb() * rawT[j];
    }
    for (int j = lightK; j < raw.length; j++) {
      phiT[at++] = step.ta() * raw[j];
    }
    for (int j = lightT; j < rawT.length; j++) {
      phiT[at++] = step.tb() * rawT[j];
    }
    if (step.tc() > 0) {
      phiT[at] = step.tc();
    }
  }

  /**
   * An activation's NNGP features with the constant (degree-0) feature moved last, where the next
   * patch keeps it exact: {@code [Φ_1 … Φ_{d−1}, Φ_0]}.
   */
  private static void heavyLast(double[] phi, double[] out, int at) {
    System.arraycopy(phi, 1, out, at, phi.length - 1);
    out[at + phi.length - 1] = phi[0];
  }

  /** An activation on every pixel (one not fused with a Conv, e.g. after a pooling layer). */
  PixelFeatures activation(CntkStep.PixelActivation step, double[] variances) {
    ActivationSketch s = step.sketch();
    int outK = s.outputDim();
    int outT = t == null ? 0 : s.thetaOutputDim();
    double[] nk = new double[grid.pixels() * outK];
    double[] nt = t == null ? null : new double[grid.pixels() * outT];
    for (int p = 0; p < grid.pixels(); p++) {
      double[][] r = s.apply(Arrays.copyOfRange(k, p * dK, (p + 1) * dK),
          t == null ? null : Arrays.copyOfRange(t, p * dT, (p + 1) * dT),
          variance(variances, p, k, p * dK, dK));
      heavyLast(r[0], nk, p * outK);
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
  PixelFeatures pool(CntkStep.Pooling step) {
    Window w = step.window();
    Grid out = w.out();
    double scale = 1.0 / w.size();
    double[] nk = new double[out.pixels() * dK];
    double[] nt = t == null ? null : new double[out.pixels() * dT];
    int[] at = new int[w.size()];
    for (int ph = 0; ph < out.height(); ph++) {
      for (int pw = 0; pw < out.width(); pw++) {
        int p = ph * out.width() + pw;
        taps(w, ph, pw, at);
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

  private double[] reduce(boolean flatten, PixelPatch patch, double[] v, int len) {
    int n = grid.pixels();
    int[] pixel = new int[flatten ? n : 1];
    for (int p = 0; p < pixel.length; p++) {
      pixel[p] = p;
    }
    double[] src = v;
    if (!flatten) {
      src = new double[len];
      int[] all = new int[n];
      for (int p = 0; p < n; p++) {
        all[p] = p;
      }
      average(v, len, all, 1.0 / n, src, 0);
      if (patch == null) {
        return src;
      }
    }
    double[] out = new double[patch.outputs()];
    patch.apply(src, patch.prepare(src, pixel.length), pixel, flatten ? 1 / Math.sqrt(n) : 1.0,
        new int[pixel.length], patch.workspace(), out, 0);
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
  PixelFeatures tailActivation(CntkStep.TailActivation step, double variance) {
    double[][] r = step.sketch().apply(k, t, Double.isNaN(variance) ? variance(null, 0, k, 0, dK)
        : variance);
    return new PixelFeatures(grid, r[0].length, r[1] == null ? 0 : r[1].length, r[0], r[1]);
  }
}
