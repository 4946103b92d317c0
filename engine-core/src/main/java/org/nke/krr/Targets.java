package org.nke.krr;

import java.util.Arrays;
import java.util.TreeSet;
import org.nke.error.InvalidInputException;

/**
 * Regression targets built from labels, as the command-line contract says: labels that are all
 * integers are classes, one-hot encoded and centred ({@code 1 − 1/C} for the class, {@code −1/C}
 * elsewhere, so no intercept is needed) and predicted by the arg-max; any other labels are regression
 * targets, centred by their training mean.
 *
 * @param classification whether the labels are classes
 * @param classes the sorted class labels (empty for regression)
 * @param mean the training mean of regression targets (0 for classification)
 * @param y the targets, {@code n × c} ({@code c} = number of classes, or 1)
 */
public record Targets(boolean classification, double[] classes, double mean, double[][] y) {
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
    return y[0].length;
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
        out[i] = scores[i][0] + mean;
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
