package org.nke.cuda;

import java.util.ArrayDeque;
import java.util.Deque;
import org.nke.spi.Precision;

/**
 * A scope owning the device buffers of one computation, used with try-with-resources: buffers are
 * freed in reverse order of allocation when it closes (idempotent), also when a launch failed
 * half-way. Allocation checks free device memory first ({@link DeviceRuntime#allocate}).
 */
public final class DeviceArena implements AutoCloseable, DeviceUploads {
  private final DeviceRuntime runtime;
  private final Deque<DeviceBuffer> buffers = new ArrayDeque<>();
  private boolean closed;

  /** @param runtime the device buffers are allocated on */
  DeviceArena(DeviceRuntime runtime) {
    this.runtime = runtime;
  }

  /**
   * @param bytes size
   * @param what purpose, for messages
   * @return a new buffer owned by this arena
   */
  public DeviceBuffer allocate(long bytes, String what) {
    if (closed) {
      throw new IllegalStateException("device arena has been closed");
    }
    DeviceBuffer b = runtime.allocate(bytes, what);
    buffers.push(b);
    return b;
  }

  @Override
  public DeviceBuffer upload(double[] values, Precision precision, String what) {
    DeviceBuffer b = allocate((long) Math.max(values.length, 1) * precision.bytes(), what);
    runtime.copyIn(b, precision, 0, values, values.length);
    return b;
  }

  /** @return bytes currently held */
  public long bytes() {
    long s = 0;
    for (DeviceBuffer b : buffers) {
      s += b.bytes();
    }
    return s;
  }

  @Override
  public void close() {
    closed = true;
    RuntimeException first = null;
    while (!buffers.isEmpty()) {
      try {
        buffers.pop().close();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
