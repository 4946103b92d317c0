package org.nke.cpu;

import org.nke.spi.KernelBlock;
import org.nke.spi.Precision;

/**
 * Host storage of a kernel block: one array per row, float64 or float32. For a symmetric block only
 * the upper triangle ({@code j ≥ i}) is kept current; it is mirrored when read.
 */
final class CpuKernelBlock implements KernelBlock {
  final int rows;
  final int cols;
  final boolean symmetric;
  final Precision precision;
  double[][] nngp64;
  double[][] ntk64;
  float[][] nngp32;
  float[][] ntk32;
  /** Pair angles {@code θ ∈ [0, π]} (float64 blocks that carry them), else {@code null}. */
  double[][] angle64;
  private boolean closed;

  CpuKernelBlock(int rows, int cols, boolean symmetric, boolean withNtk, Precision precision) {
    this.rows = rows;
    this.cols = cols;
    this.symmetric = symmetric;
    this.precision = precision;
    if (precision == Precision.F64) {
      nngp64 = new double[rows][cols];
      ntk64 = withNtk ? new double[rows][cols] : null;
    } else {
      nngp32 = new float[rows][cols];
      ntk32 = withNtk ? new float[rows][cols] : null;
    }
  }

  /** @return first column of row {@code i} that is kept current */
  int firstCol(int i) {
    return symmetric ? i : 0;
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
    return ntk64 != null || ntk32 != null;
  }

  @Override
  public boolean hasAngles() {
    return angle64 != null;
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
    closed = true;
    nngp64 = null;
    ntk64 = null;
    nngp32 = null;
    ntk32 = null;
    angle64 = null;
  }
}
