package org.nke.cuda;

import java.util.function.Consumer;
import jcuda.driver.CUdeviceptr;

/**
 * One device allocation, freed by {@link #close()} (idempotent; any use after it throws
 * {@link IllegalStateException}). Allocated by a {@link DeviceRuntime}, usually through a
 * {@link DeviceArena} that owns it; copies go through the runtime.
 */
public final class DeviceBuffer implements AutoCloseable {
  private final NativeHandle<CUdeviceptr> handle;
  private final long bytes;
  private final long address;

  /**
   * @param pointer the JCuda pointer (for cuBLAS/cuFFT and copies)
   * @param address its device address (for kernel arguments)
   * @param bytes size
   * @param free releases the allocation (called at most once)
   */
  DeviceBuffer(CUdeviceptr pointer, long address, long bytes, Consumer<CUdeviceptr> free) {
    this.bytes = bytes;
    this.address = address;
    this.handle = new NativeHandle<>(pointer, free, "device buffer of " + bytes + " bytes");
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

  /** @return the JCuda pointer (for cuBLAS/cuFFT calls and copies) */
  CUdeviceptr pointer() {
    return handle.get();
  }

  /**
   * @param count bytes to be accessed
   * @param byteOffset where
   * @throws IndexOutOfBoundsException if the range is outside the buffer
   * @throws IllegalStateException if the buffer is closed
   */
  void checkRange(long count, long byteOffset) {
    handle.get();
    if (byteOffset < 0 || count < 0 || byteOffset + count > bytes) {
      throw new IndexOutOfBoundsException("access of " + count + " bytes at " + byteOffset
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
