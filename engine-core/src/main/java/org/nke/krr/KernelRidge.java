package org.nke.krr;

import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import org.nke.error.InvalidInputException;

/**
 * How kernel ridge models choose their ridge when none is given: exact leave-one-out on an evenly
 * spaced subsample of up to {@link #SELECTION_POINTS} points (for sketches, on the sketch kernel of
 * the subsample). Models are fitted by {@link RidgeFit}.
 */
public final class KernelRidge {
  /** Largest sample used to choose the ridge by leave-one-out. */
  public static final int SELECTION_POINTS = 2000;
  /** Points per feature block. */
  public static final int BLOCK = 512;

  private KernelRidge() {
  }

  /**
   * The training rows whose features choose the ridge when none is given:
   * {@code ⌊i n / m⌋} for {@code i < m = min(n, SELECTION_POINTS)}, in increasing order. A
   * distributed fit that picks the same rows (by global row number) chooses the same ridge.
   *
   * @param n the number of training rows
   * @return the selection rows
   */
  public static long[] selectionRows(long n) {
    int m = (int) Math.min(n, SELECTION_POINTS);
    long[] idx = new long[m];
    for (int i = 0; i < m; i++) {
      idx[i] = Math.multiplyExact(i, n) / m;
    }
    return idx;
  }

  /**
   * Chooses the relative ridge on features: exact leave-one-out on the feature kernel
   * {@code K_S = F_S F_Sᵀ} of the {@link #selectionRows selection rows}, over {@link ExactRidge#GRID}
   * (the ridge relative to the mean of {@code diag K_S}), so that only one {@code p × p} Cholesky is
   * needed for the final primal solve.
   *
   * @param features the selection rows' features, in {@link #selectionRows} order, not modified
   * @param labels their labels
   * @param targets the task of the whole training set (its classes)
   * @param pool threads, or {@code null}
   * @param info facts to record ({@code ridge_selection}, {@code loo_<metric>}, for classes
   *     {@code loo_log_loss}), modified
   * @return the relative ridge
   */
  public static double chooseRidge(double[][] features, double[] labels, Targets targets,
      ForkJoinPool pool, Map<String, String> info) {
    double lambda = chooseCalibrated(features, labels, targets, pool, info);
    // the temperature goes into a model by LooSelection.calibrated, which callers of this do not use
    info.remove(LooSelection.TEMPERATURE);
    info.remove(LooSelection.TEMPERATURE_SELECTION);
    return lambda;
  }

  /** As {@link #chooseRidge}, leaving the classes' LOO temperature in {@code info}. */
  static double chooseCalibrated(double[][] features, double[] labels, Targets targets,
      ForkJoinPool pool, Map<String, String> info) {
    int rows = labels != null ? labels.length : targets.y().length;
    if (features.length != rows || features.length < 2) {
      throw new InvalidInputException("choosing the ridge needs at least 2 rows with one label each, "
          + "got " + features.length + " rows and " + rows + " labels");
    }
    double[][] k = new double[features.length][features.length];
    Syrk.accumulateUpper(features, k, pool);
    Syrk.symmetrize(k);
    return chooseByLoo(k, labels, targets.classification()
        ? Targets.classification(labels, targets.classes())
        : labels == null ? targets : Targets.of(labels), info);
  }

  static double chooseByLoo(double[][] k, double[] labels, Targets targets,
      Map<String, String> info) {
    return LooSelection.loo(k, labels, targets, ExactRidge.GRID, info);
  }

  static int[] toInts(long[] rows) {
    int[] out = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = (int) rows[i];
    }
    return out;
  }
}
