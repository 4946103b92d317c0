package org.nke.krr;

import java.util.concurrent.ForkJoinPool;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import org.nke.error.InvalidInputException;

/**
 * The training products of a {@link FeatureEnsemblePosterior}, accumulated block by block
 * ({@link #add}) or added as sums made elsewhere ({@link #addSums}): {@code FᵀF}, {@code Fᵀy}
 * (NNGP) or {@code GᵀG}, {@code GᵀF}, {@code Gᵀy} (NTK), and the point count. Not thread-safe.
 * Made by {@link FeatureEnsemblePosterior#accumulator}.
 */
public final class PosteriorSums {
  final EnsembleKind kind;
  private final int nngpDim;
  private final int ntkDim;
  final int outputs;
  final double[][] nngpGram;
  final double[][] nngpTargets;
  final double[][] ntkGram;
  final double[][] ntkTargets;
  final double[][] cross;
  long points;
  private ForkJoinPool pool;

  PosteriorSums(EnsembleKind kind, int nngpDim, int ntkDim, int outputs) {
    if (nngpDim < 1 || outputs < 1 || (kind == EnsembleKind.NTK && ntkDim < 1)) {
      throw new InvalidInputException("feature dimensions and outputs must be >= 1, got p = "
          + nngpDim + ", q = " + ntkDim + ", k = " + outputs);
    }
    this.kind = kind;
    this.nngpDim = nngpDim;
    this.ntkDim = ntkDim;
    this.outputs = outputs;
    boolean ntk = kind == EnsembleKind.NTK;
    this.nngpGram = ntk ? null : new double[nngpDim][nngpDim];
    this.nngpTargets = ntk ? null : new double[nngpDim][outputs];
    this.ntkGram = ntk ? new double[ntkDim][ntkDim] : null;
    this.ntkTargets = ntk ? new double[ntkDim][outputs] : null;
    this.cross = ntk ? new double[ntkDim][nngpDim] : null;
  }

  /** Runs the products of {@link #add} on {@code p} ({@code null}: this thread); same results. */
  void pool(ForkJoinPool p) {
    this.pool = p;
  }

  /**
   * Adds a block of training points.
   *
   * @param nngpFeatures {@code F} rows of the block, {@code b × p}, not modified
   * @param ntkFeatures {@code G} rows of the block, {@code b × q}, not modified (NTK only; ignored,
   *     may be {@code null}, for NNGP)
   * @param y the block's targets, {@code b × k}, not modified
   * @return these sums
   */
  public PosteriorSums add(double[][] nngpFeatures, double[][] ntkFeatures, double[][] y) {
    int b = y.length;
    if (nngpFeatures.length != b || (kind == EnsembleKind.NTK && ntkFeatures.length != b)) {
      throw new InvalidInputException("feature and target blocks must have the same number of rows, got "
          + nngpFeatures.length + " and " + b);
    }
    FeatureEnsemblePosterior.checkColumns("the targets", y, outputs);
    FeatureEnsemblePosterior.checkColumns("the NNGP features", nngpFeatures, nngpDim);
    if (b == 0) {
      return this;
    }
    if (kind == EnsembleKind.NNGP) {
      Syrk.accumulateUpper(Syrk.transpose(nngpFeatures), nngpGram, pool);
      addProduct(nngpFeatures, y, nngpTargets, null);
    } else {
      FeatureEnsemblePosterior.checkColumns("the NTK features", ntkFeatures, ntkDim);
      Syrk.accumulateUpper(Syrk.transpose(ntkFeatures), ntkGram, pool);
      addProduct(ntkFeatures, y, ntkTargets, null);
      Syrk.accumulateProduct(Syrk.transpose(ntkFeatures), Syrk.transpose(nngpFeatures), cross,
          pool);
    }
    points += b;
    return this;
  }

  /**
   * Adds sums accumulated elsewhere (e.g. by a distributed aggregate over partitions), as if their
   * blocks had been added here.
   *
   * @param gram {@code EᵀE} of the driving features ({@code FᵀF} for NNGP, {@code GᵀG} for NTK);
   *     only its upper triangle is read; not modified
   * @param targets {@code Eᵀy}, not modified
   * @param cross {@code GᵀF} ({@code q × p}) for NTK, ignored (may be {@code null}) for NNGP; not
   *     modified
   * @param points the number of rows the sums are over
   * @return these sums
   * @throws InvalidInputException if the shapes are not these sums's
   */
  public PosteriorSums addSums(double[][] gram, double[][] targets, double[][] cross, long points) {
    boolean ntk = kind == EnsembleKind.NTK;
    double[][] g = ntk ? ntkGram : nngpGram;
    double[][] y = ntk ? ntkTargets : nngpTargets;
    if (gram.length != g.length || targets.length != g.length || ntk && cross.length != g.length) {
      throw new InvalidInputException("the sums must have " + g.length + " rows, got "
          + gram.length + " and " + targets.length);
    }
    FeatureEnsemblePosterior.checkColumns("the feature Gram sum", gram, g.length);
    FeatureEnsemblePosterior.checkColumns("the target sum", targets, outputs);
    for (int i = 0; i < g.length; i++) {
      for (int j = i; j < g.length; j++) {
        g[i][j] += gram[i][j];
      }
      for (int c = 0; c < outputs; c++) {
        y[i][c] += targets[i][c];
      }
    }
    if (ntk) {
      FeatureEnsemblePosterior.checkColumns("the cross sum", cross, nngpDim);
      for (int i = 0; i < g.length; i++) {
        for (int j = 0; j < nngpDim; j++) {
          this.cross[i][j] += cross[i][j];
        }
      }
    }
    this.points += points;
    return this;
  }

  /**
   * @param ridge relative ridge {@code λ ≥ 0} (relative to the mean diagonal of the driving kernel)
   * @return the posterior; these sums must not be used afterwards
   */
  public FeatureEnsemblePosterior build(double ridge) {
    return new FeatureEnsemblePosterior(this, ridge);
  }

  /** {@code out += aᵀ b} (small {@code b}: the targets). */
  private static void addProduct(double[][] a, double[][] b, double[][] out, ForkJoinPool pool) {
    IntConsumer row = i -> {
      double[] oi = out[i];
      for (int r = 0; r < a.length; r++) {
        double w = a[r][i];
        double[] br = b[r];
        for (int j = 0; j < br.length; j++) {
          oi[j] += w * br[j];
        }
      }
    };
    if (pool == null) {
      IntStream.range(0, out.length).forEach(row);
    } else {
      pool.submit(() -> IntStream.range(0, out.length).parallel().forEach(row)).join();
    }
  }
}
