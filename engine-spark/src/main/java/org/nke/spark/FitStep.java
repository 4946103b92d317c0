package org.nke.spark;

import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.nke.krr.KernelRidge;
import org.nke.krr.Targets;

/**
 * The executor side of {@link NeuralKernelRidge#fit}: the tree aggregate's sequence step. Each block
 * of points becomes features on the executor's backend and is added to the partial sums; when the
 * ridge is to be chosen, the rows {@code RidgeFit.sketch} chooses it on
 * ({@link KernelRidge#selectionRows}: evenly spaced global rows, at most
 * {@link KernelRidge#SELECTION_POINTS}) are also kept with their features. Holds only serializable
 * settings and the broadcast plan description.
 */
final class FitStep implements Function2<GramAccumulator, PointBlock, GramAccumulator> {
  private static final long serialVersionUID = 1L;

  private final Broadcast<SketchSpec> spec;
  private final Broadcast<SketchSpec> twin;
  private final String backend;
  private final int threads;
  private final boolean classification;
  private final double[] classes;
  private final double mean;
  private final long[] selection;

  /**
   * @param spec the broadcast plan description
   * @param twin the broadcast NNGP twin of an NTK plan whose posterior is kept ({@code GᵀF} is
   *     summed), or {@code null}
   * @param backend the backend name
   * @param threads threads per task
   * @param targets the task
   * @param selection the global rows to keep for choosing the ridge, increasing (empty when given)
   */
  FitStep(Broadcast<SketchSpec> spec, Broadcast<SketchSpec> twin, String backend, int threads,
      Targets targets, long[] selection) {
    this.spec = spec;
    this.twin = twin;
    this.backend = backend;
    this.threads = threads;
    this.classification = targets.classification();
    this.classes = targets.classes().clone();
    this.mean = targets.mean();
    this.selection = selection.clone();
  }

  /**
   * @param row a global row number (0-based)
   * @param selection the selection rows, increasing
   * @return whether the ridge is chosen on that row's features
   */
  static boolean selected(long row, long[] selection) {
    return java.util.Arrays.binarySearch(selection, row) >= 0;
  }

  /**
   * Regression targets as {@link Targets} builds them: centred one-hot rows for classes, label minus
   * the training mean otherwise.
   *
   * @param classification the task
   * @param classes the sorted classes
   * @param mean the training mean (regression)
   * @param labels labels
   * @return targets, one row per label
   */
  static double[][] encode(boolean classification, double[] classes, double mean, double[] labels) {
    if (classification) {
      return Targets.classification(labels, classes).y();
    }
    double[][] y = new double[labels.length][1];
    for (int i = 0; i < labels.length; i++) {
      y[i][0] = labels[i] - mean;
    }
    return y;
  }

  @Override
  public GramAccumulator call(GramAccumulator acc, PointBlock block) {
    long t0 = System.nanoTime();
    double[][] f = ExecutorResources.features(spec.value(), backend, threads, block.x());
    double[][] nngp = twin == null ? null
        : ExecutorResources.features(twin.value(), backend, threads, block.x());
    acc.addFeatureTime(System.nanoTime() - t0);
    for (int i = 0; i < f.length; i++) {
      if (selected(block.rows()[i], selection)) {
        acc.keep(new GramAccumulator.Selected(block.rows()[i], f[i], block.labels()[i]));
      }
    }
    acc.add(f, encode(classification, classes, mean, block.labels()));
    if (nngp != null) {
      acc.addCross(f, nngp);
    }
    return acc;
  }
}
