package org.nke.sketch;

/**
 * Settings of a dense NNGP/NTK sketch.
 *
 * @param dim the feature budget {@code m}: the NNGP sketch returns at most {@code m} features, the
 *     NTK sketch at most {@code 2m}; even, at least 64
 * @param seed seed of every random draw (same seed, same features on every backend)
 * @param ntk whether NTK features are wanted (else NNGP)
 * @param degree Hermite truncation degree {@code q}, or 0 to choose it from {@code tailTolerance}
 * @param tailTolerance relative coefficient mass allowed beyond the degree when it is chosen
 *     automatically (the tail is folded onto the top degrees in any case)
 */
public record SketchOptions(int dim, long seed, boolean ntk, int degree, double tailTolerance) {
  /** Smallest automatic degree. */
  public static final int MIN_AUTO_DEGREE = 3;
  /** Largest automatic degree. */
  public static final int MAX_AUTO_DEGREE = 10;
  /** Default tail tolerance for the automatic degree. */
  public static final double DEFAULT_TAIL = 1e-3;

  /** @param dim budget; @param seed seed; @param ntk NTK?; @param degree q; @param tailTolerance tol */
  public SketchOptions {
    if (dim < 64 || dim % 2 != 0) {
      throw new IllegalArgumentException("sketch dimension must be even and at least 64, got " + dim);
    }
    if (degree < 0 || degree > 30) {
      throw new IllegalArgumentException("degree must be in [0, 30] (0 = automatic), got " + degree);
    }
    if (!(tailTolerance > 0 && tailTolerance < 1)) {
      throw new IllegalArgumentException("tail tolerance must be in (0, 1), got " + tailTolerance);
    }
  }

  /**
   * @param dim budget {@code m}
   * @param seed seed
   * @param ntk NTK features?
   * @return options with the automatic degree
   */
  public static SketchOptions of(int dim, long seed, boolean ntk) {
    return new SketchOptions(dim, seed, ntk, 0, DEFAULT_TAIL);
  }

  /**
   * @param q the degree (0 = automatic)
   * @return these options with that degree
   */
  public SketchOptions withDegree(int q) {
    return new SketchOptions(dim, seed, ntk, q, tailTolerance);
  }

  /**
   * Refuses a budget whose features cannot fit in memory (exit code 5), before anything is built.
   *
   * @param what the sketch and the work measured, for the message
   * @param doubles how many doubles that work needs at this budget at least
   * @throws org.nke.error.ResourceLimitException if they do not fit in the Java heap
   */
  public void checkFits(String what, double doubles) {
    org.nke.util.Checks.fitsInHeap(String.format(java.util.Locale.ROOT, "%s with --dim %d", what, dim),
        (long) Math.min(Long.MAX_VALUE, 8 * doubles), "use a smaller --dim, or give Java more memory "
        + "(NKE_JAVA_OPTS=-Xmx...)");
  }
}
