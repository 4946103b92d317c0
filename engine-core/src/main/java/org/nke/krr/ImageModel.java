package org.nke.krr;

import java.util.List;
import org.nke.error.InvalidInputException;
import org.nke.ir.ChannelStats;
import org.nke.ir.ImageBatch;
import org.nke.krr.Inference.Prediction;
import org.nke.krr.Inference.Uncertainty;
import org.nke.spi.Backend;
import org.nke.spi.Precision;
import org.nke.spi.Progress;

/**
 * A model of images with a convolutional architecture. Its images are standardised by
 * {@link #standardization()} (when there is one) before they reach {@link #scores}/{@link #predict},
 * which take them as they are.
 */
public sealed interface ImageModel extends RidgeModel permits ExactImagesModel, CntkSketchModel {
  /** @return the training images' shape {@code {H, W, C}} */
  int[] shape();

  /** @return the per-channel statistics the images are standardised with, or {@code null} */
  ChannelStats standardization();

  /**
   * Ridge scores of new images, as {@link PointsModel#scores}.
   *
   * @param x images of the model's {@link #shape()}, standardised, not modified
   * @param backend an open backend
   * @param precision kernel precision (exact models)
   * @param progress progress sink
   * @return scores, one row per image
   * @throws InvalidInputException if the shapes differ
   */
  double[][] scores(ImageBatch x, Backend backend, Precision precision, Progress progress);

  /**
   * Predictions at finite training times, as {@link PointsModel#predict}.
   *
   * @param x test images of the model's shape, standardised, not modified
   * @param times training times, each {@code ≥ 0} or {@code +∞}
   * @param uncertainty what to compute besides the mean
   * @param backend an open backend
   * @param precision kernel precision (exact models)
   * @param progress progress sink
   * @return one prediction per time, in the given order
   */
  List<Prediction> predict(ImageBatch x, double[] times, Uncertainty uncertainty, Backend backend,
      Precision precision, Progress progress);

  /**
   * @param x images
   * @throws InvalidInputException unless they have this model's shape
   */
  default void checkShape(ImageBatch x) {
    int[] s = shape();
    if (x.height() != s[0] || x.width() != s[1] || x.channels() != s[2]) {
      throw new InvalidInputException("images must have the shape of the model's training images (H, "
          + "W, C) = (" + s[0] + ", " + s[1] + ", " + s[2] + "), got " + x.shapeString());
    }
  }
}
