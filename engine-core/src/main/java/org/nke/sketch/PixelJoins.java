package org.nke.sketch;

import java.util.Arrays;
import org.nke.ir.Join;
import org.nke.ir.PointFeatures;

/**
 * The branching and LayerNorm steps of a {@link CntkSketch} on one image's {@link PixelFeatures}
 * (formulas at {@link CntkStep.Merge}, {@link CntkStep.EndFork} and {@link CntkStep.Normalize}):
 * every method returns new features and leaves its inputs unchanged, so a fan-out's branches share
 * its features.
 */
final class PixelJoins {
  private PixelJoins() {
  }

  /**
   * @param acc the fan-in's accumulator, not modified
   * @param in the finished branch (same grid), not modified
   * @param step the merge (not branch 0)
   * @return the new accumulator
   */
  static PixelFeatures merge(PixelFeatures acc, PixelFeatures in, CntkStep.Merge step) {
    int n = acc.grid.pixels();
    boolean ntk = acc.t != null;
    Join join = step.step().join();
    if (step.product() != null) {
      PixelFeatures out = null;
      for (int p = 0; p < n; p++) {
        PointFeatures m = step.product().merge(pixel(acc, p), pixel(in, p));
        if (out == null) {
          int dT = ntk ? m.ntk().length : 0;
          out = new PixelFeatures(acc.grid, m.nngp().length, dT, new double[n * m.nngp().length],
              ntk ? new double[n * dT] : null);
        }
        System.arraycopy(m.nngp(), 0, out.k, p * out.dK, out.dK);
        if (ntk) {
          System.arraycopy(m.ntk(), 0, out.t, p * out.dT, out.dT);
        }
      }
      return out;
    }
    double sa = Math.sqrt(join.alpha());
    double sb = Math.sqrt(join.beta());
    double[] k = concatenate(acc.k, acc.dK, step.heavyAccK(), sa, in.k, in.dK, step.heavyK(), sb, n);
    double[] t = !ntk ? null
        : concatenate(acc.t, acc.dT, step.heavyAccT(), sa, in.t, in.dT, step.heavyT(), sb, n);
    return new PixelFeatures(acc.grid, acc.dK + in.dK, ntk ? acc.dT + in.dT : 0, k, t);
  }

  /** Pixel {@code p}'s features as a point's (variance unused). */
  private static PointFeatures pixel(PixelFeatures f, int p) {
    double[] k = Arrays.copyOfRange(f.k, p * f.dK, (p + 1) * f.dK);
    double[] t = f.t == null ? null : Arrays.copyOfRange(f.t, p * f.dT, (p + 1) * f.dT);
    return new PointFeatures(k, t, Double.NaN);
  }

  /**
   * Per pixel {@code [sa·a.light, sb·b.light, sa·a.heavy, sb·b.heavy]}, {@code a} of length
   * {@code da} with heavy suffix {@code ha}, {@code b} likewise.
   */
  private static double[] concatenate(double[] a, int da, int ha, double sa, double[] b, int db,
      int hb, double sb, int pixels) {
    int d = da + db;
    double[] out = new double[pixels * d];
    for (int p = 0; p < pixels; p++) {
      int at = p * d;
      at = scaled(a, p * da, da - ha, sa, out, at);
      at = scaled(b, p * db, db - hb, sb, out, at);
      at = scaled(a, p * da + da - ha, ha, sa, out, at);
      scaled(b, p * db + db - hb, hb, sb, out, at);
    }
    return out;
  }

  private static int scaled(double[] v, int from, int len, double s, double[] out, int at) {
    for (int j = 0; j < len; j++) {
      out[at + j] = s * v[from + j];
    }
    return at + len;
  }

  /**
   * @param f the fan-in's accumulator, not modified
   * @param step the end of the fan-in
   * @return the features, re-sketched per pixel where the step says so
   */
  static PixelFeatures endFork(PixelFeatures f, CntkStep.EndFork step) {
    if (step.k() == null && step.t() == null) {
      return f;
    }
    double[] k = step.k() == null ? f.k : resketch(step.k(), f.k, f.grid.pixels());
    double[] t = step.t() == null || f.t == null ? f.t : resketch(step.t(), f.t, f.grid.pixels());
    return new PixelFeatures(f.grid, step.k() == null ? f.dK : step.k().outputs(),
        step.t() == null || f.t == null ? f.dT : step.t().outputs(), k, t);
  }

  /** Every pixel's vector through a one-tap patch. */
  private static double[] resketch(PixelPatch patch, double[] v, int pixels) {
    int d = patch.outputs();
    double[] out = new double[pixels * d];
    double[] prepared = patch.prepare(v, pixels);
    double[] work = patch.workspace();
    int[] pixel = new int[1];
    int[] at = new int[1];
    for (int p = 0; p < pixels; p++) {
      pixel[0] = p;
      patch.apply(v, prepared, pixel, 1.0, at, work, out, p * d);
    }
    return out;
  }

  /**
   * @param f the features, not modified
   * @param step the LayerNorm
   * @param variances the exact variance {@code K(p, p)} of every pixel, or {@code null} to use the
   *     squared norms of the NNGP features
   * @return the normalised features
   */
  static PixelFeatures normalize(PixelFeatures f, CntkStep.Normalize step, double[] variances) {
    int n = f.grid.pixels();
    double[] v = variances;
    if (v == null) {
      v = new double[n];
      for (int p = 0; p < n; p++) {
        for (int j = p * f.dK; j < (p + 1) * f.dK; j++) {
          v[p] += f.k[j] * f.k[j];
        }
      }
    }
    double[] s = step.step().scales(v);
    double[] k = new double[f.k.length];
    double[] t = f.t == null ? null : new double[f.t.length];
    for (int p = 0; p < n; p++) {
      double factor = 1 / Math.sqrt(s[p]);
      scaled(f.k, p * f.dK, f.dK, factor, k, p * f.dK);
      if (t != null) {
        scaled(f.t, p * f.dT, f.dT, factor, t, p * f.dT);
      }
    }
    return new PixelFeatures(f.grid, f.dK, f.dT, k, t);
  }
}
