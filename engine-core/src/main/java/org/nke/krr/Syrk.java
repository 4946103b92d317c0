package org.nke.krr;

import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import org.nke.cpu.DotBlock;

/**
 * Symmetric products for ridge systems on features: {@code G += Tᵀ T}-style accumulation from a
 * transposed feature block ({@code t[i] = column i of the block}), upper triangle, 4 × 4
 * register-blocked ({@link DotBlock}), in parallel over row tiles of {@code G}; and {@code G = F Fᵀ} for the dual form.
 * Each entry's sum runs in a fixed order, so results do not depend on the number of threads.
 */
public final class Syrk {
  private static final int TILE = 64;

  private Syrk() {
  }

  /**
   * {@code g[i][j] += Σ_r t[i][r] t[j][r]} for {@code j ≥ i} (the upper triangle; entries just below
   * the diagonal may be written too). Tiles of {@value #TILE} × {@value #TILE} entries of {@code g}
   * are computed from {@value #TILE} rows of {@code t} each, which stay in cache while the tile is
   * swept with a 4 × 4 register block.
   *
   * @param t rows to take dot products of ({@code p × b}), not modified
   * @param g accumulator ({@code p × p}); modified
   * @param pool where to run, or {@code null} for the calling thread
   */
  public static void accumulateUpper(double[][] t, double[][] g, ForkJoinPool pool) {
    int p = t.length;
    int tiles = (p + TILE - 1) / TILE;
    int pairs = tiles * (tiles + 1) / 2;
    java.util.function.IntConsumer one = k -> {
      // k-th pair (a ≤ b) in row-major order of the upper triangle of tiles
      int a = 0;
      int rest = k;
      while (rest >= tiles - a) {
        rest -= tiles - a;
        a++;
      }
      int b = a + rest;
      tile(t, g, a * TILE, Math.min(p, a * TILE + TILE), b * TILE, Math.min(p, b * TILE + TILE));
    };
    if (pool == null) {
      for (int k = 0; k < pairs; k++) {
        one.accept(k);
      }
    } else {
      pool.submit(() -> IntStream.range(0, pairs).parallel().forEach(one)).join();
    }
  }

  private static void tile(double[][] t, double[][] g, int i0, int i1, int j0, int j1) {
    int b = t[0].length;
    double[] c = new double[16];
    for (int i = i0; i < i1; i += 4) {
      int ni = Math.min(4, i1 - i);
      double[] a0 = t[i];
      double[] a1 = t[i + Math.min(1, ni - 1)];
      double[] a2 = t[i + Math.min(2, ni - 1)];
      double[] a3 = t[i + Math.min(3, ni - 1)];
      for (int j = Math.max(j0, i - i % 4); j < j1; j += 4) {
        int nj = Math.min(4, j1 - j);
        double[] b0 = t[j];
        double[] b1 = t[j + Math.min(1, nj - 1)];
        double[] b2 = t[j + Math.min(2, nj - 1)];
        double[] b3 = t[j + Math.min(3, nj - 1)];
        DotBlock.dot4x4(a0, a1, a2, a3, b0, b1, b2, b3, b, c);
        for (int u = 0; u < ni; u++) {
          for (int v = 0; v < nj; v++) {
            g[i + u][j + v] += c[4 * u + v];
          }
        }
      }
    }
  }

  /**
   * {@code g += a bᵀ} for row-major {@code a} ({@code r × b}) and {@code b} ({@code c × b}) — the
   * cross product {@code XᵀY} of two blocks given transposed — in 4 × 4 register tiles; each entry is
   * computed by one thread, so results do not depend on the pool.
   *
   * @param a left rows, not modified
   * @param b right rows (same length), not modified
   * @param g {@code r × c} accumulator, modified
   * @param pool threads, or {@code null}
   */
  public static void accumulateProduct(double[][] a, double[][] b, double[][] g, ForkJoinPool pool) {
    int len = a[0].length;
    int strips = (a.length + 3) / 4;
    java.util.function.IntConsumer one = s -> {
      double[] c = new double[16];
      int i = 4 * s;
      int ni = Math.min(4, a.length - i);
      for (int j = 0; j < b.length; j += 4) {
        int nj = Math.min(4, b.length - j);
        DotBlock.dot4x4(a[i], a[i + Math.min(1, ni - 1)], a[i + Math.min(2, ni - 1)],
            a[i + Math.min(3, ni - 1)], b[j], b[j + Math.min(1, nj - 1)], b[j + Math.min(2, nj - 1)],
            b[j + Math.min(3, nj - 1)], len, c);
        for (int u = 0; u < ni; u++) {
          for (int v = 0; v < nj; v++) {
            g[i + u][j + v] += c[4 * u + v];
          }
        }
      }
    };
    if (pool == null) {
      IntStream.range(0, strips).forEach(one);
    } else {
      pool.submit(() -> IntStream.range(0, strips).parallel().forEach(one)).join();
    }
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
