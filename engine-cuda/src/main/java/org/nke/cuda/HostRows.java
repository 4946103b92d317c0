package org.nke.cuda;

import jcuda.Pointer;
import org.nke.spi.Precision;

/**
 * Copies row ranges of a device block to and from host {@code double[][]} rows (converting float32),
 * through one staging array of at most {@value #STAGE} elements per transfer.
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
   * @param src the device matrix, row-major with {@code cols} columns
   * @param p its precision
   * @param i0 first row
   * @param out destination rows {@code i0 …}; modified
   * @param cols columns
   */
  static void download(DeviceBuffer src, Precision p, int i0, double[][] out, int cols) {
    int n = out.length;
    long offset = (long) i0 * cols * p.bytes();
    if (p == Precision.F64) {
      double[] stage = new double[n * cols];
      src.download(Pointer.to(stage), (long) stage.length * 8, offset);
      for (int r = 0; r < n; r++) {
        System.arraycopy(stage, r * cols, out[r], 0, cols);
      }
    } else {
      float[] stage = new float[n * cols];
      src.download(Pointer.to(stage), (long) stage.length * 4, offset);
      for (int r = 0; r < n; r++) {
        for (int j = 0; j < cols; j++) {
          out[r][j] = stage[r * cols + j];
        }
      }
    }
  }

  /**
   * @param dst the device matrix; modified
   * @param p its precision (float32 rounds each value)
   * @param i0 first row
   * @param rows source rows {@code i0 …}; not modified
   * @param cols columns
   */
  static void upload(DeviceBuffer dst, Precision p, int i0, double[][] rows, int cols) {
    int n = rows.length;
    long offset = (long) i0 * cols * p.bytes();
    if (p == Precision.F64) {
      double[] stage = new double[n * cols];
      for (int r = 0; r < n; r++) {
        System.arraycopy(rows[r], 0, stage, r * cols, cols);
      }
      dst.upload(Pointer.to(stage), (long) stage.length * 8, offset);
    } else {
      float[] stage = new float[n * cols];
      for (int r = 0; r < n; r++) {
        for (int j = 0; j < cols; j++) {
          stage[r * cols + j] = (float) rows[r][j];
        }
      }
      dst.upload(Pointer.to(stage), (long) stage.length * 4, offset);
    }
  }
}
