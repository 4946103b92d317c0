package org.nke.cuda;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import org.nke.dual.BoundDual;
import org.nke.dual.DualActivation;
import org.nke.ir.ImageBatch;
import org.nke.ir.InputKernel;
import org.nke.ir.Join;
import org.nke.ir.Normalization;
import org.nke.sketch.CntkSketch;
import org.nke.sketch.SketchPlan;
import org.nke.spi.Backend;
import org.nke.spi.BackendOptions;
import org.nke.spi.ConvOps;
import org.nke.spi.KernelBlock;
import org.nke.spi.KernelMatrix;
import org.nke.spi.Precision;
import org.nke.spi.Progress;

/**
 * The CUDA backend: the same primitives and semantics as {@code org.nke.cpu.CpuBackend}, on one
 * device. The input Gram block comes from cuBLAS ({@code dgemm}/{@code sgemm}); the affine update,
 * every closed-form dual, the series duals (Hermite series and polynomials, Horner over per-point
 * tables) and the non-finite scan are hand-written PTX ({@link DualKernels}), as are the fan-in joins
 * and LayerNorm ({@link BlockKernels}; block copies are {@code cuMemcpyDtoD}); a dual without a device
 * kernel runs on the CPU ({@link CpuFallback}), recorded in {@link #fallbacks()} and logged. The
 * exact CNTK's primitives are {@link CudaConvOps} ({@link #convOps()}), the sketch features
 * {@link CudaSketchOps} and the CNTK sketch features {@link CudaCntkSketchOps} ({@link #features}).
 *
 * <p>Symmetric blocks keep the upper triangle current, as on the CPU, and their diagonal is written
 * with the value the CPU would hold (computed on the host from the same binding), so that
 * {@code ρ = 1} holds exactly on the diagonal after every step, as the diagonal recursion assumes.
 * Every operation synchronises before it returns. The default precision is float32.
 */
public final class CudaBackend implements Backend {
  private static final Logger LOG = Logger.getLogger(CudaBackend.class.getName());
  private final DeviceRuntime rt;
  private final DualKernels kernels;
  private final BlockKernels blocks;
  private final CudaDualOps duals;
  private final CudaSketchOps sketches;
  private final CudaCntkSketchOps cntkSketches;
  private final List<String> fallbacks = Collections.synchronizedList(new ArrayList<>());

  /** @param runtime the device (owned: closed with the backend) */
  CudaBackend(DeviceRuntime runtime) {
    this.rt = runtime;
    this.kernels = new DualKernels(runtime);
    this.blocks = new BlockKernels(runtime);
    this.duals = new CudaDualOps(kernels);
    this.sketches = new CudaSketchOps(runtime, this::fallback);
    this.cntkSketches = new CudaCntkSketchOps(runtime, convOps(Precision.F64), this::fallback);
  }

  /**
   * Opens device 0 (the provider's probe must have succeeded: it binds cuBLAS first).
   *
   * @param options settings (threads are the CPU fallback's concern and unused here)
   * @return the backend
   */
  static CudaBackend open(BackendOptions options) {
    return new CudaBackend(DriverRuntime.open());
  }

  @Override
  public String name() {
    return CudaBackendProvider.NAME;
  }

  @Override
  public String device() {
    return rt.deviceName();
  }

  @Override
  public Precision defaultPrecision() {
    return Precision.F32;
  }

  /** @return one line per operation that ran on the CPU for want of a device kernel */
  @Override
  public List<String> fallbacks() {
    return List.copyOf(fallbacks);
  }

  private void fallback(String line) {
    fallbacks.add(line);
    LOG.warning("cuda backend: " + line);
  }

  /**
   * Sketch features on the device in float64 (the CPU's arithmetic: results agree to the FFT's
   * rounding), see {@link CudaSketchOps}; {@code null} (the caller then uses the CPU, explicitly)
   * where cuFFT cannot be used or the plan has fan-ins or LayerNorm (no device path yet), recorded
   * in {@link #fallbacks()}.
   */
  @Override
  public double[][] features(SketchPlan plan, double[][] points, Progress progress) {
    return features(plan, points, Precision.F64, progress);
  }

  /**
   * @param plan the compiled sketch
   * @param points the points, not modified
   * @param precision float64, or float32 (half the memory and traffic; agrees with the CPU to about
   *     1e-5)
   * @param progress progress sink (units: points)
   * @return one feature row per point, or {@code null} where cuFFT cannot be used (recorded)
   */
  @Override
  public double[][] features(SketchPlan plan, double[][] points, Precision precision,
      Progress progress) {
    String noFft = rt.fftUnavailable();
    if (noFft != null) {
      fallback("sketch features: cuFFT unusable (" + noFft + "), ran on the CPU");
      return null;
    }
    String noDevice = CudaSketchOps.unsupported(plan);
    if (noDevice != null) {
      fallback("sketch features: " + noDevice + " has no device path yet, ran on the CPU");
      return null;
    }
    return sketches.features(plan, points, precision, progress);
  }

  /**
   * CNTK sketch features on the device in float64 (the CPU's arithmetic), see
   * {@link CudaCntkSketchOps}; {@code null} (the caller then uses the CPU, explicitly) where cuFFT
   * cannot be used or a step of the plan has no device implementation, recorded in
   * {@link #fallbacks()}.
   */
  @Override
  public double[][] features(CntkSketch plan, ImageBatch images, Progress progress) {
    return features(plan, images, Precision.F64, progress);
  }

  /**
   * @param plan the compiled CNTK sketch
   * @param images images of the plan's shape, not modified
   * @param precision float64, or float32 features (the pixel variances and coefficient tables stay
   *     float64; agrees with the CPU to about 1e-5)
   * @param progress progress sink (units: images)
   * @return one feature row per image, or {@code null} where the plan cannot run here (recorded)
   */
  @Override
  public double[][] features(CntkSketch plan, ImageBatch images, Precision precision,
      Progress progress) {
    return features(plan, images, precision, progress, CudaCntkSketchOps.MAX_BATCH);
  }

  /** As above, with at most {@code maxBatch} images per batch (tests: independence of the batch). */
  double[][] features(CntkSketch plan, ImageBatch images, Precision precision, Progress progress,
      int maxBatch) {
    String noFft = rt.fftUnavailable();
    if (noFft != null) {
      fallback("CNTK sketch features: cuFFT unusable (" + noFft + "), ran on the CPU");
      return null;
    }
    String why = CntkSketchDevicePlan.unsupported(plan);
    if (why != null) {
      fallback("CNTK sketch features: " + why + "; the whole plan ran on the CPU");
      return null;
    }
    return cntkSketches.features(plan, images, precision, progress, maxBatch);
  }

  /** Its blocks are device buffers; only results are read back to the heap. */
  @Override
  public boolean blocksOnHeap() {
    return false;
  }

  /**
   * The CNTK primitives in float64, the CPU's arithmetic ({@code ExactCntk} computes in float64 and
   * only rounds the stored result), so that the exact CNTK agrees with the CPU backend to rounding.
   */
  @Override
  public Optional<ConvOps> convOps() {
    return Optional.of(convOps(Precision.F64));
  }

  /**
   * @param precision element type of the pixel-pair blocks: float32 halves memory and traffic (the
   *     results then agree with the CPU's float64 to about 1e-5)
   * @return the CNTK primitives on this device
   */
  public ConvOps convOps(Precision precision) {
    return new CudaConvOps(rt, precision, duals, this::fallback);
  }

  private CudaKernelBlock cast(KernelBlock block) {
    if (!(block instanceof CudaKernelBlock b)) {
      throw new IllegalArgumentException("block was not allocated by the CUDA backend: " + block);
    }
    b.ensureOpen();
    rt.makeCurrent();
    return b;
  }

  private static double[] flatten(double[][] x) {
    int d = x[0].length;
    double[] out = new double[x.length * d];
    for (int i = 0; i < x.length; i++) {
      System.arraycopy(x[i], 0, out, i * d, d);
    }
    return out;
  }

  @Override
  public KernelBlock inputKernel(double[][] x, double[][] y, boolean withNtk, Precision precision,
      Progress progress) {
    rt.makeCurrent();
    boolean symmetric = y == null || y == x;
    double[][] yy = symmetric ? x : y;
    int d = x[0].length;
    CudaKernelBlock b = new CudaKernelBlock(rt, x.length, yy.length, symmetric, withNtk, precision);
    try (DeviceArena scratch = new DeviceArena(rt)) {
      DeviceBuffer dx = scratch.upload(flatten(x), precision, "the points X");
      DeviceBuffer dy = symmetric ? dx : scratch.upload(flatten(yy), precision, "the points Y");
      rt.gram(precision, dx, dy, b.nngp, b.rows, b.cols, d, 1.0 / d);
      if (symmetric) {
        // the diagonal exactly as InputKernel.variances (and the CPU's Gram) computes it
        DeviceBuffer diag = scratch.upload(InputKernel.variances(x), precision, "input variances");
        kernels.setDiagonal(precision, b.nngp, diag, b.rows, b.cols);
      }
      if (withNtk) {
        rt.zero(b.ntk);
      }
      rt.synchronize("the input kernel");
    } catch (RuntimeException e) {
      b.close();
      throw e;
    }
    progress.advance(b.rows);
    return b;
  }

  @Override
  public void affine(KernelBlock block, double w2, double b2, double ntkFromNngp, double ntkFromNtk,
      double ntkConstant, Progress progress) {
    CudaKernelBlock b = cast(block);
    kernels.affine(b.precision, b.nngp, b.ntk, b.rows, b.cols, b.symmetric, w2, b2, ntkFromNngp,
        ntkFromNtk, ntkConstant);
    rt.synchronize("the affine update");
    progress.advance(b.rows);
  }

  @Override
  public double activation(KernelBlock block, DualActivation dual, double[] varX, double[] varY,
      Progress progress) {
    CudaKernelBlock b = cast(block);
    double[] vy = b.symmetric ? varX : varY;
    BoundDual bound = dual.bind(varX, vy, b.hasNtk());
    if (!CudaDualOps.supported(dual, bound)) {
      fallback("activation " + dual.describe() + " (" + dual.getClass().getSimpleName() + "): no "
          + "device kernel, ran on the CPU (" + b.rows + " x " + b.cols + " entries)");
      CpuFallback.apply(rt, b, bound);
      progress.advance(b.rows);
      return bound.errorBound();
    }
    try (DeviceArena scratch = new DeviceArena(rt)) {
      // the diagonal entries as the CPU computes them (exact 1-D moments for series duals), NTK too
      double[] diag = b.symmetric ? readDiagonal(b, b.nngp) : null;
      double[] ntkDiag = b.symmetric && b.ntk != null ? readDiagonal(b, b.ntk) : null;
      DeviceBuffer dvx = scratch.upload(varX, b.precision, "row variances");
      DeviceBuffer dvy = b.symmetric ? dvx : scratch.upload(vy, b.precision, "column variances");
      duals.apply(new DualKernels.Pair(b.precision, b.nngp, b.ntk, dvx, dvy, b.rows, b.cols,
          b.symmetric), dual, bound, varX, vy, scratch);
      if (diag != null) {
        CpuFallback.diagonal(bound, diag, ntkDiag, b.precision);
        DeviceBuffer d = scratch.upload(diag, b.precision, "the diagonal");
        kernels.setDiagonal(b.precision, b.nngp, d, b.rows, b.cols);
        if (ntkDiag != null) {
          DeviceBuffer t = scratch.upload(ntkDiag, b.precision, "the NTK diagonal");
          kernels.setDiagonal(b.precision, b.ntk, t, b.rows, b.cols);
        }
      }
      rt.synchronize("the dual map " + dual.describe());
    }
    progress.advance(b.rows);
    return bound.errorBound();
  }

  private double[] readDiagonal(CudaKernelBlock b, DeviceBuffer m) {
    double[] out = new double[b.rows];
    rt.gather(m, b.precision, b.cols + 1L, out);
    return out;
  }

  @Override
  public KernelBlock copy(KernelBlock block) {
    CudaKernelBlock b = cast(block);
    CudaKernelBlock c = new CudaKernelBlock(rt, b.rows, b.cols, b.symmetric, b.hasNtk(), b.precision);
    rt.copy(c.nngp, b.nngp);
    if (b.ntk != null) {
      rt.copy(c.ntk, b.ntk);
    }
    rt.synchronize("the block copy");
    return c;
  }

  /** {@inheritDoc} On the device: {@code nke_block_linear} or {@code nke_block_product}. */
  @Override
  public void accumulate(KernelBlock target, KernelBlock source, Join join) {
    CudaKernelBlock t = cast(target);
    CudaKernelBlock s = cast(source);
    if (t.rows != s.rows || t.cols != s.cols || t.symmetric != s.symmetric
        || t.precision != s.precision || t.hasNtk() != s.hasNtk()) {
      throw new IllegalArgumentException("blocks to join must have the same shape, symmetry, "
          + "precision and kernels, got " + t.rows + " x " + t.cols + " and " + s.rows + " x " + s.cols);
    }
    blocks.join(new BlockKernels.Operands(t.precision, t.nngp, t.ntk, s.nngp, s.ntk, t.rows, t.cols,
        t.symmetric), join);
    rt.synchronize("the fan-in join");
  }

  /** {@inheritDoc} On the device: {@code nke_block_normalize} with float64 scales. */
  @Override
  public void normalize(KernelBlock block, Normalization scales) {
    CudaKernelBlock b = cast(block);
    try (DeviceArena scratch = new DeviceArena(rt)) {
      DeviceBuffer sx = scratch.upload(scales.scaleX(), Precision.F64, "row scales");
      DeviceBuffer sy = b.symmetric ? sx : scratch.upload(scales.scaleY(), Precision.F64,
          "column scales");
      blocks.normalize(b.precision, b.nngp, b.ntk, sx, sy, b.rows, b.cols, b.symmetric);
      rt.synchronize("the normalisation");
    }
  }

  @Override
  public long firstNonFinite(KernelBlock block, boolean ntk) {
    CudaKernelBlock b = cast(block);
    DeviceBuffer m = ntk ? b.ntk : b.nngp;
    if (m == null) {
      throw new IllegalArgumentException("the block carries no NTK");
    }
    try (DeviceArena scratch = new DeviceArena(rt)) {
      // one u64 preset to all ones: as float64 bits, -1L is a NaN pattern that copies unchanged
      DeviceBuffer first = scratch.upload(new double[] {Double.longBitsToDouble(-1L)}, Precision.F64,
          "non-finite scan result");
      kernels.firstNonFinite(b.precision, m, b.rows, b.cols, b.symmetric, first);
      rt.synchronize("the non-finite scan");
      double[] result = new double[1];
      rt.copyOut(first, Precision.F64, 0, result, 1);
      long index = Double.doubleToRawLongBits(result[0]);
      return index == -1L ? -1 : index;
    }
  }

  @Override
  public KernelMatrix read(KernelBlock block, boolean ntk) {
    CudaKernelBlock b = cast(block);
    DeviceBuffer m = ntk ? b.ntk : b.nngp;
    if (m == null) {
      throw new IllegalArgumentException("the block carries no NTK");
    }
    int chunk = HostRows.rowsPerChunk(b.cols);
    double[][] rows = new double[b.rows][b.cols];
    for (int i0 = 0; i0 < b.rows; i0 += chunk) {
      int n = Math.min(chunk, b.rows - i0);
      double[][] part = new double[n][];
      System.arraycopy(rows, i0, part, 0, n);
      HostRows.download(rt, m, b.precision, i0, part, b.cols);
    }
    if (b.symmetric) {
      for (int i = 0; i < b.rows; i++) {
        for (int j = 0; j < i; j++) {
          rows[i][j] = rows[j][i];
        }
      }
    }
    if (b.precision == Precision.F64) {
      return KernelMatrix.ofF64(rows);
    }
    float[][] f = new float[b.rows][b.cols];
    for (int i = 0; i < b.rows; i++) {
      for (int j = 0; j < b.cols; j++) {
        f[i][j] = (float) rows[i][j];
      }
    }
    return KernelMatrix.ofF32(f);
  }

  @Override
  public void close() {
    rt.close();
  }
}
