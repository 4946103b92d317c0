package org.nke.spark;

import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * Parameters of every nke stage: where the points are and how executors compute features.
 *
 * @param <S> the stage type, returned by the setters
 */
public interface ExecutionParams<S extends ExecutionParams<S>> extends Params {
  /** @return the points column (default {@code features}) */
  Param<String> inputCol();

  /** @return the backend: {@code auto} (default), {@code cpu} or {@code cuda} */
  Param<String> backend();

  /** @return CPU threads per task (default 1) */
  IntParam threads();

  /** @return points per feature block (default 512) */
  IntParam blockSize();

  /** @return the points column */
  default String getInputCol() {
    return getOrDefault(inputCol());
  }

  /** @return the backend name */
  default String getBackend() {
    return getOrDefault(backend());
  }

  /** @return CPU threads per task */
  default int getThreads() {
    return (Integer) getOrDefault(threads());
  }

  /** @return points per block */
  default int getBlockSize() {
    return (Integer) getOrDefault(blockSize());
  }

  /** @param v the points column @return this stage */
  default S setInputCol(String v) {
    set(inputCol(), v);
    return self();
  }

  /** @param v {@code auto}, {@code cpu} or {@code cuda} @return this stage */
  default S setBackend(String v) {
    set(backend(), v);
    return self();
  }

  /** @param v CPU threads per task @return this stage */
  default S setThreads(int v) {
    set(threads(), v);
    return self();
  }

  /** @param v points per block @return this stage */
  default S setBlockSize(int v) {
    set(blockSize(), v);
    return self();
  }

  /** @return this stage, typed */
  @SuppressWarnings("unchecked")
  private S self() {
    return (S) this;
  }
}
