package org.nke.cuda;

import org.nke.dual.BoundDual;

/**
 * An activation step of the CNTK bound to one tile's pixel variances: the host binding (error bound,
 * series tables, CPU fallback) and, when the dual has a device kernel, the variances and tables on
 * the device ({@link CudaDualOps.Prepared}) in an arena of their own, freed by {@link #close()}.
 *
 * @param rows the row variances it was made for (compared by identity)
 * @param cols the column variances
 * @param bound the dual bound to them on the host
 * @param varX the row variances on the device, or {@code null} without a device kernel
 * @param varY the column variances on the device (may be {@code varX}), or {@code null}
 * @param launch the prepared dual map, or {@code null}: the step runs on the CPU
 * @param arena owns the device copies
 */
record PixelBinding(double[] rows, double[] cols, BoundDual bound, DeviceBuffer varX,
    DeviceBuffer varY, CudaDualOps.Prepared launch, DeviceArena arena) implements AutoCloseable {
  /** @return whether the dual map runs on the device */
  boolean onDevice() {
    return launch != null;
  }

  @Override
  public void close() {
    arena.close();
  }
}
