package org.nke.krr;

import java.util.Arrays;
import org.nke.Sketches;
import org.nke.ir.ImageBatch;
import org.nke.sketch.CntkSketch;
import org.nke.sketch.SketchPlan;
import org.nke.spi.Backend;
import org.nke.spi.Progress;

/** Features of rows {@code from … to−1} of some data set. */
@FunctionalInterface
interface FeatureSource {
  /**
   * @param from first row
   * @param to end row
   * @return their features
   */
  double[][] rows(int from, int to);

  /** Features of points by a dense sketch plan. */
  static FeatureSource of(Backend backend, SketchPlan plan, double[][] x, Progress progress) {
    return (from, to) -> Sketches.features(backend, plan, Arrays.copyOfRange(x, from, to), progress);
  }

  /** Features of images by a CNTK sketch plan. */
  static FeatureSource of(Backend backend, CntkSketch plan, ImageBatch x, Progress progress) {
    return (from, to) -> Sketches.features(backend, plan, x.slice(from, to), progress);
  }

  /**
   * @param n rows
   * @param w weights {@code W}, not modified
   * @return {@code Φ W} for all rows, computed {@link KernelRidge#BLOCK} rows at a time
   */
  default double[][] scores(int n, double[][] w) {
    double[][] out = new double[n][];
    for (int start = 0; start < n; start += KernelRidge.BLOCK) {
      int end = Math.min(n, start + KernelRidge.BLOCK);
      System.arraycopy(FeatureRidge.scores(rows(start, end), w), 0, out, start, end - start);
    }
    return out;
  }
}
