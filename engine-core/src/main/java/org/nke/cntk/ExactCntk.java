package org.nke.cntk;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import org.nke.arch.Architecture;
import org.nke.dual.BoundDual;
import org.nke.error.InvalidInputException;
import org.nke.error.NumericalException;
import org.nke.error.ResourceLimitException;
import org.nke.exact.DenseNetwork;
import org.nke.exact.ExactKernel.Kind;
import org.nke.exact.KernelPair;
import org.nke.exact.WorkEstimate;
import org.nke.ir.Grid;
import org.nke.ir.ImageBatch;
import org.nke.spi.Backend;
import org.nke.spi.BackendOptions;
import org.nke.spi.Backends;
import org.nke.spi.ConvOps;
import org.nke.spi.KernelMatrix;
import org.nke.spi.PixelBlocks;
import org.nke.spi.Precision;
import org.nke.spi.Progress;
import org.nke.util.Checks;

/**
 * Exact convolutional NNGP and NTK (CNTK; Arora et al. 2019, Novak et al. 2019) between two image
 * sets, following stax's kernel recursion layer by layer on pixel-pair blocks
 * {@code K(p, q)} of {@code (H·W) × (H·W)} entries per image pair (see {@link CntkNetwork},
 * {@link PixelGram}, {@link ConvBlocks}, {@link PoolBlocks}, {@link PixelDual},
 * {@link SpatialReadout}), then the dense layers after the readout.
 *
 * <p>Two phases. (1) The diagonal recursion: every image is run with itself once, its full self
 * block giving the per-pixel variances {@code K_xx(p, p)} before every activation (pools need the
 * full self-covariance, so these cannot be had from the diagonal alone); for {@code Y = X} it also
 * gives the output's diagonal. (2) Every other pair, tile by tile ({@value #TILE} × {@value #TILE}
 * images), in batches of the backend's preferred size, with those variances. The working set is one
 * batch of blocks, times {@code 1 + 2·depth} for a network with fan-outs nested {@code depth} deep
 * (each level's input, accumulator and current branch; {@link PairPipeline}); the output and that
 * working set are checked to fit before anything starts, and the time per pair of
 * phase 1 (same work) is extrapolated to the whole computation and reported after two seconds of it,
 * or before phase 2 if that comes first. Arithmetic is float64; {@link Precision#F32} only rounds
 * the stored output.
 */
public final class ExactCntk {
  /**
   * Images per side of a tile of the pairwise phase: the duals are bound once per tile and
   * activation to the pixel variances of its {@code 2·TILE} images (per-point tables of numerical
   * duals cost about 0.1 ms per pixel, so binding per pair would dominate a Tanh CNTK).
   */
  static final int TILE = 16;

  private ExactCntk() {
  }

  /**
   * @param n row images
   * @param m column images
   * @param same whether {@code Y = X}
   * @return progress units of a computation: one per image of the diagonal recursion plus one per pair
   */
  public static long progressUnits(long n, long m, boolean same) {
    return same ? n + n * (n - 1) / 2 : n + m + n * m;
  }

  /**
   * @param arch the architecture (must contain a Flatten or GlobalAvgPool)
   * @param x row images, not modified
   * @param y column images with the shape of X, or {@code null} for {@code Y = X}
   * @param kind which kernels
   * @param backend the backend (its {@link Backend#convOps()}; the CPU backend when it has none)
   * @param precision storage precision of the result
   * @param progress receives {@link #progressUnits} units in total
   * @param estimate receives one estimate of the remaining time, early in the computation
   * @return the kernels; {@link KernelPair#backend()} names a fallback if there was one
   */
  public static KernelPair compute(Architecture arch, ImageBatch x, ImageBatch y, Kind kind,
      Backend backend, Precision precision, Progress progress, Consumer<CostEstimate> estimate) {
    boolean same = y == null || y == x;
    ImageBatch yy = same ? x : y;
    if (yy.height() != x.height() || yy.width() != x.width() || yy.channels() != x.channels()) {
      throw new InvalidInputException("Y images must have the shape of X images (H, W, C) = ("
          + x.height() + ", " + x.width() + ", " + x.channels() + "), got " + yy.shapeString());
    }
    CntkNetwork net = CntkNetwork.compile(arch, new Grid(x.height(), x.width()), x.channels());
    Optional<ConvOps> own = backend.convOps();
    if (own.isPresent()) {
      return run(net, x, yy, same, kind, own.get(), backend.name(), precision, progress, estimate);
    }
    try (Backends.Selection cpu = Backends.open("cpu", BackendOptions.defaults())) {
      return run(net, x, yy, same, kind, cpu.backend().convOps().orElseThrow(), "cpu (fallback: "
          + backend.name() + " has no CNTK primitives)", precision, progress, estimate);
    }
  }

  /**
   * The up-front estimate of {@link #compute} on this backend, before anything runs: the network's
   * cost rules over all image pairs, and its peak memory with as many pair slots as the backend
   * prefers per batch ({@link ConvOps#preferredBatch}; a run short of heap uses fewer).
   *
   * @param arch the architecture
   * @param x row images (only their shape and count are read)
   * @param y column images, or {@code null} for {@code Y = X}
   * @param kind which kernels
   * @param backend the backend (its {@link ConvOps}, or the CPU's it falls back to)
   * @param precision storage precision of the result
   * @return the estimate
   */
  public static WorkEstimate estimate(Architecture arch, ImageBatch x, ImageBatch y, Kind kind,
      Backend backend, Precision precision) {
    boolean same = y == null || y == x;
    CntkNetwork net = CntkNetwork.compile(arch, new Grid(x.height(), x.width()), x.channels());
    int n = x.count();
    int m = same ? n : y.count();
    // the CPU fallback batches as many pairs as it has threads
    int batch = backend.convOps().map(ConvOps::preferredBatch)
        .orElse(BackendOptions.defaults().threads());
    WorkEstimate host = net.estimate(n, m, same, kind != Kind.NNGP, precision,
        slots(n, m, same, batch));
    return backend.convOps().map(ops -> onBackend(host, net, ops, kind != Kind.NNGP,
        x.imageSize(), slots(n, m, same, batch))).orElse(host);
  }

  /**
   * The estimate with the working set as the backend allocates it ({@link ConvOps#slotBytes}: a
   * device keeps its blocks in its own precision, with staging), {@code 1 + 2·depth} sets per slot.
   */
  private static WorkEstimate onBackend(WorkEstimate host, CntkNetwork net, ConvOps ops,
      boolean withNtk, int imageValues, int slots) {
    long slot = ops.slotBytes(net.maxBlockEntries(), withNtk, imageValues)
        * (1 + 2L * net.forkDepth());
    return new WorkEstimate(host.flopsPerPair(), host.pairs(), host.outputBytes(), slots * slot);
  }

  /** Pair slots of a batch: the backend's preferred batch, at most the pairs (at least n). */
  private static int slots(int n, int m, boolean same, int preferred) {
    long pairs = same ? (long) n * (n - 1) / 2 : (long) n * m;
    return (int) Math.max(1, Math.min(preferred, Math.max(pairs, n)));
  }

  private static KernelPair run(CntkNetwork net, ImageBatch x, ImageBatch y, boolean same, Kind kind,
      ConvOps ops, String backendName, Precision precision, Progress progress,
      Consumer<CostEstimate> estimate) {
    int n = x.count();
    int m = y.count();
    boolean withNtk = kind != Kind.NNGP;
    long outBytes = net.outputBytes(n, m, same, withNtk, precision);
    Checks.fitsInHeap(String.format(Locale.ROOT, "the %s CNTK %d x %d (%s) with the per-pixel variances",
        kind.name().toLowerCase(Locale.ROOT), n, m, precision.dtype()), outBytes,
        "use --dtype float32, fewer images, or a larger heap (NKE_JAVA_OPTS=-Xmx...)");
    if (net.maxBlockEntries() > Integer.MAX_VALUE - 8) {
      throw new ResourceLimitException(String.format(Locale.ROOT, "a pixel-pair block of %dx%d images "
          + "(%d entries)", x.height(), x.width(), net.maxBlockEntries()), net.maxBlockEntries() * 8,
          (Integer.MAX_VALUE - 8) * 8L, "one Java array holds at most 2^31 entries: use smaller images "
          + "(e.g. pool or crop them first), or a network that reaches Flatten without pooling (it only "
          + "needs the diagonal pixel pairs)");
    }
    // per slot: K, Θ and scratch, in 1 + 2·depth sets for a branching network (PairPipeline), in
    // the memory the backend keeps its blocks in (the heap, or a device's memory)
    int capacity = ops.capacity(slots(n, m, same, ops.preferredBatch()), net.maxBlockEntries(),
        withNtk, x.imageSize(), 1 + 2 * net.forkDepth(), ops.blocksOnHeap() ? outBytes : 0,
        String.format(Locale.ROOT,
        "the exact CNTK of %dx%d images on %s", x.height(), x.width(), backendName));
    WorkEstimate work = onBackend(net.estimate(n, m, same, withNtk, precision, capacity), net, ops,
        withNtk, x.imageSize(), capacity);
    Checks.fitsInHeap(ops.blocksOnHeap() ? String.format(Locale.ROOT, "the output and %d pixel-pair "
        + "working block(s) of %d entries (%s)", capacity, net.maxBlockEntries(), work.describe())
        : String.format(Locale.ROOT, "the output (%s; the pixel-pair blocks are on the device)",
            work.describe()),
        ops.blocksOnHeap() ? work.peakBytes() : outBytes,
        "use fewer or smaller images, or a larger heap (NKE_JAVA_OPTS=-Xmx...)");
    Output out = new Output(n, m, precision, withNtk);
    try (PixelBlocks blocks = ops.allocate(capacity, net.maxBlockEntries(), withNtk);
        PairPipeline pipe = new PairPipeline(net, ops, blocks)) {
      Forecast forecast = new Forecast(progress, estimate, progressUnits(n, m, same));
      Diagonals dx = Diagonals.of(net, pipe, x, capacity, forecast);
      Diagonals dy = same ? dx : Diagonals.of(net, pipe, y, capacity, forecast);
      forecast.flush();
      if (same) {
        for (int i = 0; i < n; i++) {
          out.set(i, i, dx.output[i]);
        }
      }
      BoundDual[] tail = bindTail(net, dx, dy, withNtk);
      double bound = Math.max(dx.errorBound, dy.errorBound);
      int[] rows = new int[capacity];
      int[] cols = new int[capacity];
      double[] kt = new double[2];
      for (int i0 = 0; i0 < n; i0 += TILE) {
        int i1 = Math.min(n, i0 + TILE);
        for (int j0 = same ? i0 : 0; j0 < m; j0 += TILE) {
          int j1 = Math.min(m, j0 + TILE);
          PairPipeline.Tile tile = new PairPipeline.Tile(dx.pre, i0, i1, dy.pre, j0, j1, same);
          int count = 0;
          for (int i = i0; i < i1; i++) {
            for (int j = same && j0 == i0 ? i + 1 : j0; j < j1; j++) {
              rows[count] = i;
              cols[count] = j;
              if (++count == capacity) {
                bound = Math.max(bound, batch(net, pipe, count, x, rows, y, cols, tile, tail, same, out,
                    kt));
                forecast.advance(count);
                count = 0;
              }
            }
          }
          if (count > 0) {
            bound = Math.max(bound, batch(net, pipe, count, x, rows, y, cols, tile, tail, same, out, kt));
            forecast.advance(count);
          }
        }
      }
      return out.result(kind, bound, backendName);
    }
  }

  /** Runs one batch of a tile and stores its outputs; returns the error bound of its activations. */
  private static double batch(CntkNetwork net, PairPipeline pipe, int count, ImageBatch x, int[] rows,
      ImageBatch y, int[] cols, PairPipeline.Tile tile, BoundDual[] tail, boolean same, Output out,
      double[] kt) {
    double bound = pipe.runPairs(count, x, rows, y, cols, tile);
    for (int k = 0; k < count; k++) {
      kt[0] = pipe.nngp()[k];
      kt[1] = pipe.ntk() == null ? Double.NaN : pipe.ntk()[k];
      PairPipeline.pairTail(net.tail(), tail, rows[k], cols[k], kt);
      out.set(rows[k], cols[k], kt);
      if (same) {
        out.set(cols[k], rows[k], kt);
      }
    }
    return bound;
  }

  private static BoundDual[] bindTail(CntkNetwork net, Diagonals dx, Diagonals dy, boolean withNtk) {
    int a = 0;
    BoundDual[] bound = new BoundDual[dx.tailPre.length];
    for (DenseNetwork.Step s : net.tail()) {
      if (s instanceof DenseNetwork.Activation nl) {
        bound[a] = nl.dual().bind(dx.tailPre[a], dy.tailPre[a], withNtk);
        a++;
      }
    }
    return bound;
  }

  /** Phase 1 for one image set: per-pixel and tail variances, and each image's output self-kernel. */
  private static final class Diagonals {
    final double[][][] pre;
    final double[][] tailPre;
    final double[][] output;
    double errorBound;

    private Diagonals(int activations, int tailActivations, int n) {
      pre = new double[activations][n][];
      tailPre = new double[tailActivations][n];
      output = new double[n][];
    }

    static Diagonals of(CntkNetwork net, PairPipeline pipe, ImageBatch x, int capacity,
        Progress progress) {
      int tailActs = (int) net.tail().stream().filter(s -> s instanceof DenseNetwork.Activation).count();
      Diagonals d = new Diagonals(net.activations(), tailActs, x.count());
      int[] idx = new int[capacity];
      double[] pre = new double[tailActs];
      for (int i0 = 0; i0 < x.count(); i0 += capacity) {
        int count = Math.min(capacity, x.count() - i0);
        for (int k = 0; k < count; k++) {
          idx[k] = i0 + k;
        }
        d.errorBound = Math.max(d.errorBound, pipe.runSelf(count, x, idx, d.pre));
        for (int k = 0; k < count; k++) {
          double t = pipe.ntk() == null ? Double.NaN : pipe.ntk()[k];
          d.output[i0 + k] = PairPipeline.selfTail(net.tail(), pipe.nngp()[k], t, pre);
          for (int a = 0; a < tailActs; a++) {
            d.tailPre[a][i0 + k] = pre[a];
          }
        }
        progress.advance(count);
      }
      return d;
    }
  }

  /** The result matrices in the storage precision, checked for non-finite entries as they are set. */
  private static final class Output {
    private final double[][] nngp64;
    private final double[][] ntk64;
    private final float[][] nngp32;
    private final float[][] ntk32;

    Output(int n, int m, Precision p, boolean withNtk) {
      boolean f64 = p == Precision.F64;
      nngp64 = f64 ? new double[n][m] : null;
      ntk64 = f64 && withNtk ? new double[n][m] : null;
      nngp32 = f64 ? null : new float[n][m];
      ntk32 = !f64 && withNtk ? new float[n][m] : null;
    }

    void set(int i, int j, double[] kt) {
      for (int w = 0; w < 2; w++) {
        if (w == 1 && ntk64 == null && ntk32 == null) {
          break;
        }
        if (!Double.isFinite(kt[w])) {
          throw new NumericalException((w == 0 ? "NNGP" : "NTK") + " entries must be finite, got "
              + kt[w] + " at entry (" + (i + 1) + ", " + (j + 1) + "); the variances may have "
              + "overflowed or left the activation's domain");
        }
        if (nngp64 != null) {
          (w == 0 ? nngp64 : ntk64)[i][j] = kt[w];
        } else {
          (w == 0 ? nngp32 : ntk32)[i][j] = (float) kt[w];
        }
      }
    }

    KernelPair result(Kind kind, double bound, String backend) {
      boolean f64 = nngp64 != null;
      KernelMatrix k = kind == Kind.NTK ? null : f64 ? KernelMatrix.ofF64(nngp64)
          : KernelMatrix.ofF32(nngp32);
      KernelMatrix t = kind == Kind.NNGP ? null : f64 ? KernelMatrix.ofF64(ntk64)
          : KernelMatrix.ofF32(ntk32);
      return new KernelPair(k, t, bound, backend);
    }
  }
}
