package org.nke.spark;

import org.apache.spark.ml.param.Param;

/**
 * Output columns of the ridge model.
 *
 * @param <S> the stage type, returned by the setters
 */
public interface RidgeParams<S extends RidgeParams<S>> extends ExecutionParams<S> {
  /** @return the prediction column (default {@code prediction}): class label or value */
  Param<String> predictionCol();

  /**
   * @return the raw prediction column (default {@code rawPrediction}): the scores {@code Φ(x)ᵀW}
   *     as a vector (one per class; regression: the value less the training mean); empty: not added
   */
  Param<String> rawPredictionCol();

  /** @return the prediction column */
  default String getPredictionCol() {
    return getOrDefault(predictionCol());
  }

  /** @return the raw prediction column, or empty */
  default String getRawPredictionCol() {
    return getOrDefault(rawPredictionCol());
  }

  /** @param v the prediction column @return this stage */
  default S setPredictionCol(String v) {
    set(predictionCol(), v);
    return typed();
  }

  /** @param v the raw prediction column, or empty for none @return this stage */
  default S setRawPredictionCol(String v) {
    set(rawPredictionCol(), v);
    return typed();
  }

  @SuppressWarnings("unchecked")
  private S typed() {
    return (S) this;
  }
}
