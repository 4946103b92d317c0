package org.nke.sketch;

/**
 * The randomised Walsh–Hadamard transform {@code z = H D x / √N} of a real vector (Ailon &amp;
 * Chazelle 2006): random signs {@code D}, zero padding to a power of two {@code N}, the Sylvester
 * Hadamard matrix {@code H} (entries ±1, {@code HᵀH = N I}) applied by the fast transform
 * ({@code N log₂ N} additions). The map is orthogonal, {@code ⟨z, z'⟩ = ⟨x, x'⟩} exactly, and spreads
 * every input coordinate over all outputs (each output {@code ±x_j/√N}): a heavy coordinate (e.g. the
 * constant degree-0 feature of an activation) becomes a flat vector, so that a CountSketch applied
 * after it has light-tailed errors.
 */
public final class Hadamard {
  private final int dim;
  private final int size;
  private final double[] signs;
  private final double scale;

  /**
   * @param dim input length
   * @param rnd source of the signs
   */
  public Hadamard(int dim, SketchRandom rnd) {
    this.dim = dim;
    this.size = Fft.ceilPow2(dim);
    this.signs = rnd.signs(dim);
    this.scale = 1 / Math.sqrt(size);
  }

  /** @return the output length {@code N} */
  public int size() {
    return size;
  }

  /** @return the input length */
  public int dim() {
    return dim;
  }

  /** @return the random signs {@code D}, ±1 per input coordinate (a copy) */
  public double[] signs() {
    return signs.clone();
  }

  /** @return {@code 1/√N} */
  public double scale() {
    return scale;
  }

  /**
   * @param x the input, not modified
   * @param offset where it starts
   * @param out receives {@code N} values at {@code outOffset}; modified
   * @param outOffset where to write
   */
  public void transform(double[] x, int offset, double[] out, int outOffset) {
    for (int j = 0; j < dim; j++) {
      out[outOffset + j] = signs[j] * scale * x[offset + j];
    }
    java.util.Arrays.fill(out, outOffset + dim, outOffset + size, 0.0);
    // butterflies (a, b) → (a + b, a − b) over strides 1, 2, 4, …, N/2
    for (int h = 1; h < size; h <<= 1) {
      for (int i = outOffset; i < outOffset + size; i += 2 * h) {
        for (int j = i; j < i + h; j++) {
          double a = out[j];
          double b = out[j + h];
          out[j] = a + b;
          out[j + h] = a - b;
        }
      }
    }
  }
}
