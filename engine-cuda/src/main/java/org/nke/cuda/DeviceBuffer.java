package org.nke.cuda;

import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemcpy2D;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static jcuda.driver.JCudaDriver.cuMemsetD8;

import java.util.function.Consumer;
import jcuda.Pointer;
import jcuda.driver.CUDA_MEMCPY2D;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUmemorytype;
import org.nke.error.ResourceLimitException;

/**
 * One device allocation ({@code cuMemAlloc}), freed by {@link #close()} (idempotent; any use after it
 * throws {@link IllegalStateException}). Usually owned by a {@link DeviceArena}.
 */
public final class DeviceBuffer implements AutoCloseable {
  private final NativeHandle<CUdeviceptr> handle;
  private final long bytes;
  private final long address;

  DeviceBuffer(CUdeviceptr pointer, long address, long bytes, Consumer<CUdeviceptr> free) {
    this.bytes = bytes;
    this.address = address;
    this.handle = new NativeHandle<>(pointer, free, "device buffer of " + bytes + " bytes");
  }

  /**
   * Allocates device memory after checking that it fits.
   *
   * @param context the context (made current)
   * @param bytes size, at least 1
   * @param what what it is for, for messages (e.g. {@code "the NNGP block 20000 x 20000 (float32)"})
   * @return the buffer (contents undefined)
   * @throws ResourceLimitException if the device has less free memory than {@code bytes}
   */
  public static DeviceBuffer allocate(CudaContext context, long bytes, String what) {
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

  /** @return the size in bytes */
  public long bytes() {
    return bytes;
  }

  /** @return the device address (for kernel arguments) */
  public long address() {
    handle.get();
    return address;
  }

  /** @return the JCuda pointer (for cuBLAS/cuFFT calls) */
  CUdeviceptr pointer() {
    return handle.get();
  }

  /**
   * Copies host data to the start of the buffer.
   *
   * @param host the source: a {@code double[]}, {@code float[]}, {@code long[]} or {@code int[]}
   *     wrapped by {@link Pointer#to}; not modified
   * @param count bytes to copy
   * @param byteOffset where in the buffer
   */
  public void upload(Pointer host, long count, long byteOffset) {
    checkRange(count, byteOffset);
    CudaCalls.check(cuMemcpyHtoD(handle.get().withByteOffset(byteOffset), host, count),
        "cuMemcpyHtoD " + count + " bytes");
  }

  /**
   * Copies part of the buffer to the host.
   *
   * @param host the destination; modified
   * @param count bytes to copy
   * @param byteOffset where in the buffer
   */
  public void download(Pointer host, long count, long byteOffset) {
    checkRange(count, byteOffset);
    CudaCalls.check(cuMemcpyDtoH(host, handle.get().withByteOffset(byteOffset), count),
        "cuMemcpyDtoH " + count + " bytes");
  }

  /**
   * Gathers {@code count} elements spaced {@code stride} bytes apart (e.g. the diagonal of a
   * row-major matrix: stride = (cols + 1) · element size) into consecutive host memory, with one
   * {@code cuMemcpy2D}.
   *
   * @param host the destination, {@code count · elementBytes} bytes; modified
   * @param elementBytes bytes per element
   * @param stride bytes from one element to the next in the buffer
   * @param count elements
   */
  public void downloadStrided(Pointer host, long elementBytes, long stride, long count) {
    if (count == 0) {
      return;
    }
    checkRange(elementBytes, (count - 1) * stride);
    CUDA_MEMCPY2D c = new CUDA_MEMCPY2D();
    c.srcMemoryType = CUmemorytype.CU_MEMORYTYPE_DEVICE;
    c.srcDevice = handle.get();
    c.srcPitch = stride;
    c.dstMemoryType = CUmemorytype.CU_MEMORYTYPE_HOST;
    c.dstHost = host;
    c.dstPitch = elementBytes;
    c.WidthInBytes = elementBytes;
    c.Height = count;
    CudaCalls.check(cuMemcpy2D(c), "cuMemcpy2D gather of " + count + " elements");
  }

  /**
   * Sets every byte to a value.
   *
   * @param value the byte value (0 for zeros)
   */
  public void fill(byte value) {
    CudaCalls.check(cuMemsetD8(handle.get(), value, bytes), "cuMemsetD8 " + bytes + " bytes");
  }

  private void checkRange(long count, long byteOffset) {
    if (byteOffset < 0 || count < 0 || byteOffset + count > bytes) {
      throw new IndexOutOfBoundsException("copy of " + count + " bytes at " + byteOffset
          + " outside a buffer of " + bytes + " bytes");
    }
  }

  /** @return whether it has been freed */
  public boolean closed() {
    return handle.closed();
  }

  @Override
  public void close() {
    handle.close();
  }

  @Override
  public String toString() {
    return handle.toString();
  }
}
