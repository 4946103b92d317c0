package org.nke.cuda;

import static jcuda.jcufft.JCufft.cufftDestroy;
import static jcuda.jcufft.JCufft.cufftExecZ2Z;
import static jcuda.jcufft.JCufft.cufftPlan1d;

import jcuda.jcufft.cufftHandle;
import jcuda.jcufft.cufftType;

/**
 * A batched 1-D complex-to-complex double-precision cuFFT plan ({@code cufftPlan1d} /
 * {@code cufftDestroy}), for the SRHT of a later round; the binding of cuFFT itself is checked by
 * {@code nke doctor}. Close is idempotent; use after close throws.
 */
public final class CufftPlan implements AutoCloseable {
  private final NativeHandle<cufftHandle> plan;
  private final int size;
  private final int batch;

  private CufftPlan(cufftHandle plan, int size, int batch) {
    this.size = size;
    this.batch = batch;
    this.plan = new NativeHandle<>(plan, p -> CudaCalls.checkCufft(cufftDestroy(p), "cufftDestroy"),
        "cuFFT plan Z2Z " + size + " x " + batch);
  }

  /**
   * @param context the context (made current)
   * @param size transform length
   * @param batch number of transforms
   * @return the plan
   */
  public static CufftPlan z2z(CudaContext context, int size, int batch) {
    context.makeCurrent();
    cufftHandle h = new cufftHandle();
    CudaCalls.checkCufft(cufftPlan1d(h, size, cufftType.CUFFT_Z2Z, batch),
        "cufftPlan1d Z2Z " + size + " x " + batch);
    return new CufftPlan(h, size, batch);
  }

  /**
   * Transforms in place.
   *
   * @param data {@code batch × size} interleaved complex doubles; modified
   * @param direction {@code JCufft.CUFFT_FORWARD} or {@code JCufft.CUFFT_INVERSE}
   */
  public void execute(DeviceBuffer data, int direction) {
    if (data.bytes() < 16L * size * batch) {
      throw new IllegalArgumentException("cuFFT buffer must hold " + 16L * size * batch + " bytes, got "
          + data.bytes());
    }
    CudaCalls.checkCufft(cufftExecZ2Z(plan.get(), data.pointer(), data.pointer(), direction),
        "cufftExecZ2Z " + size + " x " + batch);
  }

  @Override
  public void close() {
    plan.close();
  }
}
