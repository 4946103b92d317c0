package org.nke.cuda;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.IntStream;
import org.nke.hermite.NormalExpectation;

/**
 * The quadrature weights {@code nke_hermite_abrelu_f64} needs: for each point, those of the CPU's own
 * rule {@code NormalExpectation.rule(s > 1 ? 1/s : 1)} at its scale {@code s = √max(var, 0)} (as
 * {@code FunctionHermiteSource} chooses it), one per node pair {@code ±z} in the rule's order, so that
 * the device's coefficients equal the CPU's bit for bit (the nodes themselves are generated on the
 * device, exactly). Points with the same rule share one copy (all points with {@code s ≤ 1} do).
 *
 * @param weights the distinct rules' pair weights, back to back
 * @param offsets per point, the index of its rule's first weight
 */
record QuadratureWeights(double[] weights, int[] offsets) {
  /**
   * @param var the points' pre-activation variances, not modified
   * @return their weights
   */
  static QuadratureWeights of(double[] var) {
    Map<Long, Integer> index = new HashMap<>();
    double[] widths = new double[var.length];
    int[] rule = new int[var.length];
    for (int i = 0; i < var.length; i++) {
      double a = Math.max(Math.sqrt(Math.max(var[i], 0)), 0);
      widths[i] = a > 1 ? 1 / a : 1;
      rule[i] = index.computeIfAbsent(Double.doubleToLongBits(widths[i]), k -> index.size());
    }
    double[] distinct = new double[index.size()];
    for (int i = 0; i < var.length; i++) {
      distinct[rule[i]] = widths[i];
    }
    double[][] pairs = new double[distinct.length][];
    IntStream.range(0, distinct.length).parallel().forEach(r -> {
      double[] w = NormalExpectation.rule(distinct[r])[1];
      double[] half = new double[w.length / 2];
      for (int k = 0; k < half.length; k++) {
        half[k] = w[2 * k];
      }
      pairs[r] = half;
    });
    int[] start = new int[distinct.length];
    int total = 0;
    for (int r = 0; r < distinct.length; r++) {
      start[r] = total;
      total += pairs[r].length;
    }
    double[] all = new double[total];
    for (int r = 0; r < distinct.length; r++) {
      System.arraycopy(pairs[r], 0, all, start[r], pairs[r].length);
    }
    int[] offsets = new int[var.length];
    for (int i = 0; i < var.length; i++) {
      offsets[i] = start[rule[i]];
    }
    return new QuadratureWeights(all, offsets);
  }
}
