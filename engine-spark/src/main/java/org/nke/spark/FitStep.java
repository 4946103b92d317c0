package org.nke.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.nke.krr.KernelRidge;
import org.nke.krr.Targets;

/**
 * The executor side of {@link NeuralKernelRidge#fit}: the tree aggregate's sequence step. Each block
 * of points becomes features on the executor's backend, its rows are split into training and
 * held-out rows exactly as {@code KernelRidge.fitSketch} splits them (when the ridge is to be chosen,
 * every tenth row — global rows 9, 19, … — up to {@link KernelRidge#SELECTION_POINTS}), and the
 * training rows are added to the partial sums. Holds only serializable settings and the broadcast
 * plan description.
 */
final class FitStep implements Function2<GramAccumulator, PointBlock, GramAccumulator> {
  private static final long serialVersionUID = 1L;

  private final Broadcast<SketchSpec> spec;
  private final String backend;
  private final int threads;
  private final boolean classification;
  private final double[] classes;
  private final double mean;
  private final boolean selecting;

  FitStep(Broadcast<SketchSpec> spec, String backend, int threads, Targets targets,
      boolean selecting) {
    this.spec = spec;
    this.backend = backend;
    this.threads = threads;
    this.classification = targets.classification();
    this.classes = targets.classes().clone();
    this.mean = targets.mean();
    this.selecting = selecting;
  }

  /**
   * @param row a global row number (0-based)
   * @param selecting whether the ridge is being chosen
   * @return whether {@code KernelRidge.fitSketch} holds that row out
   */
  static boolean heldOut(long row, boolean selecting) {
    return selecting && row % 10 == 9 && row / 10 < KernelRidge.SELECTION_POINTS;
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
    acc.addFeatureTime(System.nanoTime() - t0);
    List<double[]> train = new ArrayList<>(f.length);
    double[] labels = new double[f.length];
    int n = 0;
    for (int i = 0; i < f.length; i++) {
      if (heldOut(block.rows()[i], selecting)) {
        acc.hold(new GramAccumulator.Held(block.rows()[i], f[i], block.labels()[i]));
      } else {
        train.add(f[i]);
        labels[n++] = block.labels()[i];
      }
    }
    acc.add(train.toArray(new double[0][]),
        encode(classification, classes, mean, java.util.Arrays.copyOf(labels, n)));
    return acc;
  }
}
