package org.nke.cuda;

import jcuda.driver.CUresult;
import jcuda.jcublas.cublasStatus;
import jcuda.jcufft.cufftResult;

/**
 * Result-code checking for every native call: JCuda's global "exceptions enabled" switch is never
 * flipped (it is static state shared with every other user of JCuda in the process); instead each
 * call site checks its own code and names itself, e.g.
 * {@code CudaCalls.check(cuLaunchKernel(...), "cuLaunchKernel nke_dual_abrelu_f64")}.
 */
public final class CudaCalls {
  private CudaCalls() {
  }

  /**
   * @param result a {@code CUresult} returned by a driver API call
   * @param call what was called (and on what), for the message
   * @throws CudaCallException if the result is not {@code CUDA_SUCCESS}
   */
  public static void check(int result, String call) {
    if (result != CUresult.CUDA_SUCCESS) {
      throw new CudaCallException(call, CUresult.stringFor(result), result);
    }
  }

  /**
   * @param status a {@code cublasStatus_t}
   * @param call what was called
   * @throws CudaCallException if the status is not {@code CUBLAS_STATUS_SUCCESS}
   */
  public static void checkCublas(int status, String call) {
    if (status != cublasStatus.CUBLAS_STATUS_SUCCESS) {
      throw new CudaCallException(call, cublasStatus.stringFor(status), status);
    }
  }

  /**
   * @param result a {@code cufftResult}
   * @param call what was called
   * @throws CudaCallException if the result is not {@code CUFFT_SUCCESS}
   */
  public static void checkCufft(int result, String call) {
    if (result != cufftResult.CUFFT_SUCCESS) {
      throw new CudaCallException(call, cufftResult.stringFor(result), result);
    }
  }
}
