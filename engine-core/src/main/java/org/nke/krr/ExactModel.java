package org.nke.krr;

/**
 * A model on an exact kernel: dual coefficients {@code α} over its training data, which it keeps
 * ({@link #trainingPoints}) with the targets it was fitted to ({@link Targets#y()}), so that it can
 * predict at finite training times ({@link Inference}).
 */
public sealed interface ExactModel extends RidgeModel permits ExactPointsModel, ExactImagesModel {
  /** @return the training points (images flattened in HWC order), one row per point */
  double[][] trainingPoints();

  @Override
  default String method() {
    return "exact";
  }
}
