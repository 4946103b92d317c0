package org.nke.sketch;

/**
 * The randomised transform {@code H D x} of an SRHT: random signs {@code D}, zero padding to a power
 * of two {@code N}, and the unnormalised DFT {@code H} (entries of modulus 1), so that for every
 * frequency {@code p}, {@code E_D[(HDx)_p · conj((HDy)_p)] = ⟨x, y⟩} (Hermitian for complex inputs).
 * Sampling frequencies and scaling is left to the users ({@link TensorSrht}, {@link PolySketch},
 * {@link LinearSketch}).
 */
public final class Srht {
  private final int dim;
  private final boolean complexInput;
  private final double[] signs;
  private final Fft fft;

  /**
   * @param dim input length (complex entries when {@code complexInput})
   * @param complexInput whether the input is an interleaved complex vector
   * @param rnd source of the signs
   */
  public Srht(int dim, boolean complexInput, SketchRandom rnd) {
    this.dim = dim;
    this.complexInput = complexInput;
    this.signs = rnd.signs(dim);
    this.fft = new Fft(Fft.ceilPow2(dim));
  }

  /** @return input length */
  public int dim() {
    return dim;
  }

  /** @return the random signs {@code D} (a copy) */
  public double[] signs() {
    return signs.clone();
  }

  /** @return whether the input is an interleaved complex vector */
  public boolean complexInput() {
    return complexInput;
  }

  /** @return the transform length {@code N} (frequencies {@code 0 … N−1}) */
  public int size() {
    return fft.size();
  }

  /** @return a workspace big enough for {@link #transform}: {@code 2N} doubles */
  public double[] workspace() {
    return new double[2 * fft.size()];
  }

  /**
   * @param x the input ({@code dim} reals, or {@code dim} interleaved complex values), not modified
   * @param offset where the input starts in {@code x}
   * @param out receives the spectrum {@code H D x}, interleaved, length {@code 2N}; modified
   */
  public void transform(double[] x, int offset, double[] out) {
    int n = fft.size();
    if (complexInput) {
      for (int j = 0; j < dim; j++) {
        out[2 * j] = signs[j] * x[offset + 2 * j];
        out[2 * j + 1] = signs[j] * x[offset + 2 * j + 1];
      }
      java.util.Arrays.fill(out, 2 * dim, 2 * n, 0.0);
      fft.forward(out);
    } else {
      for (int j = 0; j < dim; j++) {
        out[j] = signs[j] * x[offset + j];
      }
      java.util.Arrays.fill(out, dim, 2 * n, 0.0);
      fft.forwardReal(out);
    }
  }
}
