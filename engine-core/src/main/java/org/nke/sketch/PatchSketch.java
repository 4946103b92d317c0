package org.nke.sketch;

import java.util.Arrays;

/**
 * A random linear map of the concatenation of {@code f} vectors ("taps": the pixels of a filter
 * window, or all pixels at Flatten), each of length {@code d}, to {@code w} features, with absent
 * taps (zero padding) contributing nothing:
 *
 * <pre>{@code P(v_1, …, v_f) = Σ_δ S_δ v_δ,   E⟨P(v), P(v')⟩ = Σ_δ ⟨v_δ, v'_δ⟩}</pre>
 *
 * (unbiased because the cross terms {@code δ ≠ δ'} vanish: the {@code S_δ} are independent and
 * mean zero). Four constructions, compared in docs/design-notes.md ("CNTK sketch"):
 * <ul>
 *   <li>{@link Kind#COUNT}: a CountSketch per tap, {@code S_δ v = Σ_j s_δ(j) v_j e_{(h(j) + r_δ) mod w}}
 *   with shared buckets {@code h}, a random shift {@code r_δ} per tap and independent signs, so that
 *   any two distinct (tap, coordinate) pairs collide with probability {@code 1/w}; {@code O(f·d)}
 *   per output, no transform;</li>
 *   <li>{@link Kind#HADAMARD_COUNT} (the default of {@link CntkSketch}): every input vector first
 *   goes through one shared randomised {@link Hadamard} transform ({@link #prepare}, exact: it is
 *   orthogonal), then {@link Kind#COUNT} — light-tailed errors for vectors with concentrated
 *   mass;</li>
 *   <li>{@link Kind#SHARED_SRHT}: one {@link LinearSketch} {@code S} shared by the taps and an
 *   independent sign vector per tap on its outputs, {@code S_δ = diag(ε_δ) S}: each input vector is
 *   transformed once ({@link #prepare}) and each output sums {@code f} sign-flipped transforms;</li>
 *   <li>{@link Kind#CONCAT_SRHT}: one {@link LinearSketch} of the whole concatenation (the authors'
 *   construction; an FFT of length {@code ≥ f·d} per output).</li>
 * </ul>
 */
public final class PatchSketch {
  /** The construction. */
  public enum Kind {
    /** Per-tap CountSketch with shared, shifted buckets. */
    COUNT,
    /** A shared randomised Hadamard transform of every vector, then {@link #COUNT}. */
    HADAMARD_COUNT,
    /** One shared SRHT, per-tap output signs. */
    SHARED_SRHT,
    /** One SRHT of the concatenation. */
    CONCAT_SRHT
  }

  private final Kind kind;
  private final int taps;
  private final int dim;
  private final int outputs;
  private final int[] bucket;
  private final int[] shift;
  private final long[][] signs;
  private final LinearSketch linear;
  private final Hadamard hadamard;

  /**
   * @param kind the construction
   * @param taps {@code f}
   * @param dim {@code d}
   * @param outputs {@code w} (even for the SRHT kinds, at most
   *     {@link LinearSketch#maxOutputs}{@code (d)} for {@link Kind#SHARED_SRHT})
   * @param rnd the random source
   */
  public PatchSketch(Kind kind, int taps, int dim, int outputs, SketchRandom rnd) {
    this.kind = kind;
    this.taps = taps;
    this.hadamard = kind == Kind.HADAMARD_COUNT ? new Hadamard(dim, rnd) : null;
    this.dim = hadamard != null ? hadamard.size() : dim;
    this.outputs = outputs;
    boolean count = kind == Kind.COUNT || kind == Kind.HADAMARD_COUNT;
    int signed = count ? this.dim : kind == Kind.SHARED_SRHT ? outputs : 0;
    this.signs = new long[signed > 0 ? taps : 0][];
    for (int t = 0; t < signs.length; t++) {
      signs[t] = new long[(signed + 63) >>> 6];
      for (int i = 0; i < signs[t].length; i++) {
        signs[t][i] = rnd.nextLong();
      }
    }
    if (count) {
      bucket = new int[this.dim];
      for (int j = 0; j < this.dim; j++) {
        bucket[j] = rnd.nextInt(outputs);
      }
      shift = new int[taps];
      for (int t = 0; t < taps; t++) {
        shift[t] = rnd.nextInt(outputs);
      }
    } else {
      bucket = null;
      shift = null;
    }
    this.linear = count ? null
        : new LinearSketch(kind == Kind.SHARED_SRHT ? dim : taps * dim, outputs, rnd);
  }

  /**
   * @param kind the construction
   * @param dim {@code d}
   * @param wanted the wanted number of outputs
   * @return the most outputs, at most {@code wanted} and even, that the construction supports
   */
  public static int supportedOutputs(Kind kind, int dim, int wanted) {
    int w = wanted & ~1;
    return kind == Kind.SHARED_SRHT ? Math.min(w, LinearSketch.maxOutputs(dim)) : w;
  }

  /** @return {@code w} */
  public int outputs() {
    return outputs;
  }

  /** @return the construction */
  public Kind kind() {
    return kind;
  }

  /** @return {@code f}, the number of taps */
  public int taps() {
    return taps;
  }

  /**
   * @return the coordinates per tap the buckets and signs are drawn for: the Hadamard length for
   *     {@link Kind#HADAMARD_COUNT}, else {@code d}
   */
  public int dim() {
    return dim;
  }

  /**
   * @return the shared bucket {@code h(j) ∈ [0, w)} of every coordinate (a copy; CountSketch kinds
   *     only, else {@code null})
   */
  public int[] buckets() {
    return bucket == null ? null : bucket.clone();
  }

  /** @return the shift {@code r_δ} of every tap (a copy; CountSketch kinds only, else {@code null}) */
  public int[] shifts() {
    return shift == null ? null : shift.clone();
  }

  /**
   * @param tap a tap
   * @return its sign bits, coordinate {@code j} at bit {@code j mod 64} of word {@code j / 64} (set:
   *     the coordinate is negated) — a copy; CountSketch and shared-SRHT kinds only
   */
  public long[] signBits(int tap) {
    return signs[tap].clone();
  }

  /** @return the randomised Hadamard transform of {@link Kind#HADAMARD_COUNT}, else {@code null} */
  public Hadamard hadamard() {
    return hadamard;
  }

  /** @return whether each input vector must go through {@link #prepare} first */
  public boolean prepares() {
    return kind == Kind.SHARED_SRHT || kind == Kind.HADAMARD_COUNT;
  }

  /**
   * @return the length of one prepared vector: {@code w} for {@link Kind#SHARED_SRHT}, the Hadamard
   *     length for {@link Kind#HADAMARD_COUNT}, else {@code d}
   */
  public int preparedLength() {
    return kind == Kind.SHARED_SRHT ? outputs : dim;
  }

  /** @return a workspace for {@link #prepare} and {@link #apply} */
  public double[] workspace() {
    return switch (kind) {
      case COUNT, HADAMARD_COUNT -> new double[0];
      case SHARED_SRHT -> linear.workspace();
      case CONCAT_SRHT -> new double[taps * dim + linear.workspace().length];
    };
  }

  /**
   * The per-vector part of {@link Kind#SHARED_SRHT} ({@code S v}, {@code w} values) and of
   * {@link Kind#HADAMARD_COUNT} ({@code H D v/√N}, {@code N} values).
   *
   * @param v vectors, not modified
   * @param offset where the vector starts
   * @param work a workspace from {@link #workspace()}; modified
   * @param out receives {@link #preparedLength()} values at {@code outOffset}; modified
   * @param outOffset where to write
   */
  public void prepare(double[] v, int offset, double[] work, double[] out, int outOffset) {
    if (hadamard != null) {
      hadamard.transform(v, offset, out, outOffset);
    } else {
      linear.apply(v, offset, work, out, outOffset, 1.0);
    }
  }

  /**
   * {@code factor · Σ_δ S_δ v_δ}.
   *
   * @param v the (prepared, when {@link #prepares()}) vectors of all pixels, not modified
   * @param at per tap, the offset of its vector in {@code v}, or −1 for an absent tap
   * @param factor multiplies the result
   * @param work a workspace from {@link #workspace()}; modified
   * @param out receives the {@code w} outputs at {@code outOffset} (overwritten); modified
   * @param outOffset where to write
   */
  public void apply(double[] v, int[] at, double factor, double[] work, double[] out, int outOffset) {
    Arrays.fill(out, outOffset, outOffset + outputs, 0.0);
    switch (kind) {
      case COUNT, HADAMARD_COUNT -> {
        for (int t = 0; t < taps; t++) {
          if (at[t] < 0) {
            continue;
          }
          long[] s = signs[t];
          int r = shift[t];
          int base = at[t];
          for (int j = 0; j < dim; j++) {
            int b = bucket[j] + r;
            b -= outputs & ((outputs - 1 - b) >> 31);
            out[outOffset + b] += flip(v[base + j], s[j >>> 6] >>> j);
          }
        }
        if (factor != 1) {
          for (int i = 0; i < outputs; i++) {
            out[outOffset + i] *= factor;
          }
        }
      }
      case SHARED_SRHT -> {
        for (int t = 0; t < taps; t++) {
          if (at[t] < 0) {
            continue;
          }
          long[] s = signs[t];
          int base = at[t];
          for (int i = 0; i < outputs; i++) {
            out[outOffset + i] += flip(v[base + i], s[i >>> 6] >>> i);
          }
        }
        if (factor != 1) {
          for (int i = 0; i < outputs; i++) {
            out[outOffset + i] *= factor;
          }
        }
      }
      case CONCAT_SRHT -> {
        int len = taps * dim;
        for (int t = 0; t < taps; t++) {
          if (at[t] < 0) {
            Arrays.fill(work, t * dim, (t + 1) * dim, 0.0);
          } else {
            System.arraycopy(v, at[t], work, t * dim, dim);
          }
        }
        double[] fft = new double[work.length - len];
        linear.apply(work, 0, fft, out, outOffset, factor);
      }
    }
  }

  /** {@code x} with its sign flipped when the lowest bit of {@code bit} is set (branch-free). */
  private static double flip(double x, long bit) {
    return Double.longBitsToDouble(Double.doubleToRawLongBits(x) ^ (bit << 63));
  }
}
