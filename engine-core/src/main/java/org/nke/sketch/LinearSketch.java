package org.nke.sketch;

/**
 * A subsampled randomised Fourier transform of a real vector into {@code m} real features
 * (degree one of the Hermite expansion, and re-sketching): with {@code X = H D u} ({@link Srht}) and
 * {@code m/2} distinct frequencies {@code p_i} from the non-redundant half {@code 1 … N/2 − 1} of the
 * spectrum of a real vector,
 *
 * <pre>{@code S(u) = √(2/m) · (Re X_{p_1}, Im X_{p_1}, …, Re X_{p_{m/2}}, Im X_{p_{m/2}})}</pre>
 *
 * so that {@code E⟨S(u), S(v)⟩ = Re E[X_p conj(Y_p)] = ⟨u, v⟩}.
 */
public final class LinearSketch {
  private final Srht srht;
  private final int[] freq;
  private final double scale;

  /**
   * @param dim input length
   * @param outputs real outputs {@code m}, even, at most {@code 2(N/2 − 1)} for {@code N =
   *     ceilPow2(dim)}
   * @param rnd random source
   */
  public LinearSketch(int dim, int outputs, SketchRandom rnd) {
    if (outputs % 2 != 0) {
      throw new IllegalArgumentException("outputs must be even, got " + outputs);
    }
    this.srht = new Srht(dim, false, rnd);
    int half = srht.size() / 2 - 1;
    if (outputs / 2 > half) {
      throw new IllegalArgumentException("a real vector of length " + dim + " has only " + half
          + " independent frequencies, " + outputs / 2 + " requested");
    }
    int[] s = rnd.sample(outputs / 2, half);
    this.freq = new int[s.length];
    for (int i = 0; i < s.length; i++) {
      freq[i] = s[i] + 1;
    }
    this.scale = Math.sqrt(2.0 / outputs);
  }

  /**
   * @param dim input length
   * @return the largest even number of outputs a vector of that length supports
   */
  public static int maxOutputs(int dim) {
    return 2 * (Fft.ceilPow2(dim) / 2 - 1);
  }

  /** @return real outputs */
  public int outputs() {
    return 2 * freq.length;
  }

  /**
   * @param u the input, not modified
   * @param offset where it starts
   * @param work a workspace from {@link Srht#workspace()} of this sketch (use {@link #workspace()})
   * @param out receives the features; modified
   * @param outOffset where to write
   * @param factor extra factor applied to every output
   */
  public void apply(double[] u, int offset, double[] work, double[] out, int outOffset, double factor) {
    srht.transform(u, offset, work);
    double s = scale * factor;
    for (int i = 0; i < freq.length; i++) {
      out[outOffset + 2 * i] = s * work[2 * freq[i]];
      out[outOffset + 2 * i + 1] = s * work[2 * freq[i] + 1];
    }
  }

  /** @return its randomised transform */
  public Srht transform() {
    return srht;
  }

  /** @return the sampled frequencies {@code p_i} (a copy) */
  public int[] frequencies() {
    return freq.clone();
  }

  /** @return the scale {@code √(2/m)} */
  public double scale() {
    return scale;
  }

  /** @return a workspace for {@link #apply} */
  public double[] workspace() {
    return srht.workspace();
  }
}
