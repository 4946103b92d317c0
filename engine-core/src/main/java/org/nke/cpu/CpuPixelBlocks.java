package org.nke.cpu;

import java.util.IdentityHashMap;
import java.util.Map;
import org.nke.dual.BoundDual;
import org.nke.ir.PixelStep.PixelActivation;
import org.nke.spi.PixelBlocks;

/**
 * Host storage of the CNTK pair slots: per slot an NNGP block, an optional NTK block, a scratch block
 * for the window sums, and the two images of the pair. Allocated once per computation and reused for
 * every batch, so the working set stays {@code capacity × (2 or 3) × maxEntries} doubles. Also keeps,
 * per activation step, the dual bound to the last variance arrays it was given (one tile of images).
 */
final class CpuPixelBlocks implements PixelBlocks {
  final double[][] nngp;
  final double[][] ntk;
  final double[][] scratch;
  final double[][] rowImage;
  final double[][] colImage;
  private final long maxEntries;
  private final Map<PixelActivation, Binding> bindings = new IdentityHashMap<>();
  private boolean closed;

  /** A dual bound to two variance arrays (compared by identity). */
  private record Binding(double[] rows, double[] cols, BoundDual bound) {
  }

  CpuPixelBlocks(int capacity, long maxEntries, boolean withNtk) {
    if (maxEntries > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("a pixel-pair block of " + maxEntries + " entries does not "
          + "fit a Java array");
    }
    int m = (int) maxEntries;
    this.maxEntries = maxEntries;
    nngp = new double[capacity][m];
    ntk = withNtk ? new double[capacity][m] : null;
    scratch = new double[capacity][m];
    rowImage = new double[capacity][];
    colImage = new double[capacity][];
  }

  @Override
  public int capacity() {
    return nngp.length;
  }

  @Override
  public long maxEntries() {
    return maxEntries;
  }

  @Override
  public boolean hasNtk() {
    return ntk != null;
  }

  /**
   * @return the dual of {@code step} bound to these arrays, reusing the previous binding while the
   *     arrays are the same objects (called from the orchestrating thread only)
   */
  BoundDual binding(PixelActivation step, double[] rows, double[] cols) {
    Binding b = bindings.get(step);
    if (b == null || b.rows() != rows || b.cols() != cols) {
      b = new Binding(rows, cols, step.dual().bind(rows, cols, ntk != null));
      bindings.put(step, b);
    }
    return b.bound();
  }

  void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("pixel blocks used after close()");
    }
  }

  @Override
  public void close() {
    closed = true;
    bindings.clear();
  }
}
