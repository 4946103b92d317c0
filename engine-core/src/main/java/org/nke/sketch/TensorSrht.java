package org.nke.sketch;

/**
 * TensorSRHT of degree two (Ahle, Kapralov, Knudsen, Pagh, Velingker, Woodruff &amp; Zandieh 2020,
 * "Oblivious sketching of high-degree polynomial kernels", §4): for spectra {@code X = H D₁ x},
 * {@code Y = H D₂ y} ({@link Srht}) and sampled frequency pairs {@code (p_i, q_i)},
 *
 * <pre>{@code TS(x ⊗ y)_i = M^{−1/2} X_{p_i} Y_{q_i},   i = 1 … M   (complex)}</pre>
 *
 * so that {@code E[⟨TS(x ⊗ y), TS(x' ⊗ y')⟩] = ⟨x, x'⟩ ⟨y, y'⟩} (Hermitian inner products; with
 * real outputs {@code [Re, Im]} the real inner product is the real part). Frequencies are sampled
 * without replacement in each factor (with fresh permutations when {@code M > N}).
 */
public final class TensorSrht {
  private final int outputs;
  private final int[] p;
  private final int[] q;
  private final double scale;

  /**
   * @param outputs {@code M}, complex outputs
   * @param size1 transform length of the first factor
   * @param size2 transform length of the second factor
   * @param rnd source of the frequency samples
   */
  public TensorSrht(int outputs, int size1, int size2, SketchRandom rnd) {
    this.outputs = outputs;
    this.p = rnd.sample(outputs, size1);
    this.q = rnd.sample(outputs, size2);
    this.scale = 1 / Math.sqrt(outputs);
  }

  /** @return {@code M} */
  public int outputs() {
    return outputs;
  }

  /** @return the frequencies {@code p_i} of the first factor (a copy) */
  public int[] left() {
    return p.clone();
  }

  /** @return the frequencies {@code q_i} of the second factor (a copy) */
  public int[] right() {
    return q.clone();
  }

  /** @return {@code M^{−1/2}} */
  public double scale() {
    return scale;
  }

  /**
   * @param x spectrum of the first factor (interleaved), not modified
   * @param y spectrum of the second factor (interleaved), not modified
   * @param out receives {@code M} interleaved complex values at {@code offset}; modified
   * @param offset where to write in {@code out}
   * @param factor extra real factor applied to the outputs
   */
  public void product(double[] x, double[] y, double[] out, int offset, double factor) {
    double s = scale * factor;
    for (int i = 0; i < outputs; i++) {
      double xr = x[2 * p[i]];
      double xi = x[2 * p[i] + 1];
      double yr = y[2 * q[i]];
      double yi = y[2 * q[i] + 1];
      out[offset + 2 * i] = s * (xr * yr - xi * yi);
      out[offset + 2 * i + 1] = s * (xr * yi + xi * yr);
    }
  }
}
