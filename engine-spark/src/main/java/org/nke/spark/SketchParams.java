package org.nke.spark;

import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.nke.sketch.SketchOptions;

/**
 * Parameters of a sketch: architecture, kernel, budget, seed, degree. Same values, same sample rows
 * → the same features on every executor and in a single process.
 *
 * @param <S> the stage type, returned by the setters
 */
public interface SketchParams<S extends SketchParams<S>> extends ExecutionParams<S> {
  /** @return the architecture string (required) */
  Param<String> arch();

  /** @return {@code nngp} or {@code ntk} (default {@code ntk}) */
  Param<String> kind();

  /** @return the budget {@code m} (default 1024) */
  IntParam dim();

  /** @return the seed (default 0) */
  LongParam seed();

  /** @return the Hermite degree (default 0: automatic) */
  IntParam degree();

  /** @return the architecture string */
  default String getArch() {
    return getOrDefault(arch());
  }

  /** @return {@code nngp} or {@code ntk} */
  default String getKind() {
    return getOrDefault(kind());
  }

  /** @return the budget {@code m} */
  default int getDim() {
    return (Integer) getOrDefault(dim());
  }

  /** @return the seed */
  default long getSeed() {
    return (Long) getOrDefault(seed());
  }

  /** @return the degree (0 = automatic) */
  default int getDegree() {
    return (Integer) getOrDefault(degree());
  }

  /** @param v an architecture string @return this stage */
  default S setArch(String v) {
    set(arch(), v);
    return me();
  }

  /** @param v {@code nngp} or {@code ntk} @return this stage */
  default S setKind(String v) {
    set(kind(), v);
    return me();
  }

  /** @param v the budget {@code m} @return this stage */
  default S setDim(int v) {
    set(dim(), v);
    return me();
  }

  /** @param v the seed @return this stage */
  default S setSeed(long v) {
    set(seed(), v);
    return me();
  }

  /** @param v the degree (0 = automatic) @return this stage */
  default S setDegree(int v) {
    set(degree(), v);
    return me();
  }

  /** @return the sketch options these parameters describe */
  default SketchOptions sketchOptions() {
    return new SketchOptions(getDim(), getSeed(), getKind().equals("ntk"), getDegree(),
        SketchOptions.DEFAULT_TAIL);
  }

  @SuppressWarnings("unchecked")
  private S me() {
    return (S) this;
  }
}
