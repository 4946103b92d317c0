package org.nke.cntk;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.nke.dual.BoundDual;
import org.nke.error.NumericalException;
import org.nke.exact.DenseNetwork.Activation;
import org.nke.exact.DenseNetwork.Affine;
import org.nke.exact.DenseNetwork;
import org.nke.ir.Grid;
import org.nke.ir.ImageBatch;
import org.nke.ir.PixelStep.Branch;
import org.nke.ir.PixelStep.Convolution;
import org.nke.ir.PixelStep.Diagonalize;
import org.nke.ir.PixelStep.EndFork;
import org.nke.ir.PixelStep.Fork;
import org.nke.ir.PixelStep.Merge;
import org.nke.ir.PixelStep.Normalize;
import org.nke.ir.PixelStep.PixelActivation;
import org.nke.ir.PixelStep.Pooling;
import org.nke.ir.PixelStep.Readout;
import org.nke.ir.PixelStep;
import org.nke.spi.ConvOps;
import org.nke.spi.PixelBlocks;

/**
 * Runs a batch of image pairs through a compiled network on a backend's {@link ConvOps}: the input
 * kernel, the spatial steps, the readout, then the dense tail on the per-pair scalars (cheap, on the
 * host). In the self mode (each slot an image with itself) it is the CNTK's diagonal recursion: before
 * every activation it reads the block's diagonal {@code K(p, p)} — the per-pixel variances of that
 * image — stores them for the pairwise phase and uses them for the activation (and LayerNorm).
 *
 * <p>A branching network's {@link Fork}/{@link Branch}/{@link Merge}/{@link EndFork} steps run over
 * a stack of fan-out frames (input, accumulator), each a {@link PixelBlocks} of the same capacity:
 * per nesting level the working set is the fan-out's input, the accumulator and the current branch
 * (the last branch takes the input itself), so at most {@code 1 + 2·depth} sets of blocks, allocated
 * from the backend when first needed, reused for every batch and closed by {@link #close()}.
 */
final class PairPipeline implements AutoCloseable {
  private final CntkNetwork net;
  private final ConvOps ops;
  private final PixelBlocks blocks;
  private final List<PixelBlocks> extra = new ArrayList<>();
  private final Deque<PixelBlocks> free = new ArrayDeque<>();
  private final Deque<PixelBlocks[]> frames = new ArrayDeque<>();
  private PixelBlocks current;
  private final double[] nngp;
  private final double[] ntk;
  private final int[] slotIndex;

  PairPipeline(CntkNetwork net, ConvOps ops, PixelBlocks blocks) {
    this.net = net;
    this.ops = ops;
    this.blocks = blocks;
    int c = blocks.capacity();
    this.nngp = new double[c];
    this.ntk = blocks.hasNtk() ? new double[c] : null;
    this.slotIndex = new int[c];
    for (int k = 0; k < c; k++) {
      slotIndex[k] = k;
    }
  }

  /** @return the readout NNGP per slot of the last batch (do not modify) */
  double[] nngp() {
    return nngp;
  }

  /** @return the readout NTK per slot of the last batch, or {@code null} */
  double[] ntk() {
    return ntk;
  }

  /**
   * The diagonal recursion for a batch of images, each with itself; the readout values land in
   * {@link #nngp()}/{@link #ntk()}.
   *
   * @param count slots in use
   * @param x the images
   * @param images image per slot
   * @param pre receives, per activation and image, the pixel variances; modified
   * @return the sum over activations of their error bounds
   */
  double runSelf(int count, ImageBatch x, int[] images, double[][][] pre) {
    start();
    ops.inputKernel(current, count, x, images, x, images, net.inputDiagonal());
    double bound = 0;
    for (PixelStep step : net.steps()) {
      if (step instanceof PixelActivation a) {
        double[] all = probe(count, a.grid(), a.diagonal(), a.index(), images, pre, a.position(),
            a.describe());
        bound += ops.activation(current, count, a, all, slotIndex, all, slotIndex);
      } else if (step instanceof Normalize n) {
        double[] scales = n.scales(probe(count, n.grid(), n.diagonal(), n.index(), images, pre,
            n.position(), n.describe()));
        ops.normalize(current, count, n.grid(), n.diagonal(), scales, slotIndex, scales, slotIndex);
      } else {
        linear(count, step);
      }
    }
    return bound;
  }

  /** Reads each slot's pixel variances (the block diagonals), stores them and concatenates them. */
  private double[] probe(int count, Grid grid, boolean diagonal, int index, int[] images,
      double[][][] pre, int position, String describe) {
    int pixels = grid.pixels();
    double[] all = new double[count * pixels];
    for (int k = 0; k < count; k++) {
      double[] v = new double[pixels];
      ops.diagonal(current, k, grid, diagonal, v);
      checkVariances(v, grid, images[k], position, describe);
      pre[index][images[k]] = v;
      System.arraycopy(v, 0, all, k * pixels, pixels);
    }
    return all;
  }

  /**
   * A batch of pairs of one tile; the readout values land in {@link #nngp()}/{@link #ntk()}.
   *
   * @param count slots in use
   * @param x row images
   * @param rows row image per slot
   * @param y column images
   * @param cols column image per slot
   * @param tile the tile's concatenated pixel variances
   * @return the sum over activations of their error bounds
   */
  double runPairs(int count, ImageBatch x, int[] rows, ImageBatch y, int[] cols, Tile tile) {
    start();
    ops.inputKernel(current, count, x, rows, y, cols, net.inputDiagonal());
    int[] r = new int[count];
    int[] c = new int[count];
    for (int k = 0; k < count; k++) {
      r[k] = rows[k] - tile.rowStart;
      c[k] = cols[k] - tile.colStart;
    }
    double bound = 0;
    for (PixelStep step : net.steps()) {
      if (step instanceof PixelActivation a) {
        bound += ops.activation(current, count, a, tile.rows[a.index()], r, tile.cols[a.index()], c);
      } else if (step instanceof Normalize n) {
        double[] rs = n.scales(tile.rows[n.index()]);
        double[] cs = tile.cols[n.index()] == tile.rows[n.index()] ? rs : n.scales(tile.cols[n.index()]);
        ops.normalize(current, count, n.grid(), n.diagonal(), rs, r, cs, c);
      } else {
        linear(count, step);
      }
    }
    return bound;
  }

  private void linear(int count, PixelStep step) {
    if (step instanceof Convolution c) {
      ops.convolve(current, count, c);
    } else if (step instanceof Pooling p) {
      ops.pool(current, count, p);
    } else if (step instanceof Diagonalize d) {
      ops.diagonalize(current, count, d);
    } else if (step instanceof Readout r) {
      ops.readout(current, count, r, nngp, ntk);
    } else if (step instanceof Fork) {
      frames.push(new PixelBlocks[] {current, null});
      current = null;
    } else if (step instanceof Branch b) {
      PixelBlocks input = frames.peek()[0];
      if (b.last()) {
        current = input;
      } else {
        current = plane();
        ops.copy(input, current, count, b.grid(), b.diagonal());
      }
    } else if (step instanceof Merge m) {
      PixelBlocks[] frame = frames.peek();
      if (m.branch() == 0) {
        frame[1] = current;
      } else {
        ops.accumulate(frame[1], current, count, m.grid(), m.diagonal(), m.join());
        free.push(current);
      }
      current = null;
    } else if (step instanceof EndFork) {
      current = frames.pop()[1];
    } else {
      throw new IllegalStateException("no pipeline rule for " + step);
    }
  }

  /** Resets the planes for a new batch: the input kernel goes into the first. */
  private void start() {
    frames.clear();
    free.clear();
    free.addAll(extra);
    current = blocks;
  }

  /** @return a free set of blocks, allocated from the backend the first time it is needed */
  private PixelBlocks plane() {
    if (!free.isEmpty()) {
      return free.pop();
    }
    PixelBlocks p = ops.allocate(blocks.capacity(), blocks.maxEntries(), blocks.hasNtk());
    extra.add(p);
    return p;
  }

  /** Closes the blocks this pipeline allocated (the first set stays the caller's). */
  @Override
  public void close() {
    for (PixelBlocks p : extra) {
      p.close();
    }
    extra.clear();
  }

  /**
   * The pixel variances of a tile of row images {@code [rowStart, rowEnd)} and column images
   * {@code [colStart, colEnd)}, concatenated per activation: one array per side and activation,
   * reused for every batch of the tile (so that the duals are bound once per tile).
   */
  static final class Tile {
    final int rowStart;
    final int colStart;
    final double[][] rows;
    final double[][] cols;

    Tile(double[][][] preX, int rowStart, int rowEnd, double[][][] preY, int colStart, int colEnd,
        boolean same) {
      this.rowStart = rowStart;
      this.colStart = colStart;
      rows = concat(preX, rowStart, rowEnd);
      cols = same && rowStart == colStart && rowEnd == colEnd ? rows : concat(preY, colStart, colEnd);
    }

    private static double[][] concat(double[][][] pre, int from, int to) {
      double[][] out = new double[pre.length][];
      for (int a = 0; a < pre.length; a++) {
        int pixels = pre[a][from].length;
        out[a] = new double[(to - from) * pixels];
        for (int i = from; i < to; i++) {
          System.arraycopy(pre[a][i], 0, out[a], (i - from) * pixels, pixels);
        }
      }
      return out;
    }
  }

  private static void checkVariances(double[] v, Grid grid, int image, int position,
      String describe) {
    for (int p = 0; p < v.length; p++) {
      if (!Double.isFinite(v[p])) {
        throw new NumericalException("pre-activation variances must be finite, got " + v[p]
            + " for image " + (image + 1) + ", pixel (h=" + p / grid.width() + ", w="
            + p % grid.width() + ") before layer " + position + " (" + describe + ")");
      }
    }
  }

  /**
   * The dense tail's diagonal recursion for one image: its readout self-kernel through the tail.
   *
   * @param tail the dense steps
   * @param k the image's readout NNGP {@code K(x, x)}
   * @param t its readout NTK, or NaN if not carried
   * @param pre receives the pre-activation variance per tail activation; modified
   * @return {NNGP, NTK} of the image with itself at the output
   */
  static double[] selfTail(List<DenseNetwork.Step> tail, double k, double t, double[] pre) {
    return DenseNetwork.selfKernels(tail, tail.size(), k, t, pre);
  }

  /**
   * The dense tail for one pair.
   *
   * @param tail the dense steps
   * @param bound per tail activation, the dual bound to all row and column images' variances
   * @param i row image
   * @param j column image
   * @param kt {NNGP, NTK} at the readout on entry, at the output on exit (NTK NaN if not carried);
   *     modified
   */
  static void pairTail(List<DenseNetwork.Step> tail, BoundDual[] bound, int i, int j, double[] kt) {
    int a = 0;
    double[] k = {kt[0]};
    double[] t = Double.isNaN(kt[1]) ? null : new double[] {kt[1]};
    for (DenseNetwork.Step s : tail) {
      if (s instanceof Affine f) {
        if (t != null) {
          t[0] = f.ntk(k[0], t[0]);
        }
        k[0] = f.nngp(k[0]);
      } else if (s instanceof Activation) {
        bound[a++].applyRow(i, j, 1, k, t, 0);
      }
    }
    kt[0] = k[0];
    kt[1] = t == null ? Double.NaN : t[0];
  }
}
