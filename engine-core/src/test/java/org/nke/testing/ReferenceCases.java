package org.nke.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the self-kernel reference files written by {@code tools/reference/numerics_edges.py}
 * (test resources under {@code org/nke/reference/}): per case an architecture, the points (exact
 * doubles) and the upper triangle of the reference NNGP and NTK. Lines starting with {@code #} are
 * provenance comments.
 */
public final class ReferenceCases {
  private ReferenceCases() {
  }

  /**
   * One reference case.
   *
   * @param name the case name
   * @param arch the architecture string
   * @param points the points, rows
   * @param nngp the reference NNGP, full symmetric matrix
   * @param ntk the reference NTK, full symmetric matrix
   */
  public record Case(String name, String arch, double[][] points, double[][] nngp, double[][] ntk) {
    @Override
    public String toString() {
      return name;
    }
  }

  /**
   * @param resource the resource name relative to {@code /org/nke/reference/}
   * @return the cases, in file order
   */
  public static List<Case> read(String resource) {
    List<Case> out = new ArrayList<>();
    try (InputStream in = ReferenceCases.class.getResourceAsStream("/org/nke/reference/" + resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no reference resource " + resource);
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String name = null;
      String arch = null;
      List<double[]> points = new ArrayList<>();
      List<double[]> entries = new ArrayList<>();
      for (String line = r.readLine(); ; line = r.readLine()) {
        if (line == null || line.startsWith("case ")) {
          if (name != null) {
            out.add(build(name, arch, points, entries));
          }
          if (line == null) {
            break;
          }
          name = line.substring(5).trim();
          points = new ArrayList<>();
          entries = new ArrayList<>();
        } else if (line.startsWith("arch ")) {
          arch = line.substring(5).trim();
        } else if (line.startsWith("point ")) {
          String[] f = line.substring(6).trim().split("\\s+");
          double[] p = new double[f.length];
          for (int k = 0; k < f.length; k++) {
            p[k] = Double.parseDouble(f[k]);
          }
          points.add(p);
        } else if (line.startsWith("nngp ") || line.startsWith("ntk ")) {
          String[] f = line.trim().split("\\s+");
          entries.add(new double[] {f[0].equals("ntk") ? 1 : 0, Integer.parseInt(f[1]),
              Integer.parseInt(f[2]), Double.parseDouble(f[3])});
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static Case build(String name, String arch, List<double[]> points, List<double[]> entries) {
    int n = points.size();
    double[][][] m = new double[2][n][n];
    for (double[] e : entries) {
      int i = (int) e[1];
      int j = (int) e[2];
      m[(int) e[0]][i][j] = e[3];
      m[(int) e[0]][j][i] = e[3];
    }
    return new Case(name, arch, points.toArray(new double[0][]), m[0], m[1]);
  }
}
