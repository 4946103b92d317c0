package org.nke.testing;

import org.nke.cntk.CntkNetwork;
import org.nke.ir.Grid;
import org.nke.ir.ImageBatch;
import org.nke.ir.Join;
import org.nke.ir.PixelStep;
import org.nke.spi.ConvOps;
import org.nke.spi.PixelBlocks;

/**
 * {@link ConvOps} that forwards every call to another, for tests that change or watch one primitive
 * (the batch size, allocations) and keep the rest.
 */
public class DelegatingConvOps implements ConvOps {
  private final ConvOps ops;

  /** @param ops where calls go */
  public DelegatingConvOps(ConvOps ops) {
    this.ops = ops;
  }

  @Override
  public int preferredBatch() {
    return ops.preferredBatch();
  }

  @Override
  public PixelBlocks allocate(int capacity, long maxEntries, boolean withNtk) {
    return ops.allocate(capacity, maxEntries, withNtk);
  }

  @Override
  public long slotBytes(long maxEntries, boolean withNtk, int imageValues) {
    return ops.slotBytes(maxEntries, withNtk, imageValues);
  }

  @Override
  public long freeBytes() {
    return ops.freeBytes();
  }

  @Override
  public boolean blocksOnHeap() {
    return ops.blocksOnHeap();
  }

  @Override
  public void inputKernel(PixelBlocks b, int count, ImageBatch x, int[] rows, ImageBatch y,
      int[] cols, boolean diagonal) {
    ops.inputKernel(b, count, x, rows, y, cols, diagonal);
  }

  @Override
  public void convolve(PixelBlocks b, int count, PixelStep.Convolution step) {
    ops.convolve(b, count, step);
  }

  @Override
  public void pool(PixelBlocks b, int count, PixelStep.Pooling step) {
    ops.pool(b, count, step);
  }

  @Override
  public double activation(PixelBlocks b, int count, PixelStep.PixelActivation step, double[] rv,
      int[] ri, double[] cv, int[] ci) {
    return ops.activation(b, count, step, rv, ri, cv, ci);
  }

  @Override
  public void copy(PixelBlocks from, PixelBlocks to, int count, Grid grid, boolean diagonal) {
    ops.copy(from, to, count, grid, diagonal);
  }

  @Override
  public void accumulate(PixelBlocks t, PixelBlocks s, int count, Grid grid, boolean diagonal,
      Join join) {
    ops.accumulate(t, s, count, grid, diagonal, join);
  }

  @Override
  public void normalize(PixelBlocks b, int count, Grid grid, boolean diagonal, double[] rs, int[] ri,
      double[] cs, int[] ci) {
    ops.normalize(b, count, grid, diagonal, rs, ri, cs, ci);
  }

  @Override
  public void diagonalize(PixelBlocks b, int count, PixelStep.Diagonalize step) {
    ops.diagonalize(b, count, step);
  }

  @Override
  public void diagonal(PixelBlocks b, int slot, Grid grid, boolean diagonal, double[] out) {
    ops.diagonal(b, slot, grid, diagonal, out);
  }

  @Override
  public void readout(PixelBlocks b, int count, PixelStep.Readout step, double[] nngp,
      double[] ntk) {
    ops.readout(b, count, step, nngp, ntk);
  }
}
