package org.nke.cuda;

/**
 * A CUDA driver, cuBLAS or cuFFT call returned an error code. The message names the call (and the
 * kernel for launches) and the code, e.g. {@code cuLaunchKernel nke_dual_abrelu_f64 failed:
 * CUDA_ERROR_LAUNCH_FAILED (719)}.
 */
public final class CudaCallException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int code;

  /**
   * @param call the call, e.g. {@code cuMemAlloc 800 MB}
   * @param codeName the symbolic name of the code
   * @param code the numeric code
   */
  public CudaCallException(String call, String codeName, int code) {
    super(call + " failed: " + codeName + " (" + code + ")");
    this.code = code;
  }

  /** @return the numeric result code */
  public int code() {
    return code;
  }
}
