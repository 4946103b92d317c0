package org.nke.sketch;

import java.util.Arrays;

/**
 * How an activation layer's feature budget is split across Hermite degrees: one constant (degree
 * 0), degree 1 either exact (the input itself, when it is narrower than its share) or sketched, and
 * the complex widths {@code M_k} of degrees {@code k ≥ 2}. Widths are proportional to each degree's
 * coefficient mass (averaged over sample points, NNGP and derivative series together), even, and at
 * least {@link #MIN_WIDTH} complex entries for every degree with non-negligible mass; degrees whose
 * coefficients vanish (e.g. even degrees of odd activations) get none.
 *
 * @param degree the truncation degree {@code q}
 * @param exactLinear whether degree 1 is the input itself
 * @param linearWidth real width of degree 1 (the input length when exact)
 * @param polyWidths complex widths {@code M_k} of degrees {@code 0 … q} (entries 0, 1 unused)
 */
public record BlockLayout(int degree, boolean exactLinear, int linearWidth, int[] polyWidths) {
  /** Smallest complex width given to a degree with non-negligible mass. */
  public static final int MIN_WIDTH = 4;
  /** Relative mass below which a degree is dropped. */
  public static final double NEGLIGIBLE = 1e-10;

  /** @return the real output length {@code 1 + linearWidth + Σ 2 M_k} */
  public int total() {
    int t = 1 + linearWidth;
    for (int k = 2; k < polyWidths.length; k++) {
      t += 2 * polyWidths[k];
    }
    return t;
  }

  /**
   * @param mass relative coefficient mass of degrees {@code 0 … q} (non-negative)
   * @param inputDim length of the incoming features
   * @param budget real output length available (at least {@code 2 + 2·MIN_WIDTH·q})
   * @return the layout
   */
  public static BlockLayout allocate(double[] mass, int inputDim, int budget) {
    return allocate(mass, inputDim, budget, LinearSketch.maxOutputs(inputDim));
  }

  /**
   * @param mass relative coefficient mass of degrees {@code 0 … q} (non-negative)
   * @param inputDim length of the incoming features ({@code Integer.MAX_VALUE}: degree 1 is never
   *     exact)
   * @param budget real output length available
   * @param linearCap the most outputs the degree-1 sketch can give
   * @return the layout
   */
  public static BlockLayout allocate(double[] mass, int inputDim, int budget, int linearCap) {
    int q = mass.length - 1;
    double total = 0;
    for (int k = 1; k <= q; k++) {
      total += mass[k];
    }
    int available = budget - 1;
    int[] poly = new int[q + 1];
    if (q == 0 || total <= 0) {
      return new BlockLayout(q, false, 0, poly);
    }
    double share1 = available * mass[1] / total;
    boolean exact = mass[1] > NEGLIGIBLE * total && inputDim <= share1;
    int linear;
    double rest = total - mass[1];
    int polyBudget;
    if (exact) {
      linear = inputDim;
      polyBudget = available - linear;
    } else if (mass[1] > NEGLIGIBLE * total) {
      linear = Math.min(evenFloor(share1), linearCap);
      linear = Math.max(linear, Math.min(2 * MIN_WIDTH, linearCap));
      polyBudget = available - linear;
    } else {
      linear = 0;
      polyBudget = available;
    }
    // complex widths for k ≥ 2, proportional to mass, at least MIN_WIDTH where mass matters
    int complexBudget = polyBudget / 2;
    int used = 0;
    int heaviest = -1;
    for (int k = 2; k <= q; k++) {
      if (mass[k] > NEGLIGIBLE * total && rest > 0) {
        poly[k] = Math.max(MIN_WIDTH, (int) Math.floor(complexBudget * mass[k] / rest));
        used += poly[k];
        if (heaviest < 0 || mass[k] > mass[heaviest]) {
          heaviest = k;
        }
      }
    }
    if (heaviest > 0) {
      poly[heaviest] += complexBudget - used;
      if (poly[heaviest] < MIN_WIDTH) {
        throw new IllegalArgumentException("feature budget " + budget + " is too small for degree "
            + q + "; use a larger dimension or a lower degree");
      }
    } else if (linear > 0 && !exact) {
      linear = Math.min(evenFloor(available), linearCap);
    }
    return new BlockLayout(q, exact, linear, poly);
  }

  private static int evenFloor(double x) {
    int v = (int) Math.floor(x);
    return v - (v & 1);
  }

  @Override
  public String toString() {
    return "BlockLayout[q=" + degree + ", linear=" + linearWidth + (exactLinear ? " (exact)" : "")
        + ", M_k=" + Arrays.toString(polyWidths) + ", total=" + total() + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BlockLayout b && b.degree == degree && b.exactLinear == exactLinear
        && b.linearWidth == linearWidth && Arrays.equals(b.polyWidths, polyWidths);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(polyWidths) + linearWidth + (exactLinear ? 1 : 0) + 7 * degree;
  }
}
