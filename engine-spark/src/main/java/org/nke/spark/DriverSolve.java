package org.nke.spark;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nke.error.InvalidInputException;
import org.nke.krr.FeatureRidge;
import org.nke.krr.KernelRidge;
import org.nke.krr.Targets;

/**
 * The driver side of {@link NeuralKernelRidge#fit}: the ridge and the weights from the aggregated
 * sums, as {@code KernelRidge.fitSketch} does in primal form. When no ridge is given, each value of
 * {@link KernelRidge#PRIMAL_GRID} is tried on the training sums ({@code O(p³)} per value) and scored
 * on the held-out rows; the held-out rows then join the sums and the final system is solved once.
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
   * @param acc the aggregated sums (modified: the held-out rows are added)
   * @param targets the task
   * @param ridge the relative ridge, or {@code null} to choose it
   * @param info facts to record (modified)
   * @return the solution
   */
  static Solution solve(GramAccumulator acc, Targets targets, Double ridge, Map<String, String> info) {
    double lambda;
    List<GramAccumulator.Held> held = acc.held();
    double[] hl = held.stream().mapToDouble(GramAccumulator.Held::label).toArray();
    if (ridge != null) {
      lambda = ridge;
    } else {
      if (held.isEmpty()) {
        throw new InvalidInputException("the ridge must be set (setRidge) for fewer than 10 rows, "
            + "got " + acc.count() + " rows");
      }
      double[][] hf = held.stream().map(GramAccumulator.Held::features).toArray(double[][]::new);
      lambda = KernelRidge.PRIMAL_GRID[0];
      double best = Double.NaN;
      for (double l : KernelRidge.PRIMAL_GRID) {
        double m = targets.metric(targets.decode(FeatureRidge.scores(hf, acc.solve(l))), hl);
        if (Double.isNaN(best) || targets.better(m, best)) {
          best = m;
          lambda = l;
        }
      }
      info.put("ridge_selection", "held-out " + hl.length + " points");
      info.put("heldout_" + targets.metricName(), String.format(Locale.ROOT, "%.6g", best));
    }
    acc.absorbHeld(FitStep.encode(targets.classification(), targets.classes(), targets.mean(), hl));
    return new Solution(lambda, acc.solve(lambda));
  }
}
