package org.nke.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.nke.krr.EnsembleKind;
import org.nke.krr.FeatureEnsemblePosterior;
import org.nke.krr.PosteriorSums;
import org.nke.krr.SpdSolver;
import org.nke.krr.Syrk;

/**
 * The sums of ridge regression on features, {@code G = Σ f fᵀ} (upper triangle), {@code B = Σ f yᵀ},
 * {@code Σ ‖f‖²} and the count, over the points one task has seen — the partial result a tree
 * aggregate combines. It is {@code org.nke.krr.FeatureRidge} made serializable and mergeable; the
 * arrays are allocated on the first block, so the zero value Spark copies to every partition is a
 * few bytes. The selection rows (for choosing the ridge) are also kept with their features and global
 * row numbers. Memory: {@code p² + p·c} doubles plus the selection rows (at most 2,000). A fit that
 * keeps the ensemble posterior of an NTK model also sums {@code GᵀF} ({@link #addCross}, {@code p} NTK
 * features × {@code p'} NNGP twin features; {@code p p'} doubles more); with {@code G = F} the sums
 * above are the posterior's own, so {@link #posterior} needs nothing else.
 *
 * <p>Sums are added in a different order than in one process, so {@code G} agrees with
 * {@code FeatureRidge}'s to rounding ({@code ~1e−16} relative per entry), not bit for bit.
 */
final class GramAccumulator implements Serializable {
  private static final long serialVersionUID = 1L;

  /** A row the ridge is chosen on: global number, features, label. */
  record Selected(long row, double[] features, double label) implements Serializable {
  }

  private final int features;
  private final int columns;
  private final int crossColumns;
  private double[][] gram;
  private double[][] cross;
  private double[][] rhs;
  private double squaredNorms;
  private long count;
  private final List<Selected> selected = new ArrayList<>();
  private long featureNanos;
  private long gramNanos;
  private long mergeNanos;

  /**
   * @param features {@code p}
   * @param columns target columns {@code c}
   */
  GramAccumulator(int features, int columns) {
    this(features, columns, 0);
  }

  /**
   * @param features {@code p}
   * @param columns target columns {@code c}
   * @param crossColumns NNGP twin features {@code p'} of {@link #addCross} (0: none)
   */
  GramAccumulator(int features, int columns, int crossColumns) {
    this.features = features;
    this.columns = columns;
    this.crossColumns = crossColumns;
  }

  private void allocate() {
    if (gram == null) {
      gram = new double[features][features];
      rhs = new double[features][columns];
      cross = crossColumns > 0 ? new double[features][crossColumns] : null;
    }
  }

  /**
   * Adds a block of training rows.
   *
   * @param f feature rows ({@code b × p}), not modified
   * @param y their targets ({@code b × c}), not modified
   */
  void add(double[][] f, double[][] y) {
    if (f.length == 0) {
      return;
    }
    allocate();
    long t0 = System.nanoTime();
    Syrk.accumulateUpper(Syrk.transpose(f), gram, null);
    for (int r = 0; r < f.length; r++) {
      for (int i = 0; i < features; i++) {
        double v = f[r][i];
        squaredNorms += v * v;
        for (int t = 0; t < columns; t++) {
          rhs[i][t] += v * y[r][t];
        }
      }
    }
    count += f.length;
    gramNanos += System.nanoTime() - t0;
  }

  /**
   * Adds a block's {@code GᵀF} (model features {@code G}, NNGP twin features {@code F}).
   *
   * @param g model feature rows ({@code b × p}), not modified
   * @param f twin feature rows of the same points ({@code b × p'}), not modified
   */
  void addCross(double[][] g, double[][] f) {
    if (g.length == 0) {
      return;
    }
    allocate();
    long t0 = System.nanoTime();
    Syrk.accumulateProduct(Syrk.transpose(g), Syrk.transpose(f), cross, null);
    gramNanos += System.nanoTime() - t0;
  }

  /** @param row a selection row (its features are added to the sums separately) */
  void keep(Selected row) {
    selected.add(row);
  }

  /** @param nanos time spent computing features, for the timing report */
  void addFeatureTime(long nanos) {
    featureNanos += nanos;
  }

  /**
   * Adds another task's sums (Spark's combine step; this object is modified and returned).
   *
   * @param other the other partial result, not modified
   * @return this
   */
  GramAccumulator merge(GramAccumulator other) {
    long t0 = System.nanoTime();
    if (other.gram != null) {
      if (gram == null) {
        gram = other.gram;
        rhs = other.rhs;
        cross = other.cross;
      } else {
        for (int i = 0; i < features; i++) {
          double[] g = gram[i];
          double[] o = other.gram[i];
          for (int j = i; j < features; j++) {
            g[j] += o[j];
          }
          for (int t = 0; t < columns; t++) {
            rhs[i][t] += other.rhs[i][t];
          }
          for (int j = 0; j < crossColumns; j++) {
            cross[i][j] += other.cross[i][j];
          }
        }
      }
    }
    squaredNorms += other.squaredNorms;
    count += other.count;
    selected.addAll(other.selected);
    featureNanos += other.featureNanos;
    gramNanos += other.gramNanos;
    mergeNanos += other.mergeNanos + System.nanoTime() - t0;
    return this;
  }

  /** @return rows added to the sums */
  long count() {
    return count;
  }

  /** @return the selection rows, by global row number */
  List<Selected> selected() {
    List<Selected> out = new ArrayList<>(selected);
    out.sort(Comparator.comparingLong(Selected::row));
    return out;
  }

  /** @return {@code mean ‖f‖²} over the training rows, the scale of the relative ridge */
  double scale() {
    return count == 0 ? 1 : squaredNorms / count;
  }

  /**
   * @param lambda relative ridge
   * @return {@code W = (G + λ s I)⁻¹ B}, {@code p × c}
   */
  double[][] solve(double lambda) {
    allocate();
    double[][] g = new double[features][];
    for (int i = 0; i < features; i++) {
      g[i] = gram[i].clone();
    }
    Syrk.symmetrize(g);
    return SpdSolver.solve(g, lambda * scale(), rhs);
  }

  /**
   * The primal ensemble posterior of these sums (as {@code RidgeFit.uncertainty} builds it in one
   * process): NNGP from {@code G = F} alone, NTK with the {@link #addCross} sums.
   *
   * @param kind {@link EnsembleKind#NTK} when cross sums were kept, else NNGP
   * @param lambda the relative ridge of the model
   * @return the posterior
   */
  FeatureEnsemblePosterior posterior(EnsembleKind kind, double lambda) {
    allocate();
    PosteriorSums sums = kind == EnsembleKind.NTK
        ? FeatureEnsemblePosterior.accumulator(kind, crossColumns, features, columns)
        : FeatureEnsemblePosterior.accumulator(kind, features, 0, columns);
    return sums.addSums(gram, rhs, cross, count).build(lambda);
  }

  /** @return seconds: features, Gram products, merges (summed over tasks) */
  double[] seconds() {
    return new double[] {featureNanos * 1e-9, gramNanos * 1e-9, mergeNanos * 1e-9};
  }

  @Override
  public String toString() {
    return "GramAccumulator[p=" + features + ", c=" + columns + ", rows=" + count + ", selected="
        + selected.size() + ", seconds=" + Arrays.toString(seconds()) + "]";
  }
}
