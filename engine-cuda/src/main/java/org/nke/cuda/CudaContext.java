package org.nke.cuda;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuCtxSynchronize;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRelease;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuDeviceTotalMem;
import static jcuda.driver.JCudaDriver.cuDriverGetVersion;
import static jcuda.driver.JCudaDriver.cuInit;
import static jcuda.driver.JCudaDriver.cuMemGetInfo;

import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;

/**
 * The device's primary context (the one the CUDA runtime, and so cuBLAS and cuFFT, also use),
 * retained on open and released on {@link #close()}. Every operation makes it current on the calling
 * thread first ({@link #makeCurrent()}), so a backend may be used from any thread, one at a time.
 */
public final class CudaContext implements AutoCloseable {
  private final int ordinal;
  private final CUdevice device;
  private final NativeHandle<CUcontext> context;
  private final String name;

  private CudaContext(int ordinal, CUdevice device, CUcontext context, String name) {
    this.ordinal = ordinal;
    this.device = device;
    this.name = name;
    this.context = new NativeHandle<>(context, c -> CudaCalls.check(cuDevicePrimaryCtxRelease(device),
        "cuDevicePrimaryCtxRelease device " + ordinal), "CUDA context of device " + ordinal);
  }

  /**
   * Initialises the driver and retains the primary context of a device.
   *
   * @param ordinal the device number, usually 0
   * @return the context, current on this thread
   */
  public static CudaContext open(int ordinal) {
    CudaCalls.check(cuInit(0), "cuInit");
    int[] count = new int[1];
    CudaCalls.check(cuDeviceGetCount(count), "cuDeviceGetCount");
    if (ordinal >= count[0]) {
      throw new IllegalStateException("no CUDA device " + ordinal + ": the driver reports "
          + count[0] + " device" + (count[0] == 1 ? "" : "s"));
    }
    CUdevice device = new CUdevice();
    CudaCalls.check(cuDeviceGet(device, ordinal), "cuDeviceGet " + ordinal);
    byte[] name = new byte[256];
    CudaCalls.check(cuDeviceGetName(name, name.length, device), "cuDeviceGetName");
    CUcontext ctx = new CUcontext();
    CudaCalls.check(cuDevicePrimaryCtxRetain(ctx, device), "cuDevicePrimaryCtxRetain " + ordinal);
    CudaContext c = new CudaContext(ordinal, device, ctx, cString(name));
    c.makeCurrent();
    return c;
  }

  private static String cString(byte[] b) {
    int n = 0;
    while (n < b.length && b[n] != 0) {
      n++;
    }
    return new String(b, 0, n, java.nio.charset.StandardCharsets.US_ASCII);
  }

  /** Makes the context current on the calling thread. */
  public void makeCurrent() {
    CudaCalls.check(cuCtxSetCurrent(context.get()), "cuCtxSetCurrent device " + ordinal);
  }

  /**
   * Waits for all work queued on the context; reports asynchronous launch failures.
   *
   * @param after what was queued, for the message
   */
  public void synchronize(String after) {
    CudaCalls.check(cuCtxSynchronize(), "cuCtxSynchronize after " + after);
  }

  /** @return the device name, e.g. {@code NVIDIA H100 80GB HBM3} */
  public String deviceName() {
    return name;
  }

  /** @return the device ordinal */
  public int ordinal() {
    return ordinal;
  }

  /** @return {@code {major, minor}} compute capability */
  public int[] computeCapability() {
    return new int[] {attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR),
        attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR)};
  }

  /**
   * @param attribute a {@code CUdevice_attribute}
   * @return its value for this device
   */
  public int attribute(int attribute) {
    int[] v = new int[1];
    CudaCalls.check(cuDeviceGetAttribute(v, attribute, device), "cuDeviceGetAttribute " + attribute);
    return v[0];
  }

  /** @return total device memory in bytes */
  public long totalMemory() {
    long[] v = new long[1];
    CudaCalls.check(cuDeviceTotalMem(v, device), "cuDeviceTotalMem");
    return v[0];
  }

  /** @return free device memory in bytes, now */
  public long freeMemory() {
    makeCurrent();
    long[] free = new long[1];
    long[] total = new long[1];
    CudaCalls.check(cuMemGetInfo(free, total), "cuMemGetInfo");
    return free[0];
  }

  /** @return the driver's CUDA version, e.g. {@code 13000} for 13.0 */
  public static int driverVersion() {
    int[] v = new int[1];
    CudaCalls.check(cuDriverGetVersion(v), "cuDriverGetVersion");
    return v[0];
  }

  @Override
  public void close() {
    context.close();
  }

  @Override
  public String toString() {
    return "CUDA device " + ordinal + " (" + name + ")";
  }
}
