package org.nke.krr;

import java.util.concurrent.ForkJoinPool;

/**
 * Ridge regression on sketch features in the primal, with {@code FᵀF} and {@code FᵀY} accumulated
 * block by block so that the number of points is limited by time, not memory ({@code p × p} doubles
 * for {@code p} features):
 *
 * <pre>{@code W = (FᵀF + λ s I)^{−1} FᵀY,   f(x) = Φ(x)ᵀ W,   s = mean_i ‖Φ(x_i)‖²}</pre>
 *
 * equal, by the push-through identity, to exact kernel ridge regression with the kernel
 * {@code Φ(x)ᵀΦ(y)} and the same relative ridge ({@link ExactRidge}).
 */
public final class FeatureRidge {
  private final int features;
  private final int columns;
  private final double[][] gram;
  private final double[][] rhs;
  private double squaredNorms;
  private long count;

  /**
   * @param features {@code p}
   * @param columns target columns {@code c}
   */
  public FeatureRidge(int features, int columns) {
    this.features = features;
    this.columns = columns;
    this.gram = new double[features][features];
    this.rhs = new double[features][columns];
  }

  /**
   * Adds a block of points.
   *
   * @param block feature rows ({@code b × p}), not modified
   * @param y their targets ({@code b × c}), not modified
   * @param pool where to run the {@code O(b p²)} product, or {@code null}
   */
  public void add(double[][] block, double[][] y, ForkJoinPool pool) {
    if (block.length == 0) {
      return;
    }
    Syrk.accumulateUpper(Syrk.transpose(block), gram, pool);
    for (int r = 0; r < block.length; r++) {
      double[] f = block[r];
      for (int i = 0; i < features; i++) {
        squaredNorms += f[i] * f[i];
        for (int t = 0; t < columns; t++) {
          rhs[i][t] += f[i] * y[r][t];
        }
      }
    }
    count += block.length;
  }

  /**
   * Merges another accumulator (e.g. a held-out block) into this one.
   *
   * @param other the accumulator, not modified
   */
  public void add(FeatureRidge other) {
    for (int i = 0; i < features; i++) {
      for (int j = i; j < features; j++) {
        gram[i][j] += other.gram[i][j];
      }
      for (int t = 0; t < columns; t++) {
        rhs[i][t] += other.rhs[i][t];
      }
    }
    squaredNorms += other.squaredNorms;
    count += other.count;
  }

  /** @return points added */
  public long count() {
    return count;
  }

  /** @return {@code mean ‖Φ(x_i)‖²}, the scale of the relative ridge */
  public double scale() {
    return count == 0 ? 1 : squaredNorms / count;
  }

  /**
   * @param lambda relative ridge
   * @return the weights {@code W}, {@code p × c}
   */
  public double[][] solve(double lambda) {
    double[][] g = new double[features][];
    for (int i = 0; i < features; i++) {
      g[i] = gram[i].clone();
    }
    Syrk.symmetrize(g);
    return SpdSolver.solve(g, lambda * scale(), rhs);
  }

  /**
   * @param block feature rows, not modified
   * @param w weights from {@link #solve}, not modified
   * @return scores {@code F W}
   */
  public static double[][] scores(double[][] block, double[][] w) {
    int c = w[0].length;
    double[][] out = new double[block.length][c];
    for (int r = 0; r < block.length; r++) {
      double[] f = block[r];
      for (int i = 0; i < f.length; i++) {
        double v = f[i];
        if (v != 0) {
          for (int t = 0; t < c; t++) {
            out[r][t] += v * w[i][t];
          }
        }
      }
    }
    return out;
  }
}
