package org.nke.util;

import org.nke.error.InvalidInputException;
import org.nke.error.ResourceLimitException;

/**
 * Validation at the API boundary, with uniform messages
 * ({@code <what> must be <constraint>, got <value> [at <where>]}). Inner loops trust their inputs.
 */
public final class Checks {
  private Checks() {
  }

  /**
   * Checks a point set: non-empty, rectangular, finite.
   *
   * @param name what the points are called in messages (e.g. a file name)
   * @param x the points, rows = points, not modified
   * @return the dimension {@code d}
   * @throws InvalidInputException naming the row and column of the first problem
   */
  public static int points(String name, double[][] x) {
    if (x == null || x.length == 0) {
      throw new InvalidInputException(name + " must contain at least one point, got none");
    }
    int d = x[0] == null ? 0 : x[0].length;
    if (d == 0) {
      throw new InvalidInputException(name + " must have at least one column, got 0 at row 1");
    }
    for (int i = 0; i < x.length; i++) {
      if (x[i] == null || x[i].length != d) {
        throw new InvalidInputException(name + " rows must all have " + d + " values, got "
            + (x[i] == null ? 0 : x[i].length) + " at row " + (i + 1));
      }
      for (int j = 0; j < d; j++) {
        if (!Double.isFinite(x[i][j])) {
          throw new InvalidInputException(name + " values must be finite, got " + x[i][j]
              + " at row " + (i + 1) + ", column " + (j + 1));
        }
      }
    }
    return d;
  }

  /**
   * Checks that two point sets have the same dimension.
   *
   * @param nameX name of the first set
   * @param dx its dimension
   * @param nameY name of the second set
   * @param dy its dimension
   */
  public static void sameDimension(String nameX, int dx, String nameY, int dy) {
    if (dx != dy) {
      throw new InvalidInputException(nameY + " must have the dimension of " + nameX + " (" + dx
          + " columns), got " + dy + " columns");
    }
  }

  /**
   * Checks that an allocation fits in the Java heap, leaving a margin.
   *
   * @param what the result, for the message
   * @param bytes bytes it needs
   * @param suggestion what to do instead
   * @throws ResourceLimitException if it does not fit
   */
  public static void fitsInHeap(String what, long bytes, String suggestion) {
    Runtime rt = Runtime.getRuntime();
    long used = rt.totalMemory() - rt.freeMemory();
    long available = rt.maxMemory() - used;
    if (bytes > available * 0.9) {
      throw new ResourceLimitException(what, bytes, available, suggestion);
    }
  }
}
