package org.nke.cuda;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.nke.ir.PixelStep.PixelActivation;
import org.nke.spi.PixelBlocks;
import org.nke.spi.Precision;

/**
 * Device storage of the CNTK pair slots (mirror of {@code org.nke.cpu.CpuPixelBlocks}): one buffer
 * per role holding every slot's block compactly (slot {@code s} at element {@code s·entries} of the
 * current grid): K, a spare for K, and with the NTK Θ and a spare for Θ. A convolution writes into
 * the spares and {@link #swap()}s them in; a pooling pass uses the spare as scratch. Also the staged
 * images of the batch, the readout's partial sums, and per activation step the dual prepared for the
 * variance arrays of the current tile (uploaded once per tile, reused while the arrays are the same
 * objects). Everything is owned by one {@link DeviceArena}, freed by {@link #close()} (idempotent).
 */
final class CudaPixelBlocks implements PixelBlocks {
  final Precision precision;
  private final DeviceRuntime rt;
  private final int capacity;
  private final long maxEntries;
  private final boolean withNtk;
  private final DeviceArena arena;
  private final Map<PixelActivation, PixelBinding> bindings = new IdentityHashMap<>();
  private DeviceBuffer k;
  private DeviceBuffer t;
  private DeviceBuffer spareK;
  private DeviceBuffer spareT;
  private DeviceBuffer rowImages;
  private DeviceBuffer colImages;
  private DeviceBuffer partials;
  private boolean closed;

  /**
   * @param rt the device
   * @param precision element type of the blocks
   * @param capacity slots, 1 to {@link CntkKernels#MAX_SLOTS}
   * @param maxEntries entries of the largest block
   * @param withNtk whether to carry Θ
   */
  CudaPixelBlocks(DeviceRuntime rt, Precision precision, int capacity, long maxEntries,
      boolean withNtk) {
    if (capacity < 1 || capacity > CntkKernels.MAX_SLOTS) {
      throw new IllegalArgumentException("pixel blocks must have 1 to " + CntkKernels.MAX_SLOTS
          + " slots, got " + capacity);
    }
    this.rt = rt;
    this.precision = precision;
    this.capacity = capacity;
    this.maxEntries = maxEntries;
    this.withNtk = withNtk;
    this.arena = new DeviceArena(rt);
    long bytes = (long) capacity * maxEntries * precision.bytes();
    String what = capacity + " pixel-pair blocks of " + maxEntries + " entries (" + precision.dtype()
        + ")";
    try {
      k = arena.allocate(bytes, "the NNGP of " + what);
      spareK = arena.allocate(bytes, "working space for " + what);
      if (withNtk) {
        t = arena.allocate(bytes, "the NTK of " + what);
        spareT = arena.allocate(bytes, "NTK working space for " + what);
      }
    } catch (RuntimeException e) {
      arena.close();
      throw e;
    }
  }

  @Override
  public int capacity() {
    return capacity;
  }

  @Override
  public long maxEntries() {
    return maxEntries;
  }

  @Override
  public boolean hasNtk() {
    return withNtk;
  }

  /** @return K of every slot */
  DeviceBuffer nngp() {
    return k;
  }

  /** @return Θ of every slot, or {@code null} */
  DeviceBuffer ntk() {
    return t;
  }

  /** @return the spare of K (a convolution's output, a pooling's scratch) */
  DeviceBuffer spareNngp() {
    return spareK;
  }

  /** @return the spare of Θ, or {@code null} */
  DeviceBuffer spareNtk() {
    return spareT;
  }

  /** Makes the spares current (after a step wrote its output there). */
  void swap() {
    DeviceBuffer x = k;
    k = spareK;
    spareK = x;
    x = t;
    t = spareT;
    spareT = x;
  }

  /**
   * @param imageValues values per image
   * @return {row images, column images}: staging for {@link #capacity()} images each
   */
  DeviceBuffer[] images(int imageValues) {
    long bytes = (long) capacity * imageValues * precision.bytes();
    if (rowImages == null || rowImages.bytes() != bytes) {
      if (rowImages != null) {
        rowImages.close();
        colImages.close();
      }
      rowImages = arena.allocate(bytes, "the row images of a batch");
      colImages = arena.allocate(bytes, "the column images of a batch");
    }
    return new DeviceBuffer[] {rowImages, colImages};
  }

  /**
   * @param perSlot float64 partial sums per slot
   * @return a buffer of {@code capacity × perSlot} float64
   */
  DeviceBuffer partials(int perSlot) {
    long bytes = 8L * capacity * perSlot;
    if (partials == null || partials.bytes() < bytes) {
      if (partials != null) {
        partials.close();
      }
      partials = arena.allocate(bytes, "readout partial sums");
    }
    return partials;
  }

  /**
   * @param step an activation step
   * @param rows the row variances it is asked for
   * @param cols the column variances
   * @param make prepares a new binding when the arrays (by identity) changed
   * @return the binding of {@code step} to these arrays (the previous one is closed when replaced)
   */
  PixelBinding binding(PixelActivation step, double[] rows, double[] cols,
      Supplier<PixelBinding> make) {
    PixelBinding b = bindings.get(step);
    if (b == null || b.rows() != rows || b.cols() != cols) {
      if (b != null) {
        b.close();
      }
      bindings.remove(step);
      b = make.get();
      bindings.put(step, b);
    }
    return b;
  }

  /** @return the device */
  DeviceRuntime runtime() {
    return rt;
  }

  void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("pixel blocks used after close()");
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      for (PixelBinding b : bindings.values()) {
        b.close();
      }
      bindings.clear();
    } finally {
      arena.close();
    }
  }
}
