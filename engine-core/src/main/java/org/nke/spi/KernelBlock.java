package org.nke.spi;

/**
 * The working NNGP (and optionally NTK) matrices of one kernel computation, owned by a backend
 * (host arrays for the CPU, device buffers for CUDA). Entries are {@code (i, j)} for row point
 * {@code i} of X and column point {@code j} of Y. Close to release the storage.
 */
public interface KernelBlock extends AutoCloseable {
  /** @return number of row points */
  int rows();

  /** @return number of column points */
  int cols();

  /** @return whether X and Y are the same points (the block is symmetric) */
  boolean symmetric();

  /** @return whether the block carries the NTK */
  boolean hasNtk();

  /**
   * @return whether the block carries the angle {@code θ ∈ [0, π]} of every pair besides its
   *     covariance (see {@link Backend#carriesAngles()})
   */
  default boolean hasAngles() {
    return false;
  }

  /** @return the storage precision */
  Precision precision();

  @Override
  void close();
}
