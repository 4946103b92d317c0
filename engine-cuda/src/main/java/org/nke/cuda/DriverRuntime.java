package org.nke.cuda;

import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemcpy2D;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoD;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static jcuda.driver.JCudaDriver.cuMemsetD8;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jcuda.Pointer;
import jcuda.driver.CUDA_MEMCPY2D;
import jcuda.driver.CUmemorytype;
import org.nke.error.ResourceLimitException;
import org.nke.spi.Precision;

/**
 * {@link DeviceRuntime} on a real GPU through JCuda: the primary context, one PTX module per family
 * ({@link PtxKernel#families()}, all JIT-compiled and resolved when the runtime opens) and a cuBLAS
 * handle (and the cuFFT plans of the sketches, made on first use and cached), owned here and released
 * in reverse order by {@link #close()}. Every call's result code is
 * checked and named ({@link CudaCalls}); kernels go to the null stream.
 */
final class DriverRuntime implements DeviceRuntime {
  private final CudaContext context;
  private final Map<String, PtxModule> modules;
  private final CublasHandle cublas;
  /**
   * cuFFT plans by (precision, kind, n, batch), least recently used first; at most
   * {@value #MAX_PLANS} kept (a Myrtle-5 CNTK sketch batch uses about 30 shapes).
   */
  private final List<CufftPlan> plans = new ArrayList<>();
  private static final int MAX_PLANS = 64;
  /**
   * The one work area of every plan (plans are made without their own, see {@link CufftPlan}),
   * grown to the largest plan's need; {@code null} until a plan needs one.
   */
  private DeviceBuffer fftWork;
  /** Empty when cuFFT works, else why not; {@code null} until first asked. */
  private String fftState;

  private DriverRuntime(CudaContext context, Map<String, PtxModule> modules, CublasHandle cublas) {
    this.context = context;
    this.modules = modules;
    this.cublas = cublas;
  }

  /** @return device 0 with every PTX family loaded and a cuBLAS handle */
  static DriverRuntime open() {
    CudaContext ctx = CudaContext.open(0);
    Map<String, PtxModule> modules = new LinkedHashMap<>();
    try {
      for (String family : PtxKernel.families()) {
        modules.put(family, PtxModule.load(ctx, family));
      }
      return new DriverRuntime(ctx, modules, CublasHandle.create(ctx));
    } catch (RuntimeException | Error e) {
      closeModules(modules);
      ctx.close();
      throw e;
    }
  }

  private static void closeModules(Map<String, PtxModule> modules) {
    List<PtxModule> loaded = new ArrayList<>(modules.values());
    for (int k = loaded.size() - 1; k >= 0; k--) {
      loaded.get(k).close();
    }
  }

  @Override
  public String deviceName() {
    return context.deviceName();
  }

  @Override
  public long freeMemory() {
    return context.freeMemory();
  }

  @Override
  public DeviceBuffer allocate(long bytes, String what) {
    long free = context.freeMemory();
    if (bytes > free) {
      throw new ResourceLimitException(what + " on " + context.deviceName(), bytes, free,
          "use --dtype float32, fewer points, or --backend cpu");
    }
    DevicePointer p = new DevicePointer();
    CudaCalls.check(cuMemAlloc(p, Math.max(bytes, 1)), "cuMemAlloc " + bytes + " bytes for " + what);
    return new DeviceBuffer(p, p.address(), bytes, q -> CudaCalls.check(cuMemFree(q),
        "cuMemFree " + bytes + " bytes of " + what));
  }

  @Override
  public void copyIn(DeviceBuffer dst, Precision p, long at, double[] src, int count) {
    long bytes = (long) count * p.bytes();
    dst.checkRange(bytes, at * p.bytes());
    Pointer host;
    if (p == Precision.F64) {
      host = Pointer.to(src);
    } else {
      float[] f = new float[count];
      for (int k = 0; k < count; k++) {
        f[k] = (float) src[k];
      }
      host = Pointer.to(f);
    }
    CudaCalls.check(cuMemcpyHtoD(dst.pointer().withByteOffset(at * p.bytes()), host, bytes),
        "cuMemcpyHtoD " + bytes + " bytes");
  }

  @Override
  public void copyIn(DeviceBuffer dst, int[] src) {
    long bytes = 4L * src.length;
    dst.checkRange(bytes, 0);
    CudaCalls.check(cuMemcpyHtoD(dst.pointer(), Pointer.to(src), bytes), "cuMemcpyHtoD " + bytes
        + " bytes (index table)");
  }

  @Override
  public void copyOut(DeviceBuffer src, Precision p, long at, double[] dst, int count) {
    long bytes = (long) count * p.bytes();
    src.checkRange(bytes, at * p.bytes());
    if (p == Precision.F64) {
      CudaCalls.check(cuMemcpyDtoH(Pointer.to(dst), src.pointer().withByteOffset(at * 8), bytes),
          "cuMemcpyDtoH " + bytes + " bytes");
    } else {
      float[] f = new float[count];
      CudaCalls.check(cuMemcpyDtoH(Pointer.to(f), src.pointer().withByteOffset(at * 4), bytes),
          "cuMemcpyDtoH " + bytes + " bytes");
      for (int k = 0; k < count; k++) {
        dst[k] = f[k];
      }
    }
  }

  @Override
  public void gather(DeviceBuffer src, Precision p, long stride, double[] dst) {
    int n = dst.length;
    if (n == 0) {
      return;
    }
    long e = p.bytes();
    src.checkRange(e, (n - 1) * stride * e);
    float[] f = p == Precision.F32 ? new float[n] : null;
    CUDA_MEMCPY2D c = new CUDA_MEMCPY2D();
    c.srcMemoryType = CUmemorytype.CU_MEMORYTYPE_DEVICE;
    c.srcDevice = src.pointer();
    c.srcPitch = stride * e;
    c.dstMemoryType = CUmemorytype.CU_MEMORYTYPE_HOST;
    c.dstHost = f == null ? Pointer.to(dst) : Pointer.to(f);
    c.dstPitch = e;
    c.WidthInBytes = e;
    c.Height = n;
    CudaCalls.check(cuMemcpy2D(c), "cuMemcpy2D gather of " + n + " elements");
    if (f != null) {
      for (int k = 0; k < n; k++) {
        dst[k] = f[k];
      }
    }
  }

  @Override
  public void zero(DeviceBuffer b) {
    CudaCalls.check(cuMemsetD8(b.pointer(), (byte) 0, b.bytes()), "cuMemsetD8 " + b.bytes()
        + " bytes");
  }

  @Override
  public void copy(DeviceBuffer dst, DeviceBuffer src) {
    dst.checkRange(src.bytes(), 0);
    CudaCalls.check(cuMemcpyDtoD(dst.pointer(), src.pointer(), src.bytes()), "cuMemcpyDtoD "
        + src.bytes() + " bytes");
  }

  @Override
  public void gram(Precision p, DeviceBuffer x, DeviceBuffer y, DeviceBuffer c, int n, int m, int d,
      double alpha) {
    cublas.gram(p, x, y, c, n, m, d, alpha);
  }

  @Override
  public void outer(Precision p, DeviceBuffer a, int dA, int aStride, DeviceBuffer b, int dB,
      int bStride, DeviceBuffer c, int cStride, int rows) {
    cublas.outer(p, a, dA, aStride, b, dB, bStride, c, cStride, rows);
  }

  @Override
  public String fftUnavailable() {
    if (fftState == null) {
      String reason = CudaEnvironment.cufftUnusable();
      fftState = reason == null ? "" : reason;
    }
    return fftState.isEmpty() ? null : fftState;
  }

  @Override
  public void fft(Precision p, boolean real, int n, int batch, DeviceBuffer in, DeviceBuffer out) {
    if (n < 2) {
      // a DFT of length 1 is the identity (cuFFT plans need n >= 2): through the host
      double[] v = new double[batch * (real ? 1 : 2)];
      copyOut(in, p, 0, v, v.length);
      double[] c = new double[2 * batch];
      for (int b = 0; b < batch; b++) {
        c[2 * b] = real ? v[b] : v[2 * b];
        c[2 * b + 1] = real ? 0 : v[2 * b + 1];
      }
      copyIn(out, p, 0, c, c.length);
      return;
    }
    CufftPlan plan = null;
    for (int k = 0; k < plans.size() && plan == null; k++) {
      if (plans.get(k).matches(p, real, n, batch)) {
        plan = plans.remove(k);
      }
    }
    if (plan == null) {
      if (plans.size() == MAX_PLANS) {
        plans.remove(0).close();
      }
      plan = CufftPlan.forward(context, p, real, n, batch);
    }
    plans.add(plan);
    if (plan.workBytes() > 0 && (fftWork == null || fftWork.bytes() < plan.workBytes())) {
      if (fftWork != null) {
        synchronize("growing the cuFFT work area");
        fftWork.close();
        fftWork = null;
      }
      fftWork = allocate(plan.workBytes(), "cuFFT work area");
    }
    plan.execute(in, out, fftWork);
  }

  @Override
  public void launch(Shape s, KernelArgs args) {
    List<Object> values = args.values();
    Pointer[] params = new Pointer[values.size()];
    for (int k = 0; k < params.length; k++) {
      Object v = values.get(k);
      if (v instanceof Long l) {
        params[k] = Pointer.to(new long[] {l});
      } else if (v instanceof Integer i) {
        params[k] = Pointer.to(new int[] {i});
      } else if (v instanceof Double dv) {
        params[k] = Pointer.to(new double[] {dv});
      } else {
        params[k] = Pointer.to(new float[] {(Float) v});
      }
    }
    CudaCalls.check(cuLaunchKernel(modules.get(args.kernel().family()).function(args.kernel()),
        s.gridX(), s.gridY(), 1, s.blockX(),
        s.blockY(), 1, 0, null, Pointer.to(params), null), "cuLaunchKernel " + args.kernel().entry()
        + " grid " + s.gridX() + "x" + s.gridY());
  }

  @Override
  public void synchronize(String after) {
    context.synchronize(after);
  }

  @Override
  public void makeCurrent() {
    context.makeCurrent();
  }

  @Override
  public void close() {
    try {
      for (int k = plans.size() - 1; k >= 0; k--) {
        plans.get(k).close();
      }
      plans.clear();
      if (fftWork != null) {
        fftWork.close();
        fftWork = null;
      }
      cublas.close();
    } finally {
      try {
        closeModules(modules);
      } finally {
        context.close();
      }
    }
  }
}
