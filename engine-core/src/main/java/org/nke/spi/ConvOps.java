package org.nke.spi;

import org.nke.ir.Grid;
import org.nke.ir.ImageBatch;
import org.nke.ir.Join;
import org.nke.ir.Normalization;
import org.nke.ir.PixelStep.Convolution;
import org.nke.ir.PixelStep.Diagonalize;
import org.nke.ir.PixelStep.PixelActivation;
import org.nke.ir.PixelStep.Pooling;
import org.nke.ir.PixelStep.Readout;

/**
 * The heavy primitives of the exact CNTK, reached from {@link Backend#convOps()}. Each call
 * transforms the pixel-pair blocks of the first {@code count} slots of a {@link PixelBlocks}, one
 * image pair per slot, independently of each other (a GPU runs a batch of pairs in one launch, the
 * CPU spreads pairs over threads). The orchestration — walking the compiled network, the per-image
 * diagonal recursion that supplies the per-pixel variances, the readout and the dense layers after
 * it — lives once in {@code org.nke.cntk.ExactCntk}. The maths of each step is documented (and
 * implemented for the host) in {@code org.nke.cntk}: {@code PixelGram}, {@code ConvBlocks},
 * {@code PoolBlocks}, {@code PixelDual}, {@code SpatialReadout}; the fan-in joins and LayerNorm of
 * branching networks apply the scalar rules of {@link Join} and {@link Normalization} entry by entry
 * ({@link #copy}, {@link #accumulate}, {@link #normalize}). Results must not depend on how pairs are
 * batched or scheduled.
 */
public interface ConvOps {
  /** @return how many image pairs per call keep this backend busy (e.g. the CPU's thread count) */
  int preferredBatch();

  /**
   * The bytes one pair slot of {@link #allocate} takes in the memory its blocks live in (the Java
   * heap for the CPU, the device's memory for a GPU): its blocks ({@code K}, {@code Θ} when carried,
   * working space) and any per-slot staging.
   *
   * @param maxEntries entries of the largest block a step reads or writes
   * @param withNtk whether {@code Θ} is carried
   * @param imageValues values of one image ({@code H·W·C}), for staging
   * @return bytes per slot
   */
  long slotBytes(long maxEntries, boolean withNtk, int imageValues);

  /**
   * @return the bytes free for blocks in the memory they live in (the heap's free space for the CPU,
   *     the device's free memory for a GPU)
   */
  long freeBytes();

  /** @return whether the blocks live in the Java heap (so that they count against it) */
  boolean blocksOnHeap();

  /**
   * How many pair slots to allocate: at most {@code wanted}, and as many as fit in half of what is
   * free for blocks ({@link #freeBytes()} less {@code reservedBytes}) when each slot holds
   * {@code sets} sets of blocks (a branching network's working set, {@code 1 + 2·depth}) of
   * {@link #slotBytes} each; one slot when a single one fits in the free memory but not in half of
   * it.
   *
   * @param wanted the slots the caller would use
   * @param maxEntries entries of the largest block
   * @param withNtk whether {@code Θ} is carried
   * @param imageValues values of one image
   * @param sets sets of blocks per slot
   * @param reservedBytes bytes of the free memory the caller needs for something else (the result
   *     matrices, when the blocks share the heap with them)
   * @param what the computation, for the message
   * @return at least 1
   * @throws org.nke.error.ResourceLimitException if one slot does not fit in the free memory
   */
  default int capacity(int wanted, long maxEntries, boolean withNtk, int imageValues, int sets,
      long reservedBytes, String what) {
    long slot = slotBytes(maxEntries, withNtk, imageValues) * sets;
    long free = freeBytes() - reservedBytes;
    if (slot > free) {
      throw new org.nke.error.ResourceLimitException(what + ": one image pair's pixel-pair blocks ("
          + sets + " set(s) of " + maxEntries + " entries)", slot, Math.max(free, 0), blocksOnHeap()
          ? "use smaller images (pool or crop them first), a network that reaches Flatten without "
              + "pooling (it needs only the diagonal pixel pairs), or a larger heap "
              + "(NKE_JAVA_OPTS=-Xmx...)"
          : "use smaller images (pool or crop them first), a network that reaches Flatten without "
              + "pooling, or --backend cpu");
    }
    return (int) Math.max(1, Math.min(wanted, free / 2 / Math.max(slot, 1)));
  }

  /**
   * @param capacity number of pair slots
   * @param maxEntries entries of the largest block a step reads or writes
   * @param withNtk whether to carry {@code Θ}
   * @return the storage
   */
  PixelBlocks allocate(int capacity, long maxEntries, boolean withNtk);

  /**
   * The input kernel {@code K⁰(p, q) = Σ_c x[p, c] y[q, c] / C}, {@code Θ⁰ = 0}, of slot {@code k}'s
   * pair: image {@code rows[k]} of {@code x} and image {@code cols[k]} of {@code y}.
   *
   * @param blocks the storage; modified
   * @param count slots in use
   * @param x row images, not modified
   * @param rows row image per slot
   * @param y column images (same H, W, C), not modified; may be {@code x}
   * @param cols column image per slot
   * @param diagonal whether only the diagonal pairs {@code (p, p)} are computed
   */
  void inputKernel(PixelBlocks blocks, int count, ImageBatch x, int[] rows, ImageBatch y, int[] cols,
      boolean diagonal);

  /**
   * @param blocks the storage; modified
   * @param count slots in use
   * @param step the convolution ({@code org.nke.cntk.ConvBlocks})
   */
  void convolve(PixelBlocks blocks, int count, Convolution step);

  /**
   * @param blocks the storage; modified
   * @param count slots in use
   * @param step the pooling ({@code org.nke.cntk.PoolBlocks})
   */
  void pool(PixelBlocks blocks, int count, Pooling step);

  /**
   * The activation on every slot's pair, with the pre-activation variance of each pixel of both
   * images. The variances of several images come concatenated ({@code step.grid().pixels()} values
   * per image), so that per-point preparation of the dual ({@code DualActivation.bind}: e.g. Hermite
   * coefficient tables) is done once for a whole tile of images: the orchestrator passes the same
   * arrays for every batch of a tile, and an implementation may keep its preparation while the
   * arrays (by identity) stay the same.
   *
   * @param blocks the storage; modified
   * @param count slots in use
   * @param step the activation ({@code org.nke.cntk.PixelDual})
   * @param rowVariances pixel variances of the row images, concatenated, not modified
   * @param rowImages per slot, the index of its row image within {@code rowVariances}
   * @param colVariances pixel variances of the column images, concatenated, not modified (may be
   *     {@code rowVariances})
   * @param colImages per slot, the index of its column image within {@code colVariances}
   * @return a bound on the relative error the step introduced (0 for closed forms)
   */
  double activation(PixelBlocks blocks, int count, PixelActivation step, double[] rowVariances,
      int[] rowImages, double[] colVariances, int[] colImages);

  /**
   * @param blocks the storage; modified
   * @param count slots in use
   * @param step keeps only the diagonal pairs
   */
  void diagonalize(PixelBlocks blocks, int count, Diagonalize step);

  /**
   * Reads {@code K(p, p)} of one slot (the per-pixel variances when the pair is an image with
   * itself).
   *
   * @param blocks the storage, not modified
   * @param slot the slot
   * @param grid the current grid
   * @param diagonal whether only diagonal pairs are carried
   * @param out receives {@code grid.pixels()} values; modified
   */
  void diagonal(PixelBlocks blocks, int slot, Grid grid, boolean diagonal, double[] out);

  /**
   * @param blocks the storage, not modified (the blocks may be reused afterwards)
   * @param count slots in use
   * @param step Flatten or GlobalAvgPool ({@code org.nke.cntk.SpatialReadout})
   * @param nngp receives the NNGP of each slot's pair; modified
   * @param ntk receives the NTK of each slot's pair, or {@code null}; modified
   */
  void readout(PixelBlocks blocks, int count, Readout step, double[] nngp, double[] ntk);

  /**
   * Copies the blocks of the first {@code count} slots (a fan-out's input into a branch's storage).
   *
   * @param from the source storage, not modified
   * @param to the target storage, from the same backend and of the same capacity; modified
   * @param count slots in use
   * @param grid the blocks' grid
   * @param diagonal whether only the diagonal pairs are carried
   */
  void copy(PixelBlocks from, PixelBlocks to, int count, Grid grid, boolean diagonal);

  /**
   * Merges a finished branch into the accumulator of a fan-in, entry by entry and slot by slot, with
   * the scalar rule of {@link Join} ({@code Join.nngp}/{@code Join.ntk}, in float64, rounded once).
   *
   * @param target the accumulator; modified
   * @param source the branch, from the same backend; its contents are undefined afterwards
   * @param count slots in use
   * @param grid the blocks' grid
   * @param diagonal whether only the diagonal pairs are carried
   * @param join the fan-in's rule for this branch
   */
  void accumulate(PixelBlocks target, PixelBlocks source, int count, Grid grid, boolean diagonal,
      Join join);

  /**
   * LayerNorm on pixel-pair blocks: entry {@code (p, q)} of slot {@code k} (K and Θ) becomes
   * {@code Normalization.divide(entry, sx, sy)} with {@code sx = rowScales[rowImages[k]·P + p]},
   * {@code sy = colScales[colImages[k]·P + q]}, {@code P = grid.pixels()}.
   *
   * @param blocks the storage; modified
   * @param count slots in use
   * @param grid the blocks' grid
   * @param diagonal whether only the diagonal pairs are carried
   * @param rowScales per row image and pixel, the scale, not modified
   * @param rowImages per slot, the row image's index among them
   * @param colScales per column image and pixel (may be {@code rowScales})
   * @param colImages per slot, the column image's index among them
   */
  void normalize(PixelBlocks blocks, int count, Grid grid, boolean diagonal, double[] rowScales,
      int[] rowImages, double[] colScales, int[] colImages);
}
