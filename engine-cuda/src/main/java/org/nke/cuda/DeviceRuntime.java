package org.nke.cuda;

import org.nke.spi.Precision;

/**
 * The device operations {@link CudaBackend} is written against: memory, copies with precision
 * conversion, the cuBLAS Gram product, kernel launches and synchronisation. {@link DriverRuntime}
 * implements them with JCuda on a real GPU; the tests implement them with a PTX interpreter, so that
 * the backend's own logic runs the shared contract test on machines without a GPU.
 */
interface DeviceRuntime extends KernelLauncher {
  /** @return the device's name */
  String deviceName();

  /** @return device memory free now, in bytes */
  long freeMemory();

  /**
   * @param bytes size
   * @param what purpose, for messages
   * @return a new buffer (contents undefined), after checking that it fits
   * @throws org.nke.error.ResourceLimitException if the device has less free memory
   */
  DeviceBuffer allocate(long bytes, String what);

  /**
   * Copies {@code src[0 … count)} to consecutive elements starting at element {@code at}.
   *
   * @param dst the buffer; modified
   * @param p element type on the device (float32 rounds)
   * @param at first element
   * @param src values, not modified
   * @param count elements
   */
  void copyIn(DeviceBuffer dst, Precision p, long at, double[] src, int count);

  /**
   * Copies 32-bit integers (index tables) to the start of a buffer.
   *
   * @param dst the buffer; modified
   * @param src values (as u32), not modified
   */
  void copyIn(DeviceBuffer dst, int[] src);

  /**
   * Copies {@code count} consecutive elements starting at element {@code at} to {@code dst}.
   *
   * @param src the buffer
   * @param p element type on the device
   * @param at first element
   * @param dst receives the values; modified
   * @param count elements
   */
  void copyOut(DeviceBuffer src, Precision p, long at, double[] dst, int count);

  /**
   * Gathers {@code dst.length} elements {@code stride} elements apart, from element 0.
   *
   * @param src the buffer
   * @param p element type
   * @param stride elements between consecutive values (e.g. cols + 1 for a diagonal)
   * @param dst receives the values; modified
   */
  void gather(DeviceBuffer src, Precision p, long stride, double[] dst);

  /** @param b set to all-zero bytes */
  void zero(DeviceBuffer b);

  /**
   * Device-to-device copy of all of {@code src} ({@code cuMemcpyDtoD}).
   *
   * @param dst receives the bytes, at least as large as {@code src}; modified
   * @param src the source, not modified
   */
  void copy(DeviceBuffer dst, DeviceBuffer src);

  /**
   * {@code C = alpha · X Yᵀ} for row-major {@code X} ({@code n × d}), {@code Y} ({@code m × d}),
   * {@code C} ({@code n × m}); see {@link CublasHandle#gram}.
   *
   * @param p element type of the three buffers
   * @param x row points
   * @param y column points
   * @param c result; modified
   * @param n rows
   * @param m columns
   * @param d dimension
   * @param alpha scale
   */
  void gram(Precision p, DeviceBuffer x, DeviceBuffer y, DeviceBuffer c, int n, int m, int d,
      double alpha);

  /**
   * Row-wise outer products (exact tensor products of small factors):
   * {@code c[r·cStride + i·dB + j] = a[r·aStride + i] · b[r·bStride + j]} for {@code r < rows},
   * {@code i < dA}, {@code j < dB}; see {@link CublasHandle#outer}.
   *
   * @param p element type of the three buffers
   * @param a first factors
   * @param dA first factor length, at least 1
   * @param aStride elements between rows of {@code a}
   * @param b second factors
   * @param dB second factor length, at least 1
   * @param bStride elements between rows of {@code b}
   * @param c the products (may be a column slice); modified
   * @param cStride elements between rows of {@code c}
   * @param rows rows
   */
  void outer(Precision p, DeviceBuffer a, int dA, int aStride, DeviceBuffer b, int dB, int bStride,
      DeviceBuffer c, int cStride, int rows);

  /**
   * Batched forward DFTs {@code X_k = Σ_j x_j e^{−2πi jk/n}}, unnormalised (cuFFT on a GPU, the same
   * convention as JTransforms on the CPU): {@code batch} transforms of length {@code n} stored back
   * to back. Real input: {@code n} reals each in, the half spectrum ({@code n/2 + 1} complex,
   * interleaved) out; complex input: {@code n} interleaved complex values in and out.
   *
   * @param p element type of both buffers
   * @param real whether the input is real
   * @param n transform length, a power of two
   * @param batch number of transforms
   * @param in the inputs, not modified (unless {@code out} is the same buffer, complex input only)
   * @param out the spectra; modified
   */
  void fft(Precision p, boolean real, int n, int batch, DeviceBuffer in, DeviceBuffer out);

  /** @return {@code null} when {@link #fft} works here, else why not (sketches then use the CPU) */
  String fftUnavailable();

  /** @param after what was queued, for error messages; waits for all queued work */
  void synchronize(String after);

  /** Makes the runtime's context current on the calling thread. */
  void makeCurrent();

  /** Releases the runtime's native resources (module, cuBLAS handle, context). */
  void close();
}
