package org.nke.krr;

import java.util.Locale;
import java.util.Map;

/**
 * Leave-one-out on the ridge-selection subsample of a kernel matrix: the ridge ({@link ExactRidge}
 * over a grid) and, for classes, the softmax temperature of class probabilities
 * ({@link SoftmaxCalibration}) from the same exact LOO scores.
 */
final class LooSelection {
  /** Info key that carries the LOO temperature from the ridge selection to the model's targets. */
  static final String TEMPERATURE = "temperature";
  /** Info key saying how the temperature was chosen. */
  static final String TEMPERATURE_SELECTION = "temperature_selection";

  private LooSelection() {
  }

  /** Evenly spaced indices, at most {@code max} of {@code n}. */
  static int[] subsample(int n, int max) {
    int m = Math.min(n, max);
    int[] idx = new int[m];
    for (int i = 0; i < m; i++) {
      idx[i] = (int) ((long) i * n / m);
    }
    return idx;
  }

  static double[][] sub(double[][] k, int[] idx) {
    double[][] s = new double[idx.length][idx.length];
    for (int a = 0; a < idx.length; a++) {
      for (int b = 0; b < idx.length; b++) {
        s[a][b] = k[idx[a]][idx[b]];
      }
    }
    return s;
  }

  /**
   * Leave-one-out on an evenly spaced subsample of {@code k}'s points over {@code grid}; for classes,
   * also the softmax temperature minimising the LOO log-loss at the chosen ridge
   * ({@link SoftmaxCalibration}), recorded in {@code info} under {@link #TEMPERATURE} (moved into the
   * model's targets by {@link #calibrated}) with {@code loo_log_loss}.
   *
   * @param labels one label per point ({@code null} for several regression columns)
   * @return the chosen ridge
   */
  static double loo(double[][] k, double[] labels, Targets targets, double[] grid,
      Map<String, String> info) {
    return loo(k, labels, targets, grid, KernelRidge.SELECTION_POINTS, info);
  }

  private static double loo(double[][] k, double[] labels, Targets targets, double[] grid,
      int points, Map<String, String> info) {
    int[] idx = subsample(k.length, points);
    Targets st = targets.rows(idx, labels);
    double[] sl = null;
    if (labels != null) {
      sl = new double[idx.length];
      for (int i = 0; i < idx.length; i++) {
        sl[i] = labels[idx[i]];
      }
    }
    ExactRidge.Loo best = ExactRidge.looScores(sub(k, idx), st, sl, grid);
    if (grid.length > 1) {
      info.put("ridge_selection", "leave-one-out on " + idx.length + " points");
      info.put("loo_" + targets.metricName(), fmt(best.metric()));
    }
    if (targets.classification()) {
      int[] cls = st.classIndices(sl);
      double t = SoftmaxCalibration.fit(best.scores(), cls);
      info.put(TEMPERATURE, Double.toString(t));
      info.put("loo_log_loss", fmt(SoftmaxCalibration.logLoss(best.scores(), cls, t)));
      info.put(TEMPERATURE_SELECTION, "leave-one-out log-loss on " + idx.length + " points");
    }
    return best.ridge();
  }

  /**
   * For classes with a given ridge: the calibration temperature by leave-one-out at that ridge, on
   * an evenly spaced subsample of at most {@value #CALIBRATION_POINTS} points (one scalar needs few
   * points; the eigendecomposition of the full selection subsample, 2,000 points, took about 10 s
   * per fit on 2 cores, which the ridge-given fits of the demo paid three times).
   */
  static void calibrateAt(double[][] k, double[] labels, Targets targets, double ridge,
      Map<String, String> info) {
    if (targets.classification()) {
      loo(k, labels, targets, new double[] {ridge}, CALIBRATION_POINTS, info);
    }
  }

  /** Largest subsample calibrating the temperature when the ridge is given. */
  static final int CALIBRATION_POINTS = 500;

  /**
   * @param targets a model's targets
   * @param info its facts, from which {@link #TEMPERATURE} is removed
   * @return the targets with that temperature (unchanged when there is none)
   */
  static Targets calibrated(Targets targets, Map<String, String> info) {
    String t = info.remove(TEMPERATURE);
    return t == null ? targets : targets.withTemperature(Double.parseDouble(t));
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.6g", v);
  }
}
