package org.nke.cpu;

import org.nke.ir.Join;
import org.nke.ir.Normalization;
import org.nke.spi.Precision;

/**
 * The CPU's block primitives of branching networks and LayerNorm, row by row: copies, fan-in joins
 * ({@link Join}) and normalisation ({@link Normalization}). Each entry is computed in float64 by the
 * records' scalar rules and rounded once to the block's precision, independently of the partition
 * into chunks (bit-identical for any thread count). Symmetric blocks touch only their upper triangle.
 */
final class CpuBlockOps {
  private CpuBlockOps() {
  }

  /** @return a block with the same NNGP and NTK as {@code b} (never its angles) */
  static CpuKernelBlock copy(CpuKernelBlock b) {
    CpuKernelBlock c = new CpuKernelBlock(b.rows, b.cols, b.symmetric, b.hasNtk(), b.precision);
    for (int i = 0; i < b.rows; i++) {
      if (b.precision == Precision.F64) {
        System.arraycopy(b.nngp64[i], 0, c.nngp64[i], 0, b.cols);
        if (c.ntk64 != null) {
          System.arraycopy(b.ntk64[i], 0, c.ntk64[i], 0, b.cols);
        }
      } else {
        System.arraycopy(b.nngp32[i], 0, c.nngp32[i], 0, b.cols);
        if (c.ntk32 != null) {
          System.arraycopy(b.ntk32[i], 0, c.ntk32[i], 0, b.cols);
        }
      }
    }
    return c;
  }

  /** @throws IllegalArgumentException unless the two blocks can be joined */
  static void requireJoinable(CpuKernelBlock t, CpuKernelBlock s) {
    if (t.rows != s.rows || t.cols != s.cols || t.symmetric != s.symmetric
        || t.precision != s.precision || t.hasNtk() != s.hasNtk() || t.hasAngles()) {
      throw new IllegalArgumentException("blocks to join must have the same shape, symmetry, "
          + "precision and kernels (and no angles), got " + t.rows + " x " + t.cols + " and "
          + s.rows + " x " + s.cols);
    }
  }

  /** Rows {@code [i0, i1)} of {@code t ← join(t, s)}. */
  static void accumulateRows(CpuKernelBlock t, CpuKernelBlock s, Join join, int i0, int i1) {
    boolean ntk = t.hasNtk();
    for (int i = i0; i < i1; i++) {
      int j0 = t.firstCol(i);
      for (int j = j0; j < t.cols; j++) {
        if (t.precision == Precision.F64) {
          double kt = t.nngp64[i][j];
          double ks = s.nngp64[i][j];
          if (ntk) {
            t.ntk64[i][j] = join.ntk(t.ntk64[i][j], s.ntk64[i][j], kt, ks);
          }
          t.nngp64[i][j] = join.nngp(kt, ks);
        } else {
          double kt = t.nngp32[i][j];
          double ks = s.nngp32[i][j];
          if (ntk) {
            t.ntk32[i][j] = (float) join.ntk(t.ntk32[i][j], s.ntk32[i][j], kt, ks);
          }
          t.nngp32[i][j] = (float) join.nngp(kt, ks);
        }
      }
    }
  }

  /** Rows {@code [i0, i1)} of {@code b ← b / √(scaleX[i] scaleY[j])}. */
  static void normalizeRows(CpuKernelBlock b, Normalization n, int i0, int i1) {
    boolean ntk = b.hasNtk();
    double[] sy = b.symmetric ? n.scaleX() : n.scaleY();
    for (int i = i0; i < i1; i++) {
      double sx = n.scaleX()[i];
      for (int j = b.firstCol(i); j < b.cols; j++) {
        if (b.precision == Precision.F64) {
          b.nngp64[i][j] = Normalization.divide(b.nngp64[i][j], sx, sy[j]);
          if (ntk) {
            b.ntk64[i][j] = Normalization.divide(b.ntk64[i][j], sx, sy[j]);
          }
        } else {
          b.nngp32[i][j] = (float) Normalization.divide(b.nngp32[i][j], sx, sy[j]);
          if (ntk) {
            b.ntk32[i][j] = (float) Normalization.divide(b.ntk32[i][j], sx, sy[j]);
          }
        }
      }
    }
  }
}
