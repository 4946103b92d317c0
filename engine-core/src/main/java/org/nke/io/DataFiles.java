package org.nke.io;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.nke.error.InvalidInputException;

/**
 * Reads point sets and labels from the file formats of the command-line contract, chosen by
 * extension: {@code .csv} (optionally {@code .csv.gz}) and {@code .npy}.
 */
public final class DataFiles {
  private DataFiles() {
  }

  private static String lower(Path p) {
    return p.getFileName().toString().toLowerCase(Locale.ROOT);
  }

  /**
   * @param path a {@code .csv}, {@code .csv.gz} or 2-D {@code .npy} file
   * @return the points, rows = points
   * @throws InvalidInputException if the file is missing, malformed, empty or not finite
   */
  public static double[][] readPoints(Path path) {
    if (!Files.isRegularFile(path)) {
      throw new InvalidInputException(path + " must be an existing file, got nothing there");
    }
    String n = lower(path);
    double[][] x;
    if (n.endsWith(".npy")) {
      x = NpyReader.read(path).toMatrix(path.toString());
      if (x.length == 0 || x[0].length == 0) {
        throw new InvalidInputException(path + " must contain at least one point, got an empty array");
      }
      for (int i = 0; i < x.length; i++) {
        for (int j = 0; j < x[i].length; j++) {
          if (!Double.isFinite(x[i][j])) {
            throw new InvalidInputException(path + " values must be finite, got " + x[i][j]
                + " at row " + (i + 1) + ", column " + (j + 1));
          }
        }
      }
    } else if (n.endsWith(".csv") || n.endsWith(".csv.gz") || n.endsWith(".txt")) {
      x = CsvReader.read(path);
    } else {
      throw new InvalidInputException(path + " must be a .csv or .npy file");
    }
    return x;
  }

  /**
   * @param path a {@code .csv} or {@code .npy} file with one value per row
   * @return the labels
   * @throws InvalidInputException for bad content
   */
  public static double[] readLabels(Path path) {
    double[][] m;
    if (lower(path).endsWith(".npy")) {
      if (!Files.isRegularFile(path)) {
        throw new InvalidInputException(path + " must be an existing file, got nothing there");
      }
      NpyArray a = NpyReader.read(path);
      if (a.rank() == 1 || (a.rank() == 2 && a.shape()[1] == 1)) {
        return a.data();
      }
      throw new InvalidInputException(path + " must hold one label per row, got shape "
          + java.util.Arrays.toString(a.shape()));
    }
    m = readPoints(path);
    if (m[0].length != 1) {
      throw new InvalidInputException(path + " must hold one label per row, got " + m[0].length
          + " columns");
    }
    double[] y = new double[m.length];
    for (int i = 0; i < m.length; i++) {
      y[i] = m[i][0];
    }
    return y;
  }
}
