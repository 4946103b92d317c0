package org.nke.sketch;

import java.util.Random;
import java.util.stream.IntStream;
import org.nke.Kernels;
import org.nke.arch.Architecture;
import org.nke.exact.ExactKernel.Kind;
import org.nke.exact.KernelPair;
import org.nke.ir.ImageBatch;

/**
 * Test images and an exploration entry point for the CNTK sketch's accuracy against the exact CNTK.
 */
public final class CntkSketchAccuracy {
  private CntkSketchAccuracy() {
  }

  /**
   * Images with neighbouring pixels correlated (white noise smoothed by a 3 × 3 box) and image
   * scales spread over half a decade, like natural images after standardisation.
   */
  public static ImageBatch images(int n, int h, int w, int c, long seed) {
    Random rnd = new Random(seed);
    double[] v = new double[n * h * w * c];
    double[] noise = new double[h * w * c];
    for (int i = 0; i < n; i++) {
      double scale = Math.pow(10, 0.5 * (rnd.nextDouble() - 0.5));
      for (int j = 0; j < noise.length; j++) {
        noise[j] = rnd.nextGaussian();
      }
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          for (int ch = 0; ch < c; ch++) {
            double s = 0;
            for (int dy = -1; dy <= 1; dy++) {
              for (int dx = -1; dx <= 1; dx++) {
                int yy = Math.floorMod(y + dy, h);
                int xx = Math.floorMod(x + dx, w);
                s += noise[(yy * w + xx) * c + ch];
              }
            }
            v[((i * h + y) * w + x) * c + ch] = scale * (0.5 * noise[(y * w + x) * c + ch] + s / 3);
          }
        }
      }
    }
    return ImageBatch.of(v, n, h, w, c);
  }

  /** Features of every image, in parallel (order-independent). */
  public static double[][] features(CntkSketch plan, ImageBatch x) {
    double[][] f = new double[x.count()][];
    IntStream.range(0, x.count()).parallel().forEach(i -> {
      double[] img = new double[x.imageSize()];
      x.copyImage(i, img);
      f[i] = plan.features(img);
    });
    return f;
  }

  /**
   * Exploration: {@code CntkSketchAccuracy n size channels arch m[,m...] patch[,patch...] seeds
   * [q [exact|norms]]}.
   *
   * @param args arguments
   */
  public static void main(String[] args) {
    int n = Integer.parseInt(args[0]);
    int size = Integer.parseInt(args[1]);
    int c = Integer.parseInt(args[2]);
    Architecture arch = Architecture.parse(args[3]);
    String[] ms = args[4].split(",");
    String[] kinds = args[5].split(",");
    int seeds = Integer.parseInt(args[6]);
    int q = args.length > 7 ? Integer.parseInt(args[7]) : 0;
    Boolean exactVariances = args.length > 8 ? Boolean.valueOf(args[8].equals("exact")) : null;
    ImageBatch x = images(n, size, size, c, 5);
    long t0 = System.nanoTime();
    KernelPair exact = Kernels.of(arch).withBackend("cpu").compute(x, null, Kind.BOTH);
    System.out.printf("exact %.2fs%n", (System.nanoTime() - t0) / 1e9);
    for (String ms1 : ms) {
      int m = Integer.parseInt(ms1);
      for (boolean ntk : new boolean[] {false, true}) {
        double[][] k = (ntk ? exact.ntk() : exact.nngp()).toArray();
        for (String kind : kinds) {
          double sum = 0;
          double sumSq = 0;
          double time = 0;
          int dim = 0;
          double[][] mean = new double[n][n];
          for (int seed = 1; seed <= seeds; seed++) {
            t0 = System.nanoTime();
            CntkSketch plan = CntkSketch.build(arch, x, new SketchOptions(m, seed, ntk, q,
                SketchOptions.DEFAULT_TAIL), PatchSketch.Kind.valueOf(kind), exactVariances);
            double[][] f = features(plan, x);
            time += (System.nanoTime() - t0) / 1e9;
            double e = SketchAccuracy.gramError(k, f);
            sum += e;
            sumSq += e * e;
            dim = f[0].length;
            for (int i = 0; i < n; i++) {
              for (int j = 0; j < n; j++) {
                double d = 0;
                for (int t = 0; t < dim; t++) {
                  d += f[i][t] * f[j][t];
                }
                mean[i][j] += d / seeds;
              }
            }
          }
          double bias = 0;
          double norm = 0;
          for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
              bias += (mean[i][j] - k[i][j]) * (mean[i][j] - k[i][j]);
              norm += k[i][j] * k[i][j];
            }
          }
          double avg = sum / seeds;
          double se = Math.sqrt(Math.max(sumSq / seeds - avg * avg, 0) / Math.max(seeds - 1, 1));
          System.out.printf("%s m=%d %s: features %d, error %.4f ± %.4f (floor %.4f), error of the "
              + "mean over seeds %.4f, %.3fs per image%n", ntk ? "NTK " : "NNGP", m, kind, dim,
              avg, se, SketchAccuracy.obliviousFloor(k, dim), Math.sqrt(bias / norm),
              time / seeds / n);
        }
      }
    }
  }
}
