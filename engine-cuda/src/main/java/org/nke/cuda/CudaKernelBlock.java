package org.nke.cuda;

import org.nke.error.ResourceLimitException;
import org.nke.spi.KernelBlock;
import org.nke.spi.Precision;

/**
 * Device storage of a kernel block: row-major {@code rows × cols} buffers of K and (optionally) Θ in
 * float64 or float32, owned by the block's own {@link DeviceArena} (freed by {@link #close()}). As on
 * the CPU, a symmetric block keeps only the upper triangle ({@code j ≥ i}) current; it is mirrored
 * when read.
 */
final class CudaKernelBlock implements KernelBlock {
  final int rows;
  final int cols;
  final boolean symmetric;
  final Precision precision;
  final DeviceArena arena;
  final DeviceBuffer nngp;
  final DeviceBuffer ntk;
  private boolean closed;

  CudaKernelBlock(DeviceRuntime runtime, int rows, int cols, boolean symmetric, boolean withNtk,
      Precision precision) {
    this.rows = rows;
    this.cols = cols;
    this.symmetric = symmetric;
    this.precision = precision;
    this.arena = new DeviceArena(runtime);
    long bytes = (long) rows * cols * precision.bytes();
    String shape = rows + " x " + cols + " (" + precision.dtype() + ")";
    long total = bytes * (withNtk ? 2 : 1);
    long free = runtime.freeMemory();
    if (total > free) {
      throw new ResourceLimitException("the " + (withNtk ? "NNGP and NTK blocks " : "NNGP block ")
          + shape + " on " + runtime.deviceName(), total, free,
          "use --dtype float32, fewer points, or --backend cpu");
    }
    try {
      this.nngp = arena.allocate(bytes, "the NNGP block " + shape);
      this.ntk = withNtk ? arena.allocate(bytes, "the NTK block " + shape) : null;
    } catch (RuntimeException e) {
      arena.close();
      throw e;
    }
  }

  /** @return the bytes of one element */
  long elementBytes() {
    return precision.bytes();
  }

  @Override
  public int rows() {
    return rows;
  }

  @Override
  public int cols() {
    return cols;
  }

  @Override
  public boolean symmetric() {
    return symmetric;
  }

  @Override
  public boolean hasNtk() {
    return ntk != null;
  }

  @Override
  public Precision precision() {
    return precision;
  }

  void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("kernel block has been closed");
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      arena.close();
    }
  }
}
