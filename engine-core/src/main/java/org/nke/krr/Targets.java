package org.nke.krr;

import java.util.Arrays;
import java.util.TreeSet;
import org.nke.error.InvalidInputException;

/**
 * Regression targets built from labels, as the command-line contract says: labels that are all
 * integers are classes, one-hot encoded and centred ({@code 1 − 1/C} for the class, {@code −1/C}
 * elsewhere, so no intercept is needed) and predicted by the arg-max; any other labels are regression
 * targets, centred by their training mean. Labels with several columns ({@link #of(double[][])}) are
 * multi-output regression, each column centred by its own mean.
 *
 * @param classification whether the labels are classes
 * @param classes the sorted class labels (empty for regression)
 * @param means the training mean of each regression column (empty for classification)
 * @param y the targets, {@code n × c} ({@code c} = number of classes, or of regression columns)
 * @param temperature classification: the softmax temperature of {@link #probabilities} chosen at fit
 *     time ({@link SoftmaxCalibration}), {@code NaN} when none was
 */
public record Targets(boolean classification, double[] classes, double[] means, double[][] y,
    double temperature) {
  /**
   * Targets without a calibration temperature.
   *
   * @param classification whether the labels are classes
   * @param classes the sorted class labels (empty for regression)
   * @param means the training mean of each regression column (empty for classification)
   * @param y the targets
   */
  public Targets(boolean classification, double[] classes, double[] means, double[][] y) {
    this(classification, classes, means, y, Double.NaN);
  }

  /**
   * @param t a softmax temperature
   * @return these targets with it
   */
  public Targets withTemperature(double t) {
    return new Targets(classification, classes, means, y, t);
  }

  /**
   * Class probabilities {@code softmax(s / T)} with the fitted {@link #temperature}.
   *
   * @param scores classification scores, one column per class
   * @return probabilities, rows summing to 1, in {@link #classes} order
   * @throws IllegalStateException for regression or without a temperature
   */
  public double[][] probabilities(double[][] scores) {
    if (!classification || Double.isNaN(temperature)) {
      throw new IllegalStateException("class probabilities need a classification model with a "
          + "calibration temperature");
    }
    return SoftmaxCalibration.probabilities(scores, temperature);
  }

  /**
   * @param labels class labels
   * @return their indices in {@link #classes}, {@code -1} for labels that are not classes
   */
  public int[] classIndices(double[] labels) {
    int[] out = new int[labels.length];
    for (int i = 0; i < labels.length; i++) {
      out[i] = Math.max(-1, Arrays.binarySearch(classes, labels[i]));
    }
    return out;
  }
  /**
   * Targets with one regression column, or classes.
   *
   * @param classification whether the labels are classes
   * @param classes the sorted class labels (empty for regression)
   * @param mean the training mean of regression targets (ignored for classification)
   * @param y the targets
   */
  public Targets(boolean classification, double[] classes, double mean, double[][] y) {
    this(classification, classes, classification ? new double[0] : new double[] {mean}, y);
  }

  /** @return the training mean of a one-column regression (0 for classification) */
  public double mean() {
    return means.length == 0 ? 0 : means[0];
  }

  /** @return whether this is a regression with several columns */
  public boolean multiOutput() {
    return !classification && means.length > 1;
  }

  /**
   * Targets of labels with one or more columns: one column goes through {@link #of(double[])} (classes
   * when all integers); several columns are multi-output regression (even when integer-valued), each
   * column centred by its mean.
   *
   * @param labels one row of labels per point, all rows as wide, not modified
   * @return the targets
   */
  public static Targets of(double[][] labels) {
    if (labels.length == 0) {
      throw new InvalidInputException("labels must not be empty");
    }
    int k = labels[0].length;
    if (k == 1) {
      double[] col = new double[labels.length];
      for (int i = 0; i < col.length; i++) {
        col[i] = labels[i][0];
      }
      return of(col);
    }
    double[] means = new double[k];
    for (int i = 0; i < labels.length; i++) {
      if (labels[i].length != k) {
        throw new InvalidInputException("labels must have " + k + " columns in every row, got "
            + labels[i].length + " at row " + (i + 1));
      }
      for (int t = 0; t < k; t++) {
        if (!Double.isFinite(labels[i][t])) {
          throw new InvalidInputException("labels must be finite, got " + labels[i][t] + " at row "
              + (i + 1) + ", column " + (t + 1));
        }
        means[t] += labels[i][t];
      }
    }
    double[][] y = new double[labels.length][k];
    for (int t = 0; t < k; t++) {
      means[t] /= labels.length;
    }
    for (int i = 0; i < labels.length; i++) {
      for (int t = 0; t < k; t++) {
        y[i][t] = labels[i][t] - means[t];
      }
    }
    return new Targets(false, new double[0], means, y);
  }

  /**
   * @param scores model outputs, one row per point
   * @return regression values: scores plus each column's training mean
   */
  public double[][] values(double[][] scores) {
    double[][] out = new double[scores.length][];
    for (int i = 0; i < scores.length; i++) {
      out[i] = new double[scores[i].length];
      for (int t = 0; t < out[i].length; t++) {
        out[i][t] = scores[i][t] + (classification ? 0 : means[t]);
      }
    }
    return out;
  }

  /**
   * @param predicted predicted values ({@link #values})
   * @param truth true labels, as wide
   * @return the mean squared error over all entries
   */
  public static double mse(double[][] predicted, double[][] truth) {
    if (predicted.length != truth.length) {
      throw new InvalidInputException("labels must have one row per point: " + predicted.length
          + " points, got " + truth.length + " rows of labels");
    }
    double s = 0;
    long count = 0;
    for (int i = 0; i < truth.length; i++) {
      if (truth[i].length != predicted[i].length) {
        throw new InvalidInputException("labels must have " + predicted[i].length + " columns (as "
            + "the model's targets), got " + truth[i].length);
      }
      for (int t = 0; t < truth[i].length; t++) {
        double e = predicted[i][t] - truth[i][t];
        s += e * e;
        count++;
      }
    }
    return s / count;
  }

  /**
   * The metric of scores on these targets' own points: as {@link #metric} of {@link #decode} for one
   * column or classes (with {@code truth}), the MSE over all entries for several columns.
   *
   * @param scores scores of the targets' points
   * @param truth their labels ({@code null} for several columns)
   * @return the metric
   */
  public double scoreMetric(double[][] scores, double[] truth) {
    if (truth != null) {
      return metric(decode(scores), truth);
    }
    double s = 0;
    for (int i = 0; i < y.length; i++) {
      for (int t = 0; t < y[i].length; t++) {
        double e = scores[i][t] - y[i][t];
        s += e * e;
      }
    }
    return s / ((double) y.length * columns());
  }

  /**
   * The targets of some of the points, re-centred on them as {@link #of} would.
   *
   * @param rows row indices
   * @param labels the labels of all points ({@code null} for several columns)
   * @return the targets of the rows
   */
  public Targets rows(int[] rows, double[] labels) {
    if (labels != null) {
      double[] sl = new double[rows.length];
      for (int i = 0; i < rows.length; i++) {
        sl[i] = labels[rows[i]];
      }
      return classification ? classification(sl, classes) : of(sl);
    }
    double[][] raw = new double[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      raw[i] = values(new double[][] {y[rows[i]]})[0];
    }
    return of(raw);
  }
  /**
   * @param labels one label per point, not modified
   * @return the targets
   */
  public static Targets of(double[] labels) {
    if (labels.length == 0) {
      throw new InvalidInputException("labels must not be empty");
    }
    boolean integers = Arrays.stream(labels).allMatch(v -> Double.isFinite(v) && v == Math.rint(v));
    if (integers) {
      double[] classes = new TreeSet<>(Arrays.stream(labels).boxed().toList()).stream()
          .mapToDouble(Double::doubleValue).toArray();
      return classification(labels, classes);
    }
    double mean = Arrays.stream(labels).average().orElse(0);
    double[][] y = new double[labels.length][1];
    for (int i = 0; i < labels.length; i++) {
      if (!Double.isFinite(labels[i])) {
        throw new InvalidInputException("labels must be finite, got " + labels[i] + " at row "
            + (i + 1));
      }
      y[i][0] = labels[i] - mean;
    }
    return new Targets(false, new double[0], mean, y);
  }

  /**
   * @param labels class labels
   * @param classes every class (labels must be among them)
   * @return centred one-hot targets
   */
  public static Targets classification(double[] labels, double[] classes) {
    int c = classes.length;
    double[][] y = new double[labels.length][c];
    for (int i = 0; i < labels.length; i++) {
      int k = Arrays.binarySearch(classes, labels[i]);
      if (k < 0) {
        throw new InvalidInputException("label " + labels[i] + " at row " + (i + 1) + " is not one of "
            + "the classes " + Arrays.toString(classes));
      }
      Arrays.fill(y[i], -1.0 / c);
      y[i][k] += 1.0;
    }
    return new Targets(true, classes.clone(), 0, y);
  }

  /**
   * @return whether this is a classification whose classes are all integers (within the range of a
   *     {@code long}), so that predicted classes can be written as integers
   */
  public boolean integerClasses() {
    return classification && Arrays.stream(classes).allMatch(v -> v == Math.rint(v)
        && Math.abs(v) < 0x1p63);
  }

  /** @return number of target columns */
  public int columns() {
    return y.length > 0 ? y[0].length : classification ? classes.length : Math.max(1, means.length);
  }

  /**
   * @param scores model outputs, one row per point, {@link #columns()} wide
   * @return predicted labels (class of the largest score, or value plus the training mean)
   */
  public double[] decode(double[][] scores) {
    double[] out = new double[scores.length];
    for (int i = 0; i < scores.length; i++) {
      if (classification) {
        int best = 0;
        for (int k = 1; k < scores[i].length; k++) {
          if (scores[i][k] > scores[i][best]) {
            best = k;
          }
        }
        out[i] = classes[best];
      } else {
        out[i] = scores[i][0] + mean();
      }
    }
    return out;
  }

  /**
   * @param predicted predictions from {@link #decode}
   * @param truth true labels
   * @return accuracy for classification, mean squared error for regression
   */
  public double metric(double[] predicted, double[] truth) {
    if (predicted.length != truth.length) {
      throw new InvalidInputException("labels must have one value per point: " + predicted.length
          + " points, got " + truth.length + " labels");
    }
    double s = 0;
    for (int i = 0; i < truth.length; i++) {
      s += classification ? (predicted[i] == truth[i] ? 1 : 0)
          : (predicted[i] - truth[i]) * (predicted[i] - truth[i]);
    }
    return s / truth.length;
  }

  /** @return {@code accuracy} or {@code MSE} */
  public String metricName() {
    return classification ? "accuracy" : "MSE";
  }

  /**
   * @param a a metric value
   * @param b another
   * @return whether {@code a} is better than {@code b}
   */
  public boolean better(double a, double b) {
    return classification ? a > b : a < b;
  }
}
