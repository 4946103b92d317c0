package org.nke.spark;

import java.util.List;
import java.util.Map;
import org.nke.error.InvalidInputException;
import org.nke.krr.KernelRidge;
import org.nke.krr.Targets;

/**
 * The driver side of {@link NeuralKernelRidge#fit}: the ridge and the weights from the aggregated
 * sums, as {@code RidgeFit.sketch} does in primal form. When no ridge is given it is chosen by
 * {@link KernelRidge#chooseRidge} (exact leave-one-out on the feature kernel of the selection rows),
 * the same rule and rows as in one process; then the {@code p × p} system is solved once.
 */
final class DriverSolve {
  private DriverSolve() {
  }

  /**
   * The ridge and the weights.
   *
   * @param lambda the relative ridge
   * @param weights {@code W}, {@code p × c}
   */
  record Solution(double lambda, double[][] weights) {
  }

  /**
   * @param acc the aggregated sums
   * @param targets the task
   * @param ridge the relative ridge, or {@code null} to choose it
   * @param info facts to record (modified)
   * @return the solution
   */
  static Solution solve(GramAccumulator acc, Targets targets, Double ridge, Map<String, String> info) {
    double lambda;
    if (ridge != null) {
      lambda = ridge;
    } else {
      List<GramAccumulator.Selected> rows = acc.selected();
      if (rows.size() < 2) {
        throw new InvalidInputException("the ridge must be set (setRidge) for fewer than 2 rows, "
            + "got " + acc.count() + " rows");
      }
      lambda = KernelRidge.chooseRidge(
          rows.stream().map(GramAccumulator.Selected::features).toArray(double[][]::new),
          rows.stream().mapToDouble(GramAccumulator.Selected::label).toArray(), targets, null, info);
    }
    return new Solution(lambda, acc.solve(lambda));
  }
}
