package org.nke.cuda;

import java.util.function.Consumer;
import jcuda.driver.CUdeviceptr;

/**
 * One device allocation, freed by {@link #close()} (idempotent; any use after it throws
 * {@link IllegalStateException}), or a {@link #slice view} of part of one. Allocated by a {@link DeviceRuntime}, usually through a
 * {@link DeviceArena} that owns it; copies go through the runtime.
 */
public final class DeviceBuffer implements AutoCloseable {
  private final NativeHandle<CUdeviceptr> handle;
  private final long bytes;
  private final long address;
  private final long offset;
  private final boolean owner;

  /**
   * @param pointer the JCuda pointer (for cuBLAS/cuFFT and copies)
   * @param address its device address (for kernel arguments)
   * @param bytes size
   * @param free releases the allocation (called at most once)
   */
  DeviceBuffer(CUdeviceptr pointer, long address, long bytes, Consumer<CUdeviceptr> free) {
    this.bytes = bytes;
    this.address = address;
    this.offset = 0;
    this.owner = true;
    this.handle = new NativeHandle<>(pointer, free, "device buffer of " + bytes + " bytes");
  }

  private DeviceBuffer(DeviceBuffer parent, long offset, long bytes) {
    this.handle = parent.handle;
    this.bytes = bytes;
    this.address = parent.address + offset;
    this.offset = parent.offset + offset;
    this.owner = false;
  }

  /**
   * A view of part of this buffer (e.g. one slot of a batch): it frees nothing when closed, and
   * fails like this buffer once this buffer is closed.
   *
   * @param byteOffset where the view starts
   * @param count its size in bytes
   * @return the view
   * @throws IndexOutOfBoundsException if the range is outside this buffer
   */
  public DeviceBuffer slice(long byteOffset, long count) {
    checkRange(count, byteOffset);
    return new DeviceBuffer(this, byteOffset, count);
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
    CUdeviceptr p = handle.get();
    return offset == 0 ? p : p.withByteOffset(offset);
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
    if (owner) {
      handle.close();
    }
  }

  @Override
  public String toString() {
    return handle.toString();
  }
}
