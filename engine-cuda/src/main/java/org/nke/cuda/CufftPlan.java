package org.nke.cuda;

import static jcuda.jcufft.JCufft.CUFFT_FORWARD;
import static jcuda.jcufft.JCufft.cufftCreate;
import static jcuda.jcufft.JCufft.cufftDestroy;
import static jcuda.jcufft.JCufft.cufftExecC2C;
import static jcuda.jcufft.JCufft.cufftExecD2Z;
import static jcuda.jcufft.JCufft.cufftExecR2C;
import static jcuda.jcufft.JCufft.cufftExecZ2Z;
import static jcuda.jcufft.JCufft.cufftMakePlan1d;
import static jcuda.jcufft.JCufft.cufftSetAutoAllocation;
import static jcuda.jcufft.JCufft.cufftSetWorkArea;

import jcuda.jcufft.cufftHandle;
import jcuda.jcufft.cufftType;
import org.nke.spi.Precision;

/**
 * A batched 1-D forward cuFFT plan of the SRHT ({@code cufftCreate}, automatic work-area allocation
 * off, {@code cufftMakePlan1d}; {@code cufftDestroy}), its work area supplied at every execution
 * (one area shared by all the runtime's plans, instead of one per plan):
 * {@code batch} transforms of length {@code n}, unnormalised, {@code X_k = Σ_j x_j e^{−2πi jk/n}}
 * (the convention of JTransforms on the CPU). Real input: D2Z/R2C, {@code n} reals per transform in,
 * {@code n/2 + 1} complex out (cuFFT's half spectrum); complex input: Z2Z/C2C, {@code n} complex in
 * and out. Close is idempotent; use after close throws. <b>Never run on a GPU so far.</b>
 */
public final class CufftPlan implements AutoCloseable {
  private final NativeHandle<cufftHandle> plan;
  private final Precision precision;
  private final boolean real;
  private final int size;
  private final int batch;
  private final String what;
  private final long workBytes;

  private CufftPlan(cufftHandle plan, Precision precision, boolean real, int size, int batch,
      String what, long workBytes) {
    this.workBytes = workBytes;
    this.precision = precision;
    this.real = real;
    this.size = size;
    this.batch = batch;
    this.what = what;
    this.plan = new NativeHandle<>(plan, p -> CudaCalls.checkCufft(cufftDestroy(p), "cufftDestroy "
        + what), "cuFFT plan " + what);
  }

  /**
   * @param context the context (made current)
   * @param precision float64 (D2Z/Z2Z) or float32 (R2C/C2C)
   * @param real real input (else complex)
   * @param size transform length {@code n}
   * @param batch number of transforms
   * @return the plan
   */
  public static CufftPlan forward(CudaContext context, Precision precision, boolean real, int size,
      int batch) {
    context.makeCurrent();
    boolean f64 = precision == Precision.F64;
    int type = real ? (f64 ? cufftType.CUFFT_D2Z : cufftType.CUFFT_R2C)
        : (f64 ? cufftType.CUFFT_Z2Z : cufftType.CUFFT_C2C);
    String what = cufftType.stringFor(type) + " " + size + " x " + batch;
    cufftHandle h = new cufftHandle();
    CudaCalls.checkCufft(cufftCreate(h), "cufftCreate " + what);
    long[] work = new long[1];
    try {
      CudaCalls.checkCufft(cufftSetAutoAllocation(h, 0), "cufftSetAutoAllocation " + what);
      CudaCalls.checkCufft(cufftMakePlan1d(h, size, type, batch, work), "cufftMakePlan1d " + what);
    } catch (RuntimeException e) {
      cufftDestroy(h);
      throw e;
    }
    return new CufftPlan(h, precision, real, size, batch, what, work[0]);
  }

  /** @return the bytes of work area it needs at execution (0: none) */
  long workBytes() {
    return workBytes;
  }

  /** @return whether it matches a request */
  boolean matches(Precision p, boolean r, int n, int b) {
    return precision == p && real == r && size == n && batch == b;
  }

  /**
   * Transforms (in place when {@code in == out} for complex input).
   *
   * @param in {@code batch} inputs back to back, not modified unless {@code out} is the same buffer
   * @param out {@code batch} spectra back to back ({@code n/2 + 1} complex each for real input);
   *     modified
   * @param work at least {@link #workBytes()} bytes of device memory, or {@code null} when that is
   *     0; its contents are scratch
   */
  public void execute(DeviceBuffer in, DeviceBuffer out, DeviceBuffer work) {
    long e = precision.bytes();
    long inBytes = (long) batch * size * e * (real ? 1 : 2);
    long outBytes = (long) batch * (real ? size / 2 + 1 : size) * e * 2;
    if (in.bytes() < inBytes || out.bytes() < outBytes) {
      throw new IllegalArgumentException("cuFFT " + what + " needs " + inBytes + " bytes in and "
          + outBytes + " out, got " + in.bytes() + " and " + out.bytes());
    }
    cufftHandle h = plan.get();
    if (workBytes > 0) {
      if (work == null || work.bytes() < workBytes) {
        throw new IllegalArgumentException("cuFFT " + what + " needs a work area of " + workBytes
            + " bytes, got " + (work == null ? "none" : work.bytes() + ""));
      }
      CudaCalls.checkCufft(cufftSetWorkArea(h, work.pointer()), "cufftSetWorkArea " + what);
    }
    int r;
    if (real) {
      r = precision == Precision.F64 ? cufftExecD2Z(h, in.pointer(), out.pointer())
          : cufftExecR2C(h, in.pointer(), out.pointer());
    } else {
      r = precision == Precision.F64 ? cufftExecZ2Z(h, in.pointer(), out.pointer(), CUFFT_FORWARD)
          : cufftExecC2C(h, in.pointer(), out.pointer(), CUFFT_FORWARD);
    }
    CudaCalls.checkCufft(r, "cufftExec " + what);
  }

  @Override
  public void close() {
    plan.close();
  }
}
