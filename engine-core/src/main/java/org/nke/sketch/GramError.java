package org.nke.sketch;

import java.util.concurrent.ForkJoinPool;
import java.util.function.IntToDoubleFunction;
import java.util.stream.IntStream;
import org.nke.cpu.DotBlock;
import org.nke.spi.KernelMatrix;

/**
 * How good sketch features are: the relative Frobenius error of their Gram matrix,
 *
 * <pre>{@code ‖F Fᵀ − K‖_F / ‖K‖_F,}</pre>
 *
 * and the <em>oblivious floor</em> it is compared with: the expected error of a Gaussian projection
 * {@code G} ({@code N(0, 1/m')} entries) of an exact factor of the kernel to the same number of
 * features, {@code E‖F G Gᵀ Fᵀ − K‖_F² = ((tr K)² + ‖K‖_F²) / m'} (each entry has variance
 * {@code (K_ii K_jj + K_ij²)/m'}).
 */
public final class GramError {
  private GramError() {
  }

  /**
   * @param exact the exact kernel {@code K} ({@code n × n}, symmetric)
   * @param features one feature row per point, not modified
   * @param pool threads for the {@code O(n² m')} products, or {@code null} for the calling thread
   * @return the relative Frobenius error
   */
  public static double relative(KernelMatrix exact, double[][] features, ForkJoinPool pool) {
    int n = exact.rows();
    double[] num = new double[n];
    double[] den = new double[n];
    int p = n == 0 ? 0 : features[0].length;
    // rows in blocks of four against columns in blocks of four (DotBlock); row i still adds its
    // entries j = i, i+1, … in order, so the sums are those of one dot product per pair
    IntToDoubleFunction block = bi -> {
      int i = 4 * bi;
      double[] c = new double[16];
      double[][] a = new double[4][];
      for (int u = 0; u < 4; u++) {
        a[u] = features[Math.min(i + u, n - 1)];
      }
      for (int j = i; j < n; j += 4) {
        DotBlock.dot4x4(a[0], a[1], a[2], a[3], features[j], features[Math.min(j + 1, n - 1)],
            features[Math.min(j + 2, n - 1)], features[Math.min(j + 3, n - 1)], p, c);
        for (int u = 0; u < 4 && i + u < n; u++) {
          for (int v = 0; v < 4 && j + v < n; v++) {
            int r = i + u;
            int col = j + v;
            if (col < r) {
              continue;
            }
            double s = c[4 * u + v];
            double k = exact.get(r, col);
            double w = r == col ? 1 : 2;
            num[r] += w * (s - k) * (s - k);
            den[r] += w * k * k;
          }
        }
      }
      return 0;
    };
    int blocks = (n + 3) / 4;
    if (pool == null) {
      for (int b = 0; b < blocks; b++) {
        block.applyAsDouble(b);
      }
    } else {
      pool.submit(() -> IntStream.range(0, blocks).parallel().forEach(block::applyAsDouble)).join();
    }
    double a = 0;
    double b = 0;
    for (int i = 0; i < n; i++) {
      a += num[i];
      b += den[i];
    }
    return Math.sqrt(a / b);
  }

  /**
   * @param exact the exact kernel, rows ({@code n × n}, symmetric), not modified
   * @param features one feature row per point
   * @param pool threads, or {@code null}
   * @return the relative Frobenius error
   */
  public static double relative(double[][] exact, double[][] features, ForkJoinPool pool) {
    return relative(KernelMatrix.ofF64(exact), features, pool);
  }

  /**
   * @param exact the exact kernel {@code K}
   * @param features the number of features {@code m'}
   * @return {@code √(((tr K)² + ‖K‖_F²)/m') / ‖K‖_F}
   */
  public static double obliviousFloor(KernelMatrix exact, int features) {
    double trace = 0;
    double fro = 0;
    for (int i = 0; i < exact.rows(); i++) {
      trace += exact.get(i, i);
      for (int j = 0; j < exact.cols(); j++) {
        fro += exact.get(i, j) * exact.get(i, j);
      }
    }
    return Math.sqrt((trace * trace + fro) / features / fro);
  }

  /**
   * @param exact the exact kernel, rows
   * @param features the number of features {@code m'}
   * @return the oblivious floor
   */
  public static double obliviousFloor(double[][] exact, int features) {
    return obliviousFloor(KernelMatrix.ofF64(exact), features);
  }
}
