package org.nke.io;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.nke.error.InvalidInputException;
import org.nke.ir.ImageBatch;

/**
 * Reads point sets, images and labels from the file formats of the command-line contract, chosen by
 * extension: {@code .csv} (optionally {@code .csv.gz}), {@code .npy} (2-D points or 4-D NHWC images),
 * CIFAR-10 batches ({@code .bin}, see {@link CifarReader}) and MNIST-style IDX files
 * ({@code *-ubyte}, {@code *-ubyte.gz}, {@code .idx}, {@code .idx.gz}, see {@link IdxReader}); a
 * dense {@code .npz} ({@link NpzReader}) is read like a {@code .npy}, and {@code -} is standard input
 * ({@link StandardInput}: {@code .npy} or CSV, told apart by numpy's magic).
 */
public final class DataFiles {
  private DataFiles() {
  }

  private static String lower(Path p) {
    return p.getFileName().toString().toLowerCase(Locale.ROOT);
  }

  /** The array of a {@code .npy}, dense {@code .npz} or npy standard input; {@code null} for others. */
  private static NpyArray array(Path path) {
    if (StandardInput.is(path)) {
      return StandardInput.isNpy() ? StandardInput.array() : null;
    }
    String n = lower(path);
    return n.endsWith(".npy") ? NpyReader.read(path) : n.endsWith(".npz") ? NpzReader.read(path) : null;
  }

  private static void finite(String name, double[][] x) {
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < x[i].length; j++) {
        if (!Double.isFinite(x[i][j])) {
          throw new InvalidInputException(name + " values must be finite, got " + x[i][j]
              + " at row " + (i + 1) + ", column " + (j + 1));
        }
      }
    }
  }

  private static boolean isIdx(String lowerName) {
    return lowerName.endsWith("-ubyte") || lowerName.endsWith("-ubyte.gz") || lowerName.endsWith(".idx")
        || lowerName.endsWith(".idx.gz");
  }

  private static void exists(Path path) {
    if (!StandardInput.is(path) && !Files.isRegularFile(path)) {
      throw new InvalidInputException(path + " must be an existing file, got nothing there");
    }
  }

  /**
   * Reads points or images, whichever the file holds: a 4-D {@code .npy} {@code (n, H, W, C)}, a CIFAR
   * {@code .bin} or an IDX image file gives images, anything else points.
   *
   * @param path the file
   * @return its contents
   * @throws InvalidInputException for a missing, malformed, empty or non-finite file
   */
  public static InputData readInput(Path path) {
    exists(path);
    String n = StandardInput.is(path) ? "" : lower(path);
    if (n.endsWith(".bin")) {
      return InputData.ofImages(CifarReader.read(path).images());
    }
    if (isIdx(n)) {
      return InputData.ofImages(IdxReader.readImages(path));
    }
    NpyArray a = array(path);
    if (a != null) {
      if (a.rank() == 4) {
        int[] s = a.shape();
        return InputData.ofImages(ImageBatch.adopt(name(path), a.data(), s[0], s[1], s[2], s[3]));
      }
      if (a.rank() != 2) {
        throw new InvalidInputException(name(path) + " must be a 2-D array (n, d) of points or a 4-D "
            + "array (n, H, W, C) of images, got shape " + java.util.Arrays.toString(a.shape()));
      }
      return InputData.ofPoints(points(name(path), a));
    }
    return InputData.ofPoints(readPoints(path));
  }

  /**
   * @param path a 4-D {@code .npy}, CIFAR {@code .bin} or IDX image file
   * @return the images
   * @throws InvalidInputException if the file holds points or is malformed
   */
  public static ImageBatch readImages(Path path) {
    InputData d = readInput(path);
    if (!d.isImages()) {
      throw new InvalidInputException(path + " must hold images (a 4-D .npy (n, H, W, C), a CIFAR-10 "
          + ".bin or an IDX -ubyte file), got " + d.describe());
    }
    return d.images();
  }

  /**
   * @param path a {@code .csv}, {@code .csv.gz} or 2-D {@code .npy} file
   * @return the points, rows = points
   * @throws InvalidInputException if the file is missing, malformed, empty or not finite
   */
  public static double[][] readPoints(Path path) {
    exists(path);
    NpyArray a = array(path);
    if (a != null) {
      return points(name(path), a);
    }
    if (StandardInput.is(path)) {
      return StandardInput.rows();
    }
    String n = lower(path);
    double[][] x;
    if (n.endsWith(".csv") || n.endsWith(".csv.gz") || n.endsWith(".txt")) {
      x = CsvReader.read(path);
    } else {
      throw new InvalidInputException(path + " must be a .csv, .npy, .npz, CIFAR-10 .bin or IDX -ubyte "
          + "file");
    }
    return x;
  }

  private static String name(Path path) {
    return StandardInput.is(path) ? StandardInput.NAME : path.toString();
  }

  private static double[][] points(String name, NpyArray a) {
    double[][] x = a.toMatrix(name);
    if (x.length == 0 || x[0].length == 0) {
      throw new InvalidInputException(name + " must contain at least one point, got an empty array");
    }
    finite(name, x);
    return x;
  }

  /**
   * @param path a {@code .csv} or {@code .npy} file with one value per row, a CIFAR-10 {@code .bin}
   *     (its labels) or an IDX label file ({@code *-labels-idx1-ubyte[.gz]})
   * @return the labels
   * @throws InvalidInputException for bad content (a non-finite label: with the file and row)
   */
  public static double[] readLabels(Path path) {
    double[][] m = readLabelColumns(path);
    if (m.length > 0 && m[0].length != 1) {
      throw new InvalidInputException(path + " must hold one label per row, got " + m[0].length
          + " columns");
    }
    double[] y = new double[m.length];
    for (int i = 0; i < m.length; i++) {
      y[i] = m[i][0];
    }
    return y;
  }

  /**
   * Reads labels that may have several columns (multi-output regression, as neural-tangents'
   * {@code y_train} of shape {@code (n, k)}): a {@code .npy} of rank 1 or 2, or a CSV with one or more
   * columns; CIFAR-10 batches and IDX label files give one column.
   *
   * @param path a labels file
   * @return the labels, one row per point ({@code n × k}, {@code k ≥ 1})
   * @throws InvalidInputException on other shapes or values that are not finite
   */
  public static double[][] readLabelColumns(Path path) {
    String name = StandardInput.is(path) ? "" : lower(path);
    if (name.endsWith(".bin") || isIdx(name)) {
      exists(path);
      int[] l = name.endsWith(".bin") ? CifarReader.read(path).labels() : IdxReader.readLabels(path);
      double[][] y = new double[l.length][1];
      for (int i = 0; i < l.length; i++) {
        y[i][0] = l[i];
      }
      return y;
    }
    exists(path);
    NpyArray a = array(path);
    if (a != null) {
      if (a.rank() == 1 || a.rank() == 2) {
        int k = a.rank() == 1 ? 1 : (int) a.shape()[1];
        double[] v = a.data();
        double[][] y = new double[v.length / Math.max(k, 1)][k];
        for (int i = 0; i < v.length; i++) {
          if (!Double.isFinite(v[i])) {
            throw new InvalidInputException(name(path) + " labels must be finite, got " + v[i]
                + " at row " + (i / k + 1));
          }
          y[i / k][i % k] = v[i];
        }
        if (k > 0) {
          return y;
        }
      }
      throw new InvalidInputException(path + " must hold one label per row, or one row of labels "
          + "per point (n x k), got shape " + java.util.Arrays.toString(a.shape()));
    }
    return readPoints(path);
  }

}
