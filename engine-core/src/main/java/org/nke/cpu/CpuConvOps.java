package org.nke.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import org.nke.cntk.BlockJoin;
import org.nke.cntk.ConvBlocks;
import org.nke.cntk.PixelDual;
import org.nke.cntk.PixelGram;
import org.nke.cntk.PoolBlocks;
import org.nke.cntk.SpatialReadout;
import org.nke.dual.BoundDual;
import org.nke.ir.Grid;
import org.nke.ir.ImageBatch;
import org.nke.ir.Join;
import org.nke.ir.PixelStep.Convolution;
import org.nke.ir.PixelStep.Diagonalize;
import org.nke.ir.PixelStep.PixelActivation;
import org.nke.ir.PixelStep.Pooling;
import org.nke.ir.PixelStep.Readout;
import org.nke.spi.ConvOps;
import org.nke.spi.PixelBlocks;

/**
 * The CNTK primitives on the CPU: each call runs the host implementation of its step
 * ({@code org.nke.cntk}) on every slot, one image pair per task, on the backend's
 * {@link ForkJoinPool}. A pair's block is only ever touched by one task, so results are
 * bit-identical for any thread count and any batching.
 */
final class CpuConvOps implements ConvOps {
  private final ForkJoinPool pool;
  private final int threads;

  CpuConvOps(ForkJoinPool pool, int threads) {
    this.pool = pool;
    this.threads = threads;
  }

  private static CpuPixelBlocks cast(PixelBlocks blocks) {
    if (!(blocks instanceof CpuPixelBlocks b)) {
      throw new IllegalArgumentException("blocks were not allocated by the CPU backend: " + blocks);
    }
    b.ensureOpen();
    return b;
  }

  private void forSlots(int count, IntConsumer body) {
    if (count == 1 || threads == 1) {
      for (int k = 0; k < count; k++) {
        body.accept(k);
      }
    } else {
      pool.submit(() -> IntStream.range(0, count).parallel().forEach(body)).join();
    }
  }

  @Override
  public int preferredBatch() {
    return threads;
  }

  @Override
  public PixelBlocks allocate(int capacity, long maxEntries, boolean withNtk) {
    return new CpuPixelBlocks(capacity, maxEntries, withNtk);
  }

  /** {@code K}, scratch and {@code Θ} when carried, float64 (the images are read in place). */
  @Override
  public long slotBytes(long maxEntries, boolean withNtk, int imageValues) {
    return maxEntries * Double.BYTES * (withNtk ? 3 : 2);
  }

  @Override
  public long freeBytes() {
    Runtime r = Runtime.getRuntime();
    return r.maxMemory() - (r.totalMemory() - r.freeMemory());
  }

  @Override
  public boolean blocksOnHeap() {
    return true;
  }

  @Override
  public void inputKernel(PixelBlocks blocks, int count, ImageBatch x, int[] rows, ImageBatch y,
      int[] cols, boolean diagonal) {
    CpuPixelBlocks b = cast(blocks);
    int size = x.imageSize();
    forSlots(count, k -> {
      if (b.rowImage[k] == null) {
        b.rowImage[k] = new double[size];
        b.colImage[k] = new double[size];
      }
      x.copyImage(rows[k], b.rowImage[k]);
      y.copyImage(cols[k], b.colImage[k]);
      PixelGram.compute(b.rowImage[k], b.colImage[k], x.pixels(), x.channels(), diagonal, b.nngp[k]);
      if (b.ntk != null) {
        java.util.Arrays.fill(b.ntk[k], 0, (int) (diagonal ? x.pixels()
            : (long) x.pixels() * x.pixels()), 0.0);
      }
    });
  }

  @Override
  public void convolve(PixelBlocks blocks, int count, Convolution step) {
    CpuPixelBlocks b = cast(blocks);
    forSlots(count, k -> ConvBlocks.apply(b.nngp[k], b.ntk == null ? null : b.ntk[k], b.scratch[k],
        step));
  }

  @Override
  public void pool(PixelBlocks blocks, int count, Pooling step) {
    CpuPixelBlocks b = cast(blocks);
    forSlots(count, k -> PoolBlocks.apply(b.nngp[k], b.ntk == null ? null : b.ntk[k], b.scratch[k],
        step));
  }

  @Override
  public double activation(PixelBlocks blocks, int count, PixelActivation step, double[] rowVariances,
      int[] rowImages, double[] colVariances, int[] colImages) {
    CpuPixelBlocks b = cast(blocks);
    BoundDual bound = b.binding(step, rowVariances, colVariances);
    int pixels = step.grid().pixels();
    forSlots(count, k -> PixelDual.apply(bound, rowImages[k] * pixels, colImages[k] * pixels,
        b.nngp[k], b.ntk == null ? null : b.ntk[k], pixels, step.diagonal()));
    return bound.errorBound();
  }

  @Override
  public void diagonalize(PixelBlocks blocks, int count, Diagonalize step) {
    CpuPixelBlocks b = cast(blocks);
    forSlots(count, k -> {
      SpatialReadout.diagonalize(b.nngp[k], step.grid().pixels());
      if (b.ntk != null) {
        SpatialReadout.diagonalize(b.ntk[k], step.grid().pixels());
      }
    });
  }

  @Override
  public void diagonal(PixelBlocks blocks, int slot, Grid grid, boolean diagonal, double[] out) {
    SpatialReadout.diagonal(cast(blocks).nngp[slot], grid.pixels(), diagonal, out);
  }

  @Override
  public void readout(PixelBlocks blocks, int count, Readout step, double[] nngp, double[] ntk) {
    CpuPixelBlocks b = cast(blocks);
    int n = step.grid().pixels();
    forSlots(count, k -> {
      nngp[k] = step.flatten() ? SpatialReadout.flatten(b.nngp[k], n, step.diagonal())
          : SpatialReadout.globalAverage(b.nngp[k], n);
      if (ntk != null) {
        ntk[k] = step.flatten() ? SpatialReadout.flatten(b.ntk[k], n, step.diagonal())
            : SpatialReadout.globalAverage(b.ntk[k], n);
      }
    });
  }

  @Override
  public void copy(PixelBlocks from, PixelBlocks to, int count, Grid grid, boolean diagonal) {
    CpuPixelBlocks f = cast(from);
    CpuPixelBlocks t = cast(to);
    int entries = (int) grid.blockEntries(diagonal);
    forSlots(count, k -> {
      System.arraycopy(f.nngp[k], 0, t.nngp[k], 0, entries);
      if (f.ntk != null && t.ntk != null) {
        System.arraycopy(f.ntk[k], 0, t.ntk[k], 0, entries);
      }
    });
  }

  @Override
  public void accumulate(PixelBlocks target, PixelBlocks source, int count, Grid grid,
      boolean diagonal, Join join) {
    CpuPixelBlocks t = cast(target);
    CpuPixelBlocks s = cast(source);
    int entries = (int) grid.blockEntries(diagonal);
    forSlots(count, k -> BlockJoin.accumulate(t.nngp[k], t.ntk == null ? null : t.ntk[k],
        s.nngp[k], s.ntk == null ? null : s.ntk[k], entries, join));
  }

  @Override
  public void normalize(PixelBlocks blocks, int count, Grid grid, boolean diagonal,
      double[] rowScales, int[] rowImages, double[] colScales, int[] colImages) {
    CpuPixelBlocks b = cast(blocks);
    int n = grid.pixels();
    forSlots(count, k -> {
      int r = rowImages[k] * n;
      int c = colImages[k] * n;
      BlockJoin.normalize(b.nngp[k], n, diagonal, rowScales, r, colScales, c);
      if (b.ntk != null) {
        BlockJoin.normalize(b.ntk[k], n, diagonal, rowScales, r, colScales, c);
      }
    });
  }
}
