package org.nke.krr;

/**
 * Class probabilities from kernel ridge scores: {@code p = softmax(s / T)} with one scalar temperature
 * {@code T}. The ridge scores are regressions on centred one-hot targets, not probabilities; the
 * temperature is chosen at fit time by minimising the leave-one-out log-loss
 * {@code −mean_i log p_{i, y_i}} of the exact LOO scores on the ridge-selection subsample (see
 * {@link ExactRidge#looSelect}). The log-loss is convex in {@code β = 1/T}, so its minimiser is found by
 * bisection on the derivative's sign; when the LOO scores separate the classes perfectly the loss keeps
 * falling as {@code T → 0} and {@code T} stops at {@link #MIN_TEMPERATURE}.
 */
public final class SoftmaxCalibration {
  /** Smallest temperature chosen (largest {@code β = 1/T} is its inverse). */
  public static final double MIN_TEMPERATURE = 1e-4;
  /** Largest temperature chosen (near-uniform probabilities). */
  public static final double MAX_TEMPERATURE = 1e8;

  private SoftmaxCalibration() {
  }

  /**
   * @param scores scores, one column per class, not modified
   * @param t temperature {@code > 0}
   * @return {@code softmax(s / T)} row by row (shifted by the row maximum: no overflow)
   */
  public static double[][] probabilities(double[][] scores, double t) {
    double[][] p = new double[scores.length][];
    for (int i = 0; i < scores.length; i++) {
      double[] s = scores[i];
      double max = max(s);
      double[] row = new double[s.length];
      double sum = 0;
      for (int k = 0; k < s.length; k++) {
        row[k] = Math.exp((s[k] - max) / t);
        sum += row[k];
      }
      for (int k = 0; k < s.length; k++) {
        row[k] /= sum;
      }
      p[i] = row;
    }
    return p;
  }

  /**
   * @param scores scores, one column per class
   * @param classes each row's true class index (rows with {@code -1} are skipped)
   * @param t temperature
   * @return the mean log-loss {@code −log softmax(s/T)_{y}} (natural log)
   */
  public static double logLoss(double[][] scores, int[] classes, double t) {
    double loss = 0;
    int count = 0;
    for (int i = 0; i < scores.length; i++) {
      if (classes[i] < 0) {
        continue;
      }
      double[] s = scores[i];
      double max = max(s);
      double sum = 0;
      for (double v : s) {
        sum += Math.exp((v - max) / t);
      }
      loss += Math.log(sum) - (s[classes[i]] - max) / t;
      count++;
    }
    return loss / count;
  }

  /**
   * @param probabilities class probabilities, rows summing to 1
   * @param classes true class indices ({@code -1}: a label that is not a class, probability 0)
   * @return the mean log-loss, with probabilities floored at {@code 1e-300} (finite)
   */
  public static double logLoss(double[][] probabilities, int[] classes) {
    double loss = 0;
    for (int i = 0; i < probabilities.length; i++) {
      double p = classes[i] < 0 ? 0 : probabilities[i][classes[i]];
      loss -= Math.log(Math.max(p, 1e-300));
    }
    return loss / probabilities.length;
  }

  /** @return the largest score of a row (each softmax is shifted by it: no overflow) */
  private static double max(double[] s) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : s) {
      max = Math.max(max, v);
    }
    return max;
  }

  /** {@code d/dβ} of the mean log-loss at {@code β = 1/T}: {@code mean_i (E_p[s_i] − s_{i,y_i})}. */
  private static double slope(double[][] scores, int[] classes, double beta) {
    double g = 0;
    for (int i = 0; i < scores.length; i++) {
      if (classes[i] < 0) {
        continue;
      }
      double[] s = scores[i];
      double max = max(s);
      double sum = 0;
      double weighted = 0;
      for (double v : s) {
        double e = Math.exp(beta * (v - max));
        sum += e;
        weighted += e * v;
      }
      g += weighted / sum - s[classes[i]];
    }
    return g;
  }

  /**
   * Chooses the temperature minimising the log-loss of the given (leave-one-out) scores.
   *
   * @param scores scores, one column per class, not modified
   * @param classes each row's true class index
   * @return the temperature, in {@code [MIN_TEMPERATURE, MAX_TEMPERATURE]} (the largest when the
   *     scores carry no information: the loss does not fall from {@code β = 0})
   */
  public static double fit(double[][] scores, int[] classes) {
    double hi = 1 / MIN_TEMPERATURE;
    if (slope(scores, classes, 1 / MAX_TEMPERATURE) >= 0) {
      return MAX_TEMPERATURE;
    }
    if (slope(scores, classes, hi) <= 0) {
      return MIN_TEMPERATURE;
    }
    double lo = 0;
    for (int it = 0; it < 200 && hi - lo > 1e-12 * hi; it++) {
      double mid = 0.5 * (lo + hi);
      if (slope(scores, classes, mid) < 0) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return 1 / (0.5 * (lo + hi));
  }
}
