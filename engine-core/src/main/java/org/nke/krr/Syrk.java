package org.nke.krr;

import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * Symmetric products for ridge systems on features: {@code G += Tᵀ T}-style accumulation from a
 * transposed feature block ({@code t[i] = column i of the block}), upper triangle, 4 × 4
 * register-blocked, in parallel over row tiles of {@code G}; and {@code G = F Fᵀ} for the dual form.
 * Each entry's sum runs in a fixed order, so results do not depend on the number of threads.
 */
public final class Syrk {
  private static final int TILE = 16;

  private Syrk() {
  }

  /**
   * {@code g[i][j] += Σ_r t[i][r] t[j][r]} for {@code j ≥ i} (the upper triangle).
   *
   * @param t rows to take dot products of ({@code p × b}), not modified
   * @param g accumulator ({@code p × p}); modified
   * @param pool where to run, or {@code null} for the calling thread
   */
  public static void accumulateUpper(double[][] t, double[][] g, ForkJoinPool pool) {
    int p = t.length;
    int tiles = (p + TILE - 1) / TILE;
    Runnable all = () -> IntStream.range(0, tiles).parallel().forEach(tile -> tile(t, g, tile * TILE,
        Math.min(p, tile * TILE + TILE)));
    if (pool == null) {
      for (int tile = 0; tile < tiles; tile++) {
        tile(t, g, tile * TILE, Math.min(p, tile * TILE + TILE));
      }
    } else {
      pool.submit(all).join();
    }
  }

  private static void tile(double[][] t, double[][] g, int i0, int i1) {
    int p = t.length;
    int b = t[0].length;
    for (int i = i0; i < i1; i += 2) {
      boolean two = i + 1 < i1;
      double[] a0 = t[i];
      double[] a1 = two ? t[i + 1] : t[i];
      int j = i;
      for (; j + 3 < p; j += 4) {
        double[] b0 = t[j];
        double[] b1 = t[j + 1];
        double[] b2 = t[j + 2];
        double[] b3 = t[j + 3];
        double c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        for (int r = 0; r < b; r++) {
          double x0 = a0[r];
          double x1 = a1[r];
          c00 += x0 * b0[r];
          c01 += x0 * b1[r];
          c02 += x0 * b2[r];
          c03 += x0 * b3[r];
          c10 += x1 * b0[r];
          c11 += x1 * b1[r];
          c12 += x1 * b2[r];
          c13 += x1 * b3[r];
        }
        g[i][j] += c00;
        g[i][j + 1] += c01;
        g[i][j + 2] += c02;
        g[i][j + 3] += c03;
        if (two) {
          g[i + 1][j] += c10;
          g[i + 1][j + 1] += c11;
          g[i + 1][j + 2] += c12;
          g[i + 1][j + 3] += c13;
        }
      }
      for (; j < p; j++) {
        g[i][j] += dot(a0, t[j], b);
        if (two) {
          g[i + 1][j] += dot(a1, t[j], b);
        }
      }
    }
  }

  private static double dot(double[] a, double[] b, int n) {
    double s = 0;
    for (int r = 0; r < n; r++) {
      s += a[r] * b[r];
    }
    return s;
  }

  /**
   * Mirrors the upper triangle into the lower one.
   *
   * @param g a square matrix; modified
   */
  public static void symmetrize(double[][] g) {
    for (int i = 0; i < g.length; i++) {
      for (int j = 0; j < i; j++) {
        g[i][j] = g[j][i];
      }
    }
  }

  /**
   * @param rows a block of feature rows ({@code b × p}), not modified
   * @return its transpose ({@code p × b})
   */
  public static double[][] transpose(double[][] rows) {
    int b = rows.length;
    int p = rows[0].length;
    double[][] t = new double[p][b];
    for (int r = 0; r < b; r++) {
      for (int i = 0; i < p; i++) {
        t[i][r] = rows[r][i];
      }
    }
    return t;
  }
}
