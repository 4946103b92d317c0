package org.nke.io;

import java.util.Arrays;

/**
 * An array read from a {@code .npy} file: its shape, C-order values as doubles, and the on-disk
 * dtype.
 *
 * @param shape the shape, e.g. {@code (n, d)} or {@code (n, H, W, C)}
 * @param data the values in C order, length {@code Π shape}
 * @param dtype the numpy dtype string, e.g. {@code <f8}
 */
public record NpyArray(int[] shape, double[] data, String dtype) {
  /** @return the number of dimensions */
  public int rank() {
    return shape.length;
  }

  /**
   * @param name the file, for messages
   * @return the array as rows of a matrix (rank 2), rows = points
   * @throws org.nke.error.InvalidInputException if the rank is not 2
   */
  public double[][] toMatrix(String name) {
    if (shape.length != 2) {
      throw new org.nke.error.InvalidInputException(name + " must be a 2-D array (n, d), got shape "
          + Arrays.toString(shape));
    }
    double[][] m = new double[shape[0]][shape[1]];
    for (int i = 0; i < shape[0]; i++) {
      System.arraycopy(data, i * shape[1], m[i], 0, shape[1]);
    }
    return m;
  }
}
