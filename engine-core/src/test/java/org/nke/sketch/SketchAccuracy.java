package org.nke.sketch;

import java.util.Random;
import org.nke.Kernels;
import org.nke.arch.Architecture;
import org.nke.exact.ExactKernel.Kind;
import org.nke.exact.KernelPair;

/**
 * Measures sketch accuracy against the exact kernel: relative Frobenius error of the feature Gram
 * matrix, and the expected error of the oblivious floor (a Gaussian projection of an exact factor of
 * the kernel to the same number of features: {@code E‖FGGᵀFᵀ − K‖_F² = ((tr K)² + ‖K‖_F²)/m'}).
 */
public final class SketchAccuracy {
  private SketchAccuracy() {
  }

  /** Points in ℝ^d with norms spread log-uniformly over {@code decades} decades around 1. */
  public static double[][] points(int n, int d, double decades, long seed) {
    Random rnd = new Random(seed);
    double[][] x = new double[n][d];
    for (int i = 0; i < n; i++) {
      double scale = Math.pow(10, decades * (rnd.nextDouble() - 0.5));
      for (int j = 0; j < d; j++) {
        x[i][j] = scale * rnd.nextGaussian();
      }
    }
    return x;
  }

  /**
   * @param k the exact kernel
   * @param features sketch features, rows = points
   * @return relative Frobenius error of {@code F Fᵀ}
   */
  public static double gramError(double[][] k, double[][] features) {
    return GramError.relative(k, features, java.util.concurrent.ForkJoinPool.commonPool());
  }

  /**
   * @param k the exact kernel
   * @param features the number of features {@code m'}
   * @return the expected relative Frobenius error of a Gaussian projection of an exact factor
   */
  public static double obliviousFloor(double[][] k, int features) {
    return GramError.obliviousFloor(k, features);
  }

  /**
   * Exploration entry point: {@code SketchAccuracy n d decades m arch [q]}.
   *
   * @param args arguments
   */
  public static void main(String[] args) {
    int n = Integer.parseInt(args[0]);
    int d = Integer.parseInt(args[1]);
    double decades = Double.parseDouble(args[2]);
    int m = Integer.parseInt(args[3]);
    Architecture arch = Architecture.parse(args[4]);
    int q = args.length > 5 ? Integer.parseInt(args[5]) : 0;
    double[][] x = points(n, d, decades, 7);
    long t0 = System.nanoTime();
    KernelPair exact = Kernels.of(arch).withBackend("cpu").compute(x, null, Kind.BOTH);
    double te = (System.nanoTime() - t0) / 1e9;
    for (boolean ntk : new boolean[] {false, true}) {
      double[][] k = (ntk ? exact.ntk() : exact.nngp()).toArray();
      for (long seed : new long[] {1, 2}) {
        t0 = System.nanoTime();
        // the data-free plan, as nke features and Sketches use by default
        SketchPlan plan = SketchPlan.build(arch, d, new SketchOptions(m, seed, ntk, q,
            SketchOptions.DEFAULT_TAIL));
        double[][] f = new double[n][];
        java.util.stream.IntStream.range(0, n).parallel().forEach(i -> f[i] = plan.features(x[i]));
        double ts = (System.nanoTime() - t0) / 1e9;
        double err = gramError(k, f);
        double floor = obliviousFloor(k, f[0].length);
        System.out.printf("%s seed %d: m'=%d error %.4f floor %.4f ratio %.2f (sketch %.1fs, exact %.1fs) %s%n",
            ntk ? "NTK " : "NNGP", seed, f[0].length, err, floor, err / floor, ts, te,
            plan.layers().isEmpty() ? "" : "q=" + plan.layers().get(0).degree());
      }
    }
  }
}
