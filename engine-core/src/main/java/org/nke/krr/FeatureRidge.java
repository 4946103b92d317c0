package org.nke.krr;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;

/**
 * Ridge regression on sketch features in the primal, with {@code FᵀF} and {@code FᵀY} accumulated
 * block by block so that the number of points is limited by time, not memory ({@code p × p} doubles
 * for {@code p} features):
 *
 * <pre>{@code W = (FᵀF + λ s I)^{−1} FᵀY,   f(x) = Φ(x)ᵀ W,   s = mean_i ‖Φ(x_i)‖²}</pre>
 *
 * equal, by the push-through identity, to exact kernel ridge regression with the kernel
 * {@code Φ(x)ᵀΦ(y)} and the same relative ridge ({@link ExactRidge}). {@link #solve} is the whole
 * fit on features (dual or primal, ridge given or chosen), what {@link RidgeFit} runs for every
 * feature model.
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

  /**
   * What a fit on features found.
   *
   * @param ridge the relative ridge used (given, or chosen by leave-one-out)
   * @param weights {@code W}, {@code p × c}
   */
  record Solution(double ridge, double[][] weights) {
  }

  /**
   * Ridge on features of {@code n} points: the dual form when {@code n ≤ p} (and {@code n ≤ 20,000}),
   * else the primal form with {@code FᵀF} accumulated block by block; the ridge, when not given, by
   * exact leave-one-out on the feature kernel of an evenly spaced subsample, so that only one
   * {@code p × p} Cholesky is needed.
   *
   * @param n training points
   * @param p features per point
   * @param source their features, asked for once per row (all rows at once, or block by block)
   * @param labels one label per point ({@code null} for several regression columns)
   * @param targets their targets
   * @param ridge the relative ridge, or {@code null} to choose it
   * @param pool threads, or {@code null}
   * @param info facts to record (features, LOO metric, temperature, form), modified
   * @return the ridge and the weights
   */
  static Solution solve(int n, int p, FeatureSource source, double[] labels,
      Targets targets, Double ridge, ForkJoinPool pool, Map<String, String> info) {
    info.put("features", Integer.toString(p));
    int c = targets.columns();
    if (n <= p && n <= 20000) {
      double[][] f = source.rows(0, n);
      double[][] k = new double[n][n];
      Syrk.accumulateUpper(f, k, pool);
      Syrk.symmetrize(k);
      double lambda = ridge != null ? ridge : KernelRidge.chooseByLoo(k, labels, targets, info);
      if (ridge != null) {
        LooSelection.calibrateAt(k, labels, targets, ridge, info);
      }
      double[][] alpha = ExactRidge.fit(k, targets.y(), lambda);
      double[][] w = new double[p][c];
      for (int r = 0; r < n; r++) {
        for (int i = 0; i < p; i++) {
          for (int t = 0; t < c; t++) {
            w[i][t] += f[r][i] * alpha[r][t];
          }
        }
      }
      info.put("form", "dual (" + n + " points <= " + p + " features)");
      return new Solution(lambda, w);
    }
    FeatureRidge system = new FeatureRidge(p, c);
    long[] picks = ridge == null || targets.classification() ? KernelRidge.selectionRows(n)
        : new long[0];
    double[][] picked = new double[picks.length][];
    int next = 0;
    for (int start = 0; start < n; start += KernelRidge.BLOCK) {
      int end = Math.min(n, start + KernelRidge.BLOCK);
      double[][] f = source.rows(start, end);
      system.add(f, Arrays.copyOfRange(targets.y(), start, end), pool);
      while (next < picks.length && picks[next] < end) {
        picked[next] = f[(int) picks[next] - start];
        next++;
      }
    }
    double[] pl = null;
    if (labels != null) {
      pl = new double[picks.length];
      for (int i = 0; i < picks.length; i++) {
        pl[i] = labels[(int) picks[i]];
      }
    }
    double lambda;
    if (ridge != null) {
      lambda = ridge;
      if (targets.classification()) {
        double[][] kp = new double[picked.length][picked.length];
        Syrk.accumulateUpper(picked, kp, pool);
        Syrk.symmetrize(kp);
        LooSelection.calibrateAt(kp, pl, Targets.classification(pl, targets.classes()), ridge, info);
      }
    } else {
      lambda = KernelRidge.chooseCalibrated(picked, pl, labels != null ? targets
          : targets.rows(KernelRidge.toInts(picks), null), pool, info);
    }
    info.put("form", "primal (" + n + " points, " + p + " features)");
    return new Solution(lambda, system.solve(lambda));
  }
}
