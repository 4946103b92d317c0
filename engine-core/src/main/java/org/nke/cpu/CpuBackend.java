package org.nke.cpu;

import java.util.Optional;
import java.util.concurrent.ForkJoinPool;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import org.nke.dual.ArcCosineAngle;
import org.nke.dual.BoundDual;
import org.nke.dual.DualActivation;
import org.nke.ir.ImageBatch;
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
 * The multithreaded CPU backend, the reference implementation. Work is split into chunks of rows of
 * the output block and run on a {@link ForkJoinPool} this backend owns (closed with it). Every entry
 * is computed independently of the partition, so results are bit-identical for any thread count.
 * Arithmetic is double precision throughout; with {@link Precision#F32} the block is stored in single
 * precision between layers (half the memory), as a float32 pipeline would.
 */
public final class CpuBackend implements Backend {
  /** Rows per work chunk. */
  private static final int CHUNK_ROWS = 8;

  private final ForkJoinPool pool;
  private final BackendOptions options;
  private final CpuConvOps convOps;

  /** @param options thread count and single-thread threshold */
  public CpuBackend(BackendOptions options) {
    this.options = options;
    this.pool = new ForkJoinPool(options.threads());
    this.convOps = new CpuConvOps(pool, options.threads());
  }

  @Override
  public String name() {
    return CpuBackendProvider.NAME;
  }

  @Override
  public String device() {
    return options.threads() + " CPU thread" + (options.threads() == 1 ? "" : "s");
  }

  @Override
  public Precision defaultPrecision() {
    return Precision.F64;
  }

  private static CpuKernelBlock cast(KernelBlock block) {
    if (!(block instanceof CpuKernelBlock b)) {
      throw new IllegalArgumentException("block was not allocated by the CPU backend: " + block);
    }
    b.ensureOpen();
    return b;
  }

  /** Runs {@code body} on every chunk start row, in parallel when the block is large enough. */
  private void forChunks(CpuKernelBlock b, IntConsumer body, Progress progress) {
    int chunks = (b.rows + CHUNK_ROWS - 1) / CHUNK_ROWS;
    IntConsumer task = c -> {
      body.accept(c * CHUNK_ROWS);
      progress.advance(Math.min(CHUNK_ROWS, b.rows - c * CHUNK_ROWS));
    };
    if ((long) b.rows * b.cols < options.parallelThreshold() || options.threads() == 1) {
      for (int c = 0; c < chunks; c++) {
        task.accept(c);
      }
    } else {
      pool.submit(() -> IntStream.range(0, chunks).parallel().forEach(task)).join();
    }
  }

  @Override
  public boolean carriesAngles() {
    return true;
  }

  @Override
  public KernelBlock inputKernel(double[][] x, double[][] y, boolean withNtk, Precision precision,
      Progress progress) {
    return inputKernel(x, y, withNtk, false, precision, progress);
  }

  /**
   * {@inheritDoc}
   *
   * <p>The angles cost one more pass over the pairs ({@code O(n m d)}, {@link ArcCosineAngle#between}
   * on unit vectors computed once per point) and a third {@code n × m} array.
   */
  @Override
  public KernelBlock inputKernel(double[][] x, double[][] y, boolean withNtk, boolean withAngles,
      Precision precision, Progress progress) {
    boolean symmetric = y == null || y == x;
    double[][] yy = symmetric ? x : y;
    CpuKernelBlock b = new CpuKernelBlock(x.length, yy.length, symmetric, withNtk, precision);
    double[][] unitX = null;
    double[][] unitY = null;
    if (withAngles && precision == Precision.F64) {
      b.angle64 = new double[b.rows][b.cols];
      unitX = units(x);
      unitY = symmetric ? unitX : units(yy);
    }
    double[][] ux = unitX;
    double[][] uy = unitY;
    forChunks(b, i0 -> {
      int i1 = Math.min(i0 + CHUNK_ROWS, b.rows);
      if (precision == Precision.F64) {
        CpuGram.rows(x, yy, i0, i1, symmetric, b.nngp64);
        if (b.angle64 != null) {
          for (int i = i0; i < i1; i++) {
            for (int j = b.firstCol(i); j < b.cols; j++) {
              b.angle64[i][j] = ArcCosineAngle.between(ux[i], uy[j]);
            }
          }
        }
      } else {
        double[][] scratch = new double[b.rows][];
        for (int i = i0; i < i1; i++) {
          scratch[i] = new double[b.cols];
        }
        CpuGram.rows(x, yy, i0, i1, symmetric, scratch);
        for (int i = i0; i < i1; i++) {
          for (int j = 0; j < b.cols; j++) {
            b.nngp32[i][j] = (float) scratch[i][j];
          }
        }
      }
    }, progress);
    return b;
  }

  private static double[][] units(double[][] x) {
    double[][] u = new double[x.length][];
    for (int i = 0; i < x.length; i++) {
      u[i] = ArcCosineAngle.unit(x[i]);
    }
    return u;
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if the block carries angles and {@code β² ≠ 0} (a bias changes
   *     the angle, which this update cannot follow without the variances)
   */
  @Override
  public void affine(KernelBlock block, double w2, double b2, double ntkFromNngp, double ntkFromNtk,
      double ntkConstant, Progress progress) {
    CpuKernelBlock b = cast(block);
    boolean ntk = b.hasNtk();
    if (b.hasAngles() && b2 != 0) {
      throw new IllegalArgumentException("a block carrying pair angles takes only bias-free affine "
          + "layers, got b_std^2 = " + b2);
    }
    forChunks(b, i0 -> {
      for (int i = i0; i < Math.min(i0 + CHUNK_ROWS, b.rows); i++) {
        int j0 = b.firstCol(i);
        if (b.precision == Precision.F64) {
          double[] k = b.nngp64[i];
          double[] t = ntk ? b.ntk64[i] : null;
          for (int j = j0; j < b.cols; j++) {
            if (ntk) {
              t[j] = ntkFromNngp * k[j] + ntkFromNtk * t[j] + ntkConstant;
            }
            k[j] = w2 * k[j] + b2;
          }
        } else {
          float[] k = b.nngp32[i];
          float[] t = ntk ? b.ntk32[i] : null;
          for (int j = j0; j < b.cols; j++) {
            if (ntk) {
              t[j] = (float) (ntkFromNngp * k[j] + ntkFromNtk * t[j] + ntkConstant);
            }
            k[j] = (float) (w2 * k[j] + b2);
          }
        }
      }
    }, progress);
  }

  @Override
  public double activation(KernelBlock block, DualActivation dual, double[] varX, double[] varY,
      Progress progress) {
    CpuKernelBlock b = cast(block);
    boolean ntk = b.hasNtk();
    if (b.hasAngles() && !dual.carriesAngles()) {
      throw new IllegalArgumentException("a block carrying pair angles takes only duals in angle "
          + "form (the ReLU family), got " + dual.describe());
    }
    BoundDual bound = dual.bind(varX, b.symmetric ? varX : varY, ntk);
    forChunks(b, i0 -> {
      double[] k = b.precision == Precision.F32 ? new double[b.cols] : null;
      double[] t = b.precision == Precision.F32 && ntk ? new double[b.cols] : null;
      for (int i = i0; i < Math.min(i0 + CHUNK_ROWS, b.rows); i++) {
        int j0 = b.firstCol(i);
        int len = b.cols - j0;
        if (b.angle64 != null) {
          bound.applyRow(i, j0, len, b.nngp64[i], ntk ? b.ntk64[i] : null, b.angle64[i], j0);
        } else if (b.precision == Precision.F64) {
          bound.applyRow(i, j0, len, b.nngp64[i], ntk ? b.ntk64[i] : null, j0);
        } else {
          float[] kf = b.nngp32[i];
          float[] tf = ntk ? b.ntk32[i] : null;
          for (int j = j0; j < b.cols; j++) {
            k[j] = kf[j];
            if (ntk) {
              t[j] = tf[j];
            }
          }
          bound.applyRow(i, j0, len, k, t, j0);
          for (int j = j0; j < b.cols; j++) {
            kf[j] = (float) k[j];
            if (ntk) {
              tf[j] = (float) t[j];
            }
          }
        }
      }
    }, progress);
    return bound.errorBound();
  }

  @Override
  public KernelBlock copy(KernelBlock block) {
    return CpuBlockOps.copy(cast(block));
  }

  @Override
  public void accumulate(KernelBlock target, KernelBlock source, Join join) {
    CpuKernelBlock t = cast(target);
    CpuKernelBlock s = cast(source);
    CpuBlockOps.requireJoinable(t, s);
    forChunks(t, i0 -> CpuBlockOps.accumulateRows(t, s, join, i0, Math.min(i0 + CHUNK_ROWS, t.rows)),
        Progress.NONE);
  }

  @Override
  public void normalize(KernelBlock block, Normalization scales) {
    CpuKernelBlock b = cast(block);
    forChunks(b, i0 -> CpuBlockOps.normalizeRows(b, scales, i0, Math.min(i0 + CHUNK_ROWS, b.rows)),
        Progress.NONE);
  }

  @Override
  public long firstNonFinite(KernelBlock block, boolean ntk) {
    CpuKernelBlock b = cast(block);
    for (int i = 0; i < b.rows; i++) {
      for (int j = b.firstCol(i); j < b.cols; j++) {
        double v;
        if (b.precision == Precision.F64) {
          v = ntk ? b.ntk64[i][j] : b.nngp64[i][j];
        } else {
          v = ntk ? b.ntk32[i][j] : b.nngp32[i][j];
        }
        if (!Double.isFinite(v)) {
          return (long) i * b.cols + j;
        }
      }
    }
    return -1;
  }

  /**
   * {@inheritDoc}
   *
   * <p>The CPU backend hands its storage over without copying: do not use that matrix of the block
   * afterwards.
   */
  @Override
  public KernelMatrix read(KernelBlock block, boolean ntk) {
    CpuKernelBlock b = cast(block);
    if (b.precision == Precision.F64) {
      double[][] m = ntk ? b.ntk64 : b.nngp64;
      if (b.symmetric) {
        for (int i = 0; i < b.rows; i++) {
          for (int j = 0; j < i; j++) {
            m[i][j] = m[j][i];
          }
        }
      }
      return KernelMatrix.ofF64(m);
    }
    float[][] m = ntk ? b.ntk32 : b.nngp32;
    if (b.symmetric) {
      for (int i = 0; i < b.rows; i++) {
        for (int j = 0; j < i; j++) {
          m[i][j] = m[j][i];
        }
      }
    }
    return KernelMatrix.ofF32(m);
  }

  @Override
  public double[][] features(SketchPlan plan, double[][] points, Progress progress) {
    double[][] out = new double[points.length][];
    IntConsumer one = i -> {
      out[i] = plan.features(points[i]);
      progress.advance(1);
    };
    if (options.threads() == 1 || points.length < 2) {
      for (int i = 0; i < points.length; i++) {
        one.accept(i);
      }
    } else {
      pool.submit(() -> IntStream.range(0, points.length).parallel().forEach(one)).join();
    }
    return out;
  }

  @Override
  public double[][] features(CntkSketch plan, ImageBatch images, Progress progress) {
    double[][] out = new double[images.count()][];
    int size = images.imageSize();
    IntConsumer one = i -> {
      double[] image = new double[size];
      images.copyImage(i, image);
      out[i] = plan.features(image);
      progress.advance(1);
    };
    if (options.threads() == 1 || images.count() < 2) {
      for (int i = 0; i < images.count(); i++) {
        one.accept(i);
      }
    } else {
      pool.submit(() -> IntStream.range(0, images.count()).parallel().forEach(one)).join();
    }
    return out;
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }

  @Override
  public Optional<ConvOps> convOps() {
    return Optional.of(convOps);
  }
}
