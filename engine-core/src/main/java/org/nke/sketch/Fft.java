package org.nke.sketch;

import org.jtransforms.fft.DoubleFFT_1D;
import org.jtransforms.utils.CommonUtils;

/**
 * The unnormalised forward DFT {@code X_k = Σ_j x_j e^{−2πi jk/N}} of power-of-two length, through
 * JTransforms (the CPU counterpart of cuFFT's forward C2C/R2C transforms, same convention and no
 * scaling). Complex vectors are interleaved {@code (re, im)} arrays. Thread-safe: the tables are
 * read-only once built.
 */
public final class Fft {
  static {
    // nke parallelises over points; JTransforms' own forking (from 8192 points on, by default) would
    // nest inside that and oversubscribe the cores, so its thresholds are raised out of reach.
    CommonUtils.setThreadsBeginN_1D_FFT_2Threads(Long.MAX_VALUE);
    CommonUtils.setThreadsBeginN_1D_FFT_4Threads(Long.MAX_VALUE);
  }

  private final int size;
  private final DoubleFFT_1D fft;

  /** @param size the transform length, a power of two */
  public Fft(int size) {
    if (size < 1 || Integer.bitCount(size) != 1) {
      throw new IllegalArgumentException("FFT size must be a power of two, got " + size);
    }
    this.size = size;
    this.fft = new DoubleFFT_1D(size);
  }

  /**
   * @param n a length, at least 1
   * @return the smallest power of two {@code ≥ n}
   */
  public static int ceilPow2(int n) {
    return n <= 1 ? 1 : Integer.highestOneBit(n - 1) << 1;
  }

  /** @return the transform length */
  public int size() {
    return size;
  }

  /**
   * Transforms in place.
   *
   * @param data interleaved complex vector of length {@code 2·size}; modified
   */
  public void forward(double[] data) {
    fft.complexForward(data);
  }

  /**
   * Transforms a real vector.
   *
   * @param data on entry the {@code size} real values in {@code data[0 … size−1]} (the rest
   *     ignored); on exit the full interleaved complex spectrum, length {@code 2·size}; modified
   */
  public void forwardReal(double[] data) {
    fft.realForwardFull(data);
  }
}
