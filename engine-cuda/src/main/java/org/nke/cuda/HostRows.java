package org.nke.cuda;

import org.nke.spi.Precision;

/**
 * Copies row ranges of a device block to and from host {@code double[][]} rows (float32 converted by
 * the runtime), through one staging array of at most {@value #STAGE} elements per transfer.
 */
final class HostRows {
  private static final int STAGE = 1 << 22;

  private HostRows() {
  }

  /** @return rows per transfer for this row length */
  static int rowsPerChunk(int cols) {
    return Math.max(1, STAGE / Math.max(cols, 1));
  }

  /**
   * @param rt the runtime
   * @param src the device matrix, row-major with {@code cols} columns
   * @param p its precision
   * @param i0 first row
   * @param out destination rows {@code i0 …}; modified
   * @param cols columns
   */
  static void download(DeviceRuntime rt, DeviceBuffer src, Precision p, int i0, double[][] out,
      int cols) {
    double[] stage = new double[out.length * cols];
    rt.copyOut(src, p, (long) i0 * cols, stage, stage.length);
    for (int r = 0; r < out.length; r++) {
      System.arraycopy(stage, r * cols, out[r], 0, cols);
    }
  }

  /**
   * @param rt the runtime
   * @param dst the device matrix; modified
   * @param p its precision (float32 rounds each value)
   * @param i0 first row
   * @param rows source rows {@code i0 …}; not modified
   * @param cols columns
   */
  static void upload(DeviceRuntime rt, DeviceBuffer dst, Precision p, int i0, double[][] rows,
      int cols) {
    double[] stage = new double[rows.length * cols];
    for (int r = 0; r < rows.length; r++) {
      System.arraycopy(rows[r], 0, stage, r * cols, cols);
    }
    rt.copyIn(dst, p, (long) i0 * cols, stage, stage.length);
  }
}
