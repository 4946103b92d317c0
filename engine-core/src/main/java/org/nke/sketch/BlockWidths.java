package org.nke.sketch;

import org.nke.hermite.HermiteSource;

/**
 * How a layer's sketch budget is split among Hermite degrees, and the automatic degree: from the
 * relative coefficient masses {@code c_k(a)² / Σ_j c_j(a)²} of the activation's normalised Hermite
 * series at the scales {@code a = √k} of a set of pre-activation variances (the data-free reference
 * or a sample's, see {@link SketchPlan}), for the NNGP series and, for the NTK, the derivative's.
 */
final class BlockWidths {
  private BlockWidths() {
  }

  /** Allocates the blocks, lowering an automatic degree until the budget suffices. */
  static BlockLayout layout(HermiteSource source, double[] vars, int q, boolean ntk, int dK,
      int budget, boolean fixed) {
    return layout(source, vars, q, ntk, dK, budget, fixed, false);
  }

  /** As above; {@code peak}: widths by {@link #peakMasses} instead of the mean masses. */
  static BlockLayout layout(HermiteSource source, double[] vars, int q, boolean ntk, int dK,
      int budget, boolean fixed, boolean peak) {
    for (int deg = q; ; deg--) {
      try {
        return BlockLayout.allocate(peak ? peakMasses(source, vars, deg, ntk)
            : masses(source, vars, deg, ntk), dK, budget);
      } catch (IllegalArgumentException e) {
        if (fixed || deg <= 1) {
          throw new IllegalArgumentException("sketch dimension " + budget + " is too small for "
              + "Hermite degree " + q + "; use a larger --dim or a lower --degree", e);
        }
      }
    }
  }

  /** Mean relative coefficient mass per degree over the sample (NNGP and derivative series). */
  static double[] masses(HermiteSource source, double[] vars, int q, boolean ntk) {
    double[] mass = new double[q + 1];
    int count = Math.min(vars.length, 64);
    for (int i = 0; i < count; i++) {
      double a = Math.sqrt(Math.max(vars[i * vars.length / count], 0));
      addNormalised(mass, source.coefficients(a, q, false, true));
      if (ntk) {
        addNormalised(mass, source.coefficients(a, q, true, true));
      }
    }
    return mass;
  }

  /**
   * Per degree, the largest relative coefficient mass over the sample (NNGP and derivative series):
   * a degree that carries much of some point's kernel (the folded tail of a large-scale point) gets
   * a width that keeps that point's error small, not one sized for the typical point.
   */
  static double[] peakMasses(HermiteSource source, double[] vars, int q, boolean ntk) {
    double[] peak = new double[q + 1];
    int count = Math.min(vars.length, 64);
    for (int i = 0; i < count; i++) {
      double a = Math.sqrt(Math.max(vars[i * vars.length / count], 0));
      for (boolean deriv : ntk ? new boolean[] {false, true} : new boolean[] {false}) {
        double[] one = new double[q + 1];
        addNormalised(one, source.coefficients(a, q, deriv, true));
        for (int k = 0; k <= q; k++) {
          peak[k] = Math.max(peak[k], one[k]);
        }
      }
    }
    return peak;
  }

  private static void addNormalised(double[] mass, double[] c) {
    double total = 0;
    for (double v : c) {
      total += v * v;
    }
    if (total > 0) {
      for (int k = 0; k < c.length; k++) {
        mass[k] += c[k] * c[k] / total;
      }
    }
  }

  /** Smallest degree whose unfolded tail mass is below the tolerance, clamped to the auto range. */
  static int autoDegree(HermiteSource source, double[] vars, boolean ntk, double tol) {
    int qMax = SketchOptions.MAX_AUTO_DEGREE;
    double[] mass = new double[qMax + 2];
    int count = Math.min(vars.length, 16);
    for (int i = 0; i < count; i++) {
      double a = Math.sqrt(Math.max(vars[i * vars.length / count], 0));
      // plain coefficients to qMax and folded ones: the folded top holds the whole tail
      for (boolean deriv : ntk ? new boolean[] {false, true} : new boolean[] {false}) {
        double[] plain = source.coefficients(a, qMax + 1, deriv, false);
        double[] folded = source.coefficients(a, qMax + 1, deriv, true);
        double total = 0;
        for (double v : folded) {
          total += v * v;
        }
        for (int k = 0; k <= qMax + 1 && total > 0; k++) {
          double v = k >= qMax ? folded[k] : plain[k];
          mass[k] += v * v / total / count;
        }
      }
    }
    double tail = 0;
    for (double v : mass) {
      tail += v;
    }
    for (int q = 0; q <= qMax; q++) {
      tail -= mass[q];
      if (q >= SketchOptions.MIN_AUTO_DEGREE && tail <= tol * (ntk ? 2 : 1)) {
        return q;
      }
    }
    return qMax;
  }
}
