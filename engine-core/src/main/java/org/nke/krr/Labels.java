package org.nke.krr;

import org.nke.error.InvalidInputException;

/**
 * Training labels as a fit uses them: the targets ({@link Targets#of(double[][])}: one column is
 * classes or one regression output, several columns multi-output regression) and, for one column,
 * the labels themselves (for the accuracy or MSE of leave-one-out selection).
 *
 * @param targets the targets
 * @param truth the labels of a one-column fit, {@code null} for several columns
 */
record Labels(Targets targets, double[] truth) {
  /**
   * @param n the number of training points
   * @param labels one row of labels per point ({@code n × k}), not modified
   * @param what {@code point} or {@code image}, for messages
   * @return the labels
   * @throws InvalidInputException if there is not one row per point
   */
  static Labels of(int n, double[][] labels, String what) {
    if (labels.length != n) {
      throw new InvalidInputException("labels must have one value per " + what + ": " + n + " "
          + what + "s, got " + labels.length + " labels");
    }
    Targets targets = Targets.of(labels);
    return new Labels(targets, labels[0].length == 1 ? RidgeFit.column(labels) : null);
  }
}
