package org.nke.sketch;

import org.nke.arch.Architecture;
import org.nke.cntk.CntkNetwork;
import org.nke.ir.Grid;

/**
 * The CNTK sketch's exact diagonal ({@link CntkSketch#exactDiagonal()}; docs/design-notes.md, "The
 * CNTK sketch's exact diagonal"): each image's features scaled to its exact self-kernel,
 *
 * <pre>{@code Φ(x) ← Φ(x) · √(K(x, x) / ‖Φ(x)‖²)}   (Θ(x, x) for an NTK plan)</pre>
 *
 * so that the sketched Gram matrix has the exact diagonal and only the angles are sketched.
 * {@code K(x, x)} comes from the exact self recursion that gives the pixel variances, so the exact
 * diagonal exists where those do: self blocks of at most {@link CntkSketch#EXACT_VARIANCE_ENTRIES}
 * entries.
 */
public final class ExactDiagonal {
  private ExactDiagonal() {
  }

  /**
   * Whether plans for this network and image shape have exact pixel variances, and so the exact
   * diagonal (their default where they do). Compiles the network's geometry only.
   *
   * @param arch a convolutional architecture
   * @param height image height
   * @param width image width
   * @param channels image channels
   * @return whether {@link CntkSketch#exactVariances()} and {@link CntkSketch#exactDiagonal()} hold
   *     for its plans
   */
  public static boolean availableFor(Architecture arch, int height, int width, int channels) {
    return available(CntkNetwork.compile(arch, new Grid(height, width), channels));
  }

  static boolean available(CntkNetwork net) {
    return net.maxBlockEntries() <= CntkSketch.EXACT_VARIANCE_ENTRIES;
  }

  /**
   * @param arch a convolutional architecture
   * @param height image height
   * @param width image width
   * @param channels image channels
   * @return why its plans for these images have no exact diagonal
   */
  public static String unavailable(Architecture arch, int height, int width, int channels) {
    return unavailable(CntkNetwork.compile(arch, new Grid(height, width), channels));
  }

  static String unavailable(CntkNetwork net) {
    return "the exact diagonal needs the exact pixel variances, which this network on "
        + net.input().height() + " x " + net.input().width() + " images does not get (its self "
        + "blocks have " + net.maxBlockEntries() + " entries, over "
        + CntkSketch.EXACT_VARIANCE_ENTRIES + ")";
  }

  /**
   * {@code Φ ← Φ · √(target / ‖Φ‖²)}; a zero feature vector stays zero.
   *
   * @param features one image's features; modified
   * @param target its exact self-kernel
   * @throws IllegalStateException if the target was not computed (NaN)
   */
  static void scale(double[] features, double target) {
    if (Double.isNaN(target)) {
      throw new IllegalStateException("the exact diagonal needs the image's output self-kernel, "
          + "which was not computed");
    }
    double norm2 = 0;
    for (double x : features) {
      norm2 += x * x;
    }
    if (norm2 > 0) {
      double scale = Math.sqrt(target / norm2);
      for (int i = 0; i < features.length; i++) {
        features[i] *= scale;
      }
    }
  }
}
