package org.nke.sketch;

/**
 * The random draws of sketches: SplitMix64 (Steele, Lea &amp; Flood 2014), a fixed algorithm so that a
 * seed gives the same sketch on every JVM, on every backend (the draws are made on the host) and in
 * every executor. Streams are derived by hashing a path of integers into the seed
 * ({@link #derive(long, int...)}), so the draws of one node do not depend on how many were made
 * before it.
 */
public final class SketchRandom {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;
  private long state;

  /** @param seed the seed */
  public SketchRandom(long seed) {
    this.state = seed;
  }

  /**
   * @param seed the root seed
   * @param path e.g. {layer, node, role}
   * @return an independent stream for that path
   */
  public static SketchRandom derive(long seed, int... path) {
    long s = mix(seed ^ 0x5DEECE66DL);
    for (int p : path) {
      s = mix(s + GOLDEN * (p + 1L));
    }
    return new SketchRandom(s);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** @return the next 64 random bits */
  public long nextLong() {
    state += GOLDEN;
    return mix(state);
  }

  /**
   * @param bound exclusive upper bound, positive
   * @return a uniform integer in {@code [0, bound)} (Lemire's multiply-shift with rejection)
   */
  public int nextInt(int bound) {
    long r = (nextLong() >>> 33) * bound;
    long low = r & 0x7FFFFFFFL;
    if (low < bound) {
      long threshold = (0x80000000L - bound) % bound;
      while (low < threshold) {
        r = (nextLong() >>> 33) * bound;
        low = r & 0x7FFFFFFFL;
      }
    }
    return (int) (r >>> 31);
  }

  /**
   * @param n how many
   * @return independent uniform signs ±1
   */
  public double[] signs(int n) {
    double[] s = new double[n];
    long bits = 0;
    for (int i = 0; i < n; i++) {
      if ((i & 63) == 0) {
        bits = nextLong();
      }
      s[i] = ((bits >>> (i & 63)) & 1L) == 0 ? 1.0 : -1.0;
    }
    return s;
  }

  /**
   * Indices sampled without replacement from {@code [0, range)}; when {@code count > range} the
   * draws continue with fresh permutations (as few repeats as possible).
   *
   * @param count how many
   * @param range size of the index set, positive
   * @return the indices
   */
  public int[] sample(int count, int range) {
    int[] out = new int[count];
    int[] perm = new int[range];
    int filled = 0;
    while (filled < count) {
      for (int i = 0; i < range; i++) {
        perm[i] = i;
      }
      int take = Math.min(range, count - filled);
      for (int i = 0; i < take; i++) {
        int j = i + nextInt(range - i);
        int t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
        out[filled + i] = perm[i];
      }
      filled += take;
    }
    return out;
  }
}
