package org.nke.cuda;

import java.util.Arrays;
import java.util.function.Consumer;
import org.nke.cntk.PixelDual;
import org.nke.dual.BoundDual;
import org.nke.ir.Grid;
import org.nke.ir.ImageBatch;
import org.nke.ir.Join;
import org.nke.ir.PixelStep.Convolution;
import org.nke.ir.PixelStep.Diagonalize;
import org.nke.ir.PixelStep.PixelActivation;
import org.nke.ir.PixelStep.Pooling;
import org.nke.ir.PixelStep.Readout;
import org.nke.ir.Window;
import org.nke.spi.ConvOps;
import org.nke.spi.PixelBlocks;
import org.nke.spi.Precision;

/**
 * The CNTK primitives on the device (mirror of {@code org.nke.cpu.CpuConvOps}): every call transforms
 * all slots of a batch in one launch per pass. The input kernel, convolution (window sums fused with
 * the affine map), the two passes of average pooling, the diagonal extraction and the readout's
 * partial sums are {@code cntk.ptx} ({@link CntkKernels}); the activations are the pair maps of
 * {@code dual.ptx} on the stacked blocks with an index table ({@link DualKernels.Pair#index()}); a dual
 * without a device kernel runs on the CPU per batch, recorded as a fallback. In float64 every step
 * reproduces the CPU's arithmetic and summation order (bit for bit up to the sign of zero, apart
 * from {@code atan2}/{@code exp} inside the duals and the readout of blocks above
 * {@value #READOUT_CHUNK} terms, whose partial sums are added on the host); float32 blocks compute in
 * float32. Every call synchronises before it returns.
 */
final class CudaConvOps implements ConvOps {
  /** Image pairs per batch asked of the orchestrator (which may choose fewer). */
  static final int PREFERRED_BATCH = 256;
  /** Terms per partial sum of the readout. */
  static final int READOUT_CHUNK = 4096;
  /** Rows of one pair-map launch (grid y ≤ 65535 blocks of {@link DualKernels#PAIR_Y} rows). */
  private static final int MAX_PAIR_ROWS = 65535 * DualKernels.PAIR_Y;

  private final DeviceRuntime rt;
  private final Precision precision;
  private final CntkKernels cntk;
  private final BlockKernels joins;
  private final CudaDualOps duals;
  private final Consumer<String> fallback;

  /**
   * @param rt the device
   * @param precision element type of the blocks
   * @param duals the dual maps
   * @param fallback records (and logs) a step that ran on the CPU
   */
  CudaConvOps(DeviceRuntime rt, Precision precision, CudaDualOps duals, Consumer<String> fallback) {
    this.rt = rt;
    this.precision = precision;
    this.cntk = new CntkKernels(rt);
    this.joins = new BlockKernels(rt);
    this.duals = duals;
    this.fallback = fallback;
  }

  /** @return the element type of the blocks */
  Precision precision() {
    return precision;
  }

  private static CudaPixelBlocks cast(PixelBlocks blocks) {
    if (!(blocks instanceof CudaPixelBlocks b)) {
      throw new IllegalArgumentException("blocks were not allocated by the CUDA backend: " + blocks);
    }
    b.ensureOpen();
    b.runtime().makeCurrent();
    return b;
  }

  private long bytes(long entries) {
    return entries * precision.bytes();
  }

  @Override
  public int preferredBatch() {
    return PREFERRED_BATCH;
  }

  /**
   * As {@link CudaPixelBlocks} allocates: {@code K} and its working space, the same for {@code Θ}
   * when carried, the two staged images and the readout's partial sums, in the backend's precision.
   */
  @Override
  public long slotBytes(long maxEntries, boolean withNtk, int imageValues) {
    return bytes(maxEntries) * (withNtk ? 4 : 2) + 2 * bytes(imageValues)
        + 8L * (maxEntries / READOUT_CHUNK + 1);
  }

  @Override
  public long freeBytes() {
    return rt.freeMemory();
  }

  @Override
  public boolean blocksOnHeap() {
    return false;
  }

  @Override
  public PixelBlocks allocate(int capacity, long maxEntries, boolean withNtk) {
    rt.makeCurrent();
    return new CudaPixelBlocks(rt, precision, capacity, maxEntries, withNtk);
  }

  private void stage(ImageBatch images, int[] which, int count, DeviceBuffer dst) {
    int size = images.imageSize();
    double[] all = new double[count * size];
    double[] one = new double[size];
    for (int k = 0; k < count; k++) {
      images.copyImage(which[k], one);
      System.arraycopy(one, 0, all, k * size, size);
    }
    rt.copyIn(dst, precision, 0, all, all.length);
  }

  @Override
  public void inputKernel(PixelBlocks blocks, int count, ImageBatch x, int[] rows, ImageBatch y,
      int[] cols, boolean diagonal) {
    CudaPixelBlocks b = cast(blocks);
    DeviceBuffer[] img = b.images(x.imageSize());
    stage(x, rows, count, img[0]);
    boolean same = x == y && Arrays.equals(rows, 0, count, cols, 0, count);
    if (!same) {
      stage(y, cols, count, img[1]);
    }
    cntk.gram(precision, b.nngp(), img[0], same ? img[0] : img[1], count, x.pixels(), x.channels(),
        diagonal);
    if (b.hasNtk()) {
      long entries = diagonal ? x.pixels() : (long) x.pixels() * x.pixels();
      rt.zero(b.ntk().slice(0, bytes(count * entries)));
    }
    rt.synchronize("the CNTK input kernel");
  }

  @Override
  public void convolve(PixelBlocks blocks, int count, Convolution step) {
    CudaPixelBlocks b = cast(blocks);
    Window w = step.window();
    // the constants of ConvBlocks.affine, with the same expressions
    double f = w.size();
    CntkKernels.Affine affine = new CntkKernels.Affine(step.w2() / f, step.b2(),
        step.ntkFromNngp() / f, step.ntkZero() ? 0 : step.ntkFromNtk() / f, step.ntkConstant());
    cntk.conv(precision, b.nngp(), b.ntk(), b.spareNngp(), b.spareNtk(), count, w, step.diagonal(),
        b.hasNtk() && !step.ntkZero(), affine);
    b.swap();
    rt.synchronize("the CNTK convolution " + step.describe());
  }

  @Override
  public void pool(PixelBlocks blocks, int count, Pooling step) {
    CudaPixelBlocks b = cast(blocks);
    Window w = step.window();
    for (DeviceBuffer m : b.hasNtk() ? new DeviceBuffer[] {b.nngp(), b.ntk()}
        : new DeviceBuffer[] {b.nngp()}) {
      cntk.poolVertical(precision, m, b.spareNngp(), count, w);
      cntk.poolHorizontal(precision, b.spareNngp(), m, count, w);
    }
    rt.synchronize("the CNTK pooling " + step.describe());
  }

  @Override
  public double activation(PixelBlocks blocks, int count, PixelActivation step, double[] rowVariances,
      int[] rowImages, double[] colVariances, int[] colImages) {
    CudaPixelBlocks b = cast(blocks);
    PixelBinding bind = b.binding(step, rowVariances, colVariances, () -> bind(step, rowVariances,
        colVariances, b.hasNtk()));
    if (!bind.onDevice()) {
      onHost(b, count, step, bind.bound(), rowImages, colImages);
      return bind.bound().errorBound();
    }
    int n = step.grid().pixels();
    boolean diag = step.diagonal();
    long entries = step.grid().blockEntries(diag);
    int perLaunch = Math.max(1, MAX_PAIR_ROWS / n);
    try (DeviceArena scratch = new DeviceArena(rt)) {
      for (int s0 = 0; s0 < count; s0 += perLaunch) {
        int m = Math.min(perLaunch, count - s0);
        int[] table = new int[4 + 2 * m];
        table[0] = n;
        table[1] = diag ? 1 : 0;
        table[2] = colVariances.length;
        table[3] = m;
        for (int s = 0; s < m; s++) {
          table[4 + s] = rowImages[s0 + s] * n;
          table[4 + m + s] = colImages[s0 + s] * n;
        }
        DeviceBuffer index = scratch.allocate(4L * table.length, "the pair index table");
        rt.copyIn(index, table);
        long off = bytes(s0 * entries);
        long len = bytes(m * entries);
        bind.launch().launch(new DualKernels.Pair(precision, b.nngp().slice(off, len),
            b.hasNtk() ? b.ntk().slice(off, len) : null, bind.varX(), bind.varY(), m * n,
            diag ? 1 : n, false, index));
      }
      rt.synchronize("the CNTK activation " + step.describe());
    }
    return bind.bound().errorBound();
  }

  private PixelBinding bind(PixelActivation step, double[] rows, double[] cols, boolean withNtk) {
    BoundDual bound = step.dual().bind(rows, cols, withNtk);
    DeviceArena arena = new DeviceArena(rt);
    try {
      if (!CudaDualOps.supported(step.dual(), bound)) {
        return new PixelBinding(rows, cols, bound, null, null, null, arena);
      }
      DeviceBuffer vx = arena.upload(rows, precision, "row pixel variances");
      DeviceBuffer vy = cols == rows ? vx : arena.upload(cols, precision, "column pixel variances");
      CudaDualOps.Prepared launch = duals.prepare(step.dual(), bound, rows, cols, precision, withNtk,
          arena);
      return new PixelBinding(rows, cols, bound, vx, vy, launch, arena);
    } catch (RuntimeException e) {
      arena.close();
      throw e;
    }
  }

  /** The explicit CPU fallback of an activation without a device kernel: per slot, on the host. */
  private void onHost(CudaPixelBlocks b, int count, PixelActivation step, BoundDual bound,
      int[] rowImages, int[] colImages) {
    int n = step.grid().pixels();
    int entries = (int) step.grid().blockEntries(step.diagonal());
    fallback.accept("CNTK activation " + step.describe() + " (" + step.dual().getClass()
        .getSimpleName() + "): no device kernel, ran on the CPU (" + count + " pairs x " + entries
        + " entries)");
    double[] k = new double[entries];
    double[] t = b.hasNtk() ? new double[entries] : null;
    for (int s = 0; s < count; s++) {
      long at = (long) s * entries;
      rt.copyOut(b.nngp(), precision, at, k, entries);
      if (t != null) {
        rt.copyOut(b.ntk(), precision, at, t, entries);
      }
      PixelDual.apply(bound, rowImages[s] * n, colImages[s] * n, k, t, n, step.diagonal());
      rt.copyIn(b.nngp(), precision, at, k, entries);
      if (t != null) {
        rt.copyIn(b.ntk(), precision, at, t, entries);
      }
    }
  }

  @Override
  public void diagonalize(PixelBlocks blocks, int count, Diagonalize step) {
    CudaPixelBlocks b = cast(blocks);
    int n = step.grid().pixels();
    cntk.diagonalize(precision, b.nngp(), b.spareNngp(), count, n);
    if (b.hasNtk()) {
      cntk.diagonalize(precision, b.ntk(), b.spareNtk(), count, n);
    }
    b.swap();
    rt.synchronize("the CNTK diagonal extraction");
  }

  @Override
  public void diagonal(PixelBlocks blocks, int slot, Grid grid, boolean diagonal, double[] out) {
    CudaPixelBlocks b = cast(blocks);
    long entries = grid.blockEntries(diagonal);
    DeviceBuffer block = b.nngp().slice(bytes(slot * entries), bytes(entries));
    if (diagonal) {
      rt.copyOut(block, precision, 0, out, grid.pixels());
    } else {
      rt.gather(block, precision, grid.pixels() + 1L, out);
    }
  }

  @Override
  public void readout(PixelBlocks blocks, int count, Readout step, double[] nngp, double[] ntk) {
    CudaPixelBlocks b = cast(blocks);
    int n = step.grid().pixels();
    long terms = step.flatten() ? n : (long) n * n;
    int chunks = (int) ((terms + READOUT_CHUNK - 1) / READOUT_CHUNK);
    DeviceBuffer partials = b.partials(chunks);
    double[] host = new double[count * chunks];
    for (int w = 0; w < (ntk == null ? 1 : 2); w++) {
      double[] out = w == 0 ? nngp : ntk;
      cntk.readout(precision, w == 0 ? b.nngp() : b.ntk(), partials, count, n, step.diagonal(),
          step.flatten(), READOUT_CHUNK, chunks);
      rt.copyOut(partials, Precision.F64, 0, host, host.length);
      for (int k = 0; k < count; k++) {
        double s = 0;
        for (int c = 0; c < chunks; c++) {
          s += host[k * chunks + c];
        }
        // SpatialReadout: Σ K(p, p) / N, or Σ K(p, q) / N² (an int N², as there)
        out[k] = step.flatten() ? s / n : s / (n * n);
      }
    }
  }

  /** {@inheritDoc} On the device: {@code cuMemcpyDtoD} of the slots' compact blocks. */
  @Override
  public void copy(PixelBlocks from, PixelBlocks to, int count, Grid grid, boolean diagonal) {
    CudaPixelBlocks f = cast(from);
    CudaPixelBlocks t = cast(to);
    long len = bytes(count * grid.blockEntries(diagonal));
    rt.copy(t.nngp().slice(0, len), f.nngp().slice(0, len));
    if (f.hasNtk() && t.hasNtk()) {
      rt.copy(t.ntk().slice(0, len), f.ntk().slice(0, len));
    }
    rt.synchronize("the CNTK branch copy");
  }

  /**
   * {@inheritDoc} On the device: the fan-in joins of {@code block.ptx} ({@link BlockKernels#join}) on
   * the slots' compact blocks seen as one matrix of {@code P} columns, in launches of at most
   * {@link #MAX_PAIR_ROWS} rows.
   */
  @Override
  public void accumulate(PixelBlocks target, PixelBlocks source, int count, Grid grid,
      boolean diagonal, Join join) {
    CudaPixelBlocks t = cast(target);
    CudaPixelBlocks s = cast(source);
    int n = grid.pixels();
    int rowsPerSlot = diagonal ? 1 : n;
    long entries = grid.blockEntries(diagonal);
    int perLaunch = Math.max(1, MAX_PAIR_ROWS / rowsPerSlot);
    for (int s0 = 0; s0 < count; s0 += perLaunch) {
      int m = Math.min(perLaunch, count - s0);
      long off = bytes(s0 * entries);
      long len = bytes(m * entries);
      boolean ntk = t.hasNtk() && s.hasNtk();
      joins.join(new BlockKernels.Operands(precision, t.nngp().slice(off, len),
          ntk ? t.ntk().slice(off, len) : null, s.nngp().slice(off, len),
          ntk ? s.ntk().slice(off, len) : null, m * rowsPerSlot, n, false), join);
    }
    rt.synchronize("the CNTK fan-in join");
  }

  /**
   * {@inheritDoc} On the device: {@code nke_block_normalize} ({@link BlockKernels#normalize}) with
   * float64 scales, one launch per slot for full blocks; diagonal blocks are one launch of
   * {@code count·P} rows and one column, the row scale being the product {@code sx·sy} (formed on
   * the host in float64, as the CPU forms it) and the column scale 1.
   */
  @Override
  public void normalize(PixelBlocks blocks, int count, Grid grid, boolean diagonal,
      double[] rowScales, int[] rowImages, double[] colScales, int[] colImages) {
    CudaPixelBlocks b = cast(blocks);
    int n = grid.pixels();
    try (DeviceArena scratch = new DeviceArena(rt)) {
      if (diagonal) {
        double[] prod = new double[count * n];
        for (int k = 0; k < count; k++) {
          for (int p = 0; p < n; p++) {
            prod[k * n + p] = rowScales[rowImages[k] * n + p] * colScales[colImages[k] * n + p];
          }
        }
        DeviceBuffer sx = scratch.upload(prod, Precision.F64, "pixel scale products");
        DeviceBuffer one = scratch.upload(new double[] {1}, Precision.F64, "a unit scale");
        long len = bytes((long) count * n);
        joins.normalize(precision, b.nngp().slice(0, len), b.hasNtk() ? b.ntk().slice(0, len) : null,
            sx, one, count * n, 1, false);
      } else {
        DeviceBuffer sx = scratch.upload(rowScales, Precision.F64, "row pixel scales");
        DeviceBuffer sy = colScales == rowScales ? sx
            : scratch.upload(colScales, Precision.F64, "column pixel scales");
        long entries = (long) n * n;
        for (int k = 0; k < count; k++) {
          long off = bytes(k * entries);
          long len = bytes(entries);
          joins.normalize(precision, b.nngp().slice(off, len),
              b.hasNtk() ? b.ntk().slice(off, len) : null, sx.slice(8L * rowImages[k] * n, 8L * n),
              sy.slice(8L * colImages[k] * n, 8L * n), n, n, false);
        }
      }
      rt.synchronize("the CNTK normalisation");
    }
  }
}
