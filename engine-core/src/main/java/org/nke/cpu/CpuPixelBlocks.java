package org.nke.cpu;

import org.nke.spi.PixelBlocks;

/**
 * Host storage of the CNTK pair slots: per slot an NNGP block, an optional NTK block, a scratch block
 * for the window sums, and the two images of the pair. Allocated once per computation and reused for
 * every batch, so the working set stays {@code capacity × (2 or 3) × maxEntries} doubles.
 */
final class CpuPixelBlocks implements PixelBlocks {
  final double[][] nngp;
  final double[][] ntk;
  final double[][] scratch;
  final double[][] rowImage;
  final double[][] colImage;
  private final long maxEntries;
  private boolean closed;

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

  void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("pixel blocks used after close()");
    }
  }

  @Override
  public void close() {
    closed = true;
  }
}
