package org.nke.krr;

import java.util.List;
import org.nke.krr.Inference.Prediction;
import org.nke.krr.Inference.Uncertainty;
import org.nke.spi.Backend;
import org.nke.spi.Precision;
import org.nke.spi.Progress;

/** A model of points (rows of {@link #inputDim()} values). */
public sealed interface PointsModel extends RidgeModel
    permits ExactPointsModel, SketchModel, SubspaceModel {
  /**
   * The ridge scores {@code f(x)} of new points: one row per point, one column per class or target
   * column, on the scale of the fitted targets (decode them with {@link Targets#decode} or
   * {@link Targets#values}).
   *
   * @param x points of the model's input dimension, not modified
   * @param backend an open backend
   * @param precision kernel precision (exact models; feature models compute in float64)
   * @param progress progress sink
   * @return the scores
   * @throws org.nke.error.InvalidInputException if the dimension differs
   */
  double[][] scores(double[][] x, Backend backend, Precision precision, Progress progress);

  /**
   * The mean and, if asked, the uncertainty of the infinite ensemble of networks trained by gradient
   * descent for each time ({@link Inference}; sketch models in the primal, {@link SketchInference}).
   *
   * @param x test points of the model's dimension, not modified
   * @param times training times, each {@code ≥ 0} or {@code +∞}
   * @param uncertainty what to compute besides the mean
   * @param backend an open backend
   * @param precision kernel precision (exact models)
   * @param progress progress sink
   * @return one prediction per time, in the given order
   * @throws org.nke.error.InvalidInputException for a model that has no posterior (subspace, or a
   *     sketch fitted without one), or a negative time
   */
  List<Prediction> predict(double[][] x, double[] times, Uncertainty uncertainty, Backend backend,
      Precision precision, Progress progress);
}
