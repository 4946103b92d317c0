package org.nke.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.nke.io.NpyReader;

/** Test helpers shared by the command-line tests: small data files and reading outputs back. */
final class TestFiles {
  private TestFiles() {
  }

  /**
   * @param dir the folder
   * @param name the file name
   * @param rows the values, one line each, comma-separated
   * @return the written {@code .csv}
   * @throws IOException on write errors
   */
  static Path csv(Path dir, String name, double[][] rows) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (double[] r : rows) {
      for (int j = 0; j < r.length; j++) {
        sb.append(j > 0 ? "," : "").append(r[j]);
      }
      sb.append('\n');
    }
    Path p = dir.resolve(name);
    Files.writeString(p, sb);
    return p;
  }

  /**
   * @param n points
   * @param d dimension
   * @param seed seed
   * @return standard normal points
   */
  static double[][] gaussian(int n, int d, long seed) {
    Random r = new Random(seed);
    double[][] x = new double[n][d];
    for (double[] row : x) {
      for (int j = 0; j < d; j++) {
        row[j] = r.nextGaussian();
      }
    }
    return x;
  }

  /**
   * @param p an {@code .npy} output
   * @return its rows
   * @throws IOException on read errors
   */
  static double[][] read(Path p) throws IOException {
    return NpyReader.read(p).toMatrix(p.toString());
  }
}
