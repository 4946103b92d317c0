package org.nke;

import java.util.function.Consumer;
import org.nke.arch.Architecture;
import org.nke.cntk.CostEstimate;
import org.nke.cntk.ExactCntk;
import org.nke.exact.ExactKernel.Kind;
import org.nke.exact.ExactKernel;
import org.nke.exact.KernelPair;
import org.nke.exact.WorkEstimate;
import org.nke.ir.ImageBatch;
import org.nke.spi.Backend;
import org.nke.spi.BackendOptions;
import org.nke.spi.Backends;
import org.nke.spi.KernelMatrix;
import org.nke.spi.Precision;
import org.nke.spi.Progress;

/**
 * The library's front door for exact kernels:
 *
 * <pre>{@code
 * KernelMatrix theta = Kernels.of("Dense(W_std=1.5), Relu(), Dense()").ntk(x, y);
 * }</pre>
 *
 * Rows of {@code x} and {@code y} are points in {@code ℝ^d}; {@link ImageBatch}es give the exact
 * convolutional kernels (CNTK) of architectures with Conv and pooling layers:
 *
 * <pre>{@code
 * KernelMatrix k = Kernels.of("Myrtle5").nngp(images);
 * }</pre>
 *
 * The backend is chosen automatically
 * ({@code auto}: CUDA when a device and its libraries load, else the CPU) or by name. Instances are
 * immutable; the {@code with…} methods return modified copies. Each call opens and closes its
 * backend; to reuse one, pass it to {@link #compute(Backend, double[][], double[][], Kind)}.
 */
public final class Kernels {
  private final Architecture arch;
  private final String backend;
  private final Precision precision;
  private final BackendOptions options;
  private final Progress progress;
  private final Consumer<CostEstimate> estimate;

  private Kernels(Architecture arch, String backend, Precision precision, BackendOptions options,
      Progress progress, Consumer<CostEstimate> estimate) {
    this.arch = arch;
    this.backend = backend;
    this.precision = precision;
    this.options = options;
    this.progress = progress;
    this.estimate = estimate;
  }

  /**
   * @param architecture an architecture string, e.g. {@code "Dense(W_std=1.5), Erf(), Dense()"}
   * @return kernels of that network with default settings
   */
  public static Kernels of(String architecture) {
    return of(Architecture.parse(architecture));
  }

  /**
   * @param architecture the network
   * @return kernels of that network with default settings
   */
  public static Kernels of(Architecture architecture) {
    return new Kernels(architecture, null, null, BackendOptions.defaults(), Progress.NONE,
        e -> { });
  }

  /**
   * @param name {@code auto}, {@code cpu} or {@code cuda}
   * @return a copy using that backend
   */
  public Kernels withBackend(String name) {
    return new Kernels(arch, name, precision, options, progress, estimate);
  }

  /**
   * @param p storage and arithmetic precision (default: the backend's)
   * @return a copy using that precision
   */
  public Kernels withPrecision(Precision p) {
    return new Kernels(arch, backend, p, options, progress, estimate);
  }

  /**
   * @param threads CPU worker threads
   * @return a copy using that many threads
   */
  public Kernels withThreads(int threads) {
    return new Kernels(arch, backend, precision, options.withThreads(threads), progress,
        estimate);
  }

  /**
   * @param p receives progress (units: kernel rows per layer)
   * @return a copy reporting progress to {@code p}
   */
  public Kernels withProgress(Progress p) {
    return new Kernels(arch, backend, precision, options, p, estimate);
  }

  /**
   * @param e receives the time estimate of an exact CNTK before its pairwise phase starts
   * @return a copy reporting estimates to {@code e}
   */
  public Kernels withEstimate(Consumer<CostEstimate> e) {
    return new Kernels(arch, backend, precision, options, progress, e);
  }

  /** @return the architecture */
  public Architecture architecture() {
    return arch;
  }

  /**
   * @param x points, {@code n × d}
   * @return the NNGP kernel {@code K(X, X)}
   */
  public KernelMatrix nngp(double[][] x) {
    return compute(x, null, Kind.NNGP).nngp();
  }

  /**
   * @param x row points
   * @param y column points
   * @return the NNGP kernel {@code K(X, Y)}
   */
  public KernelMatrix nngp(double[][] x, double[][] y) {
    return compute(x, y, Kind.NNGP).nngp();
  }

  /**
   * @param x points
   * @return the NTK {@code Θ(X, X)}
   */
  public KernelMatrix ntk(double[][] x) {
    return compute(x, null, Kind.NTK).ntk();
  }

  /**
   * @param x row points
   * @param y column points
   * @return the NTK {@code Θ(X, Y)}
   */
  public KernelMatrix ntk(double[][] x, double[][] y) {
    return compute(x, y, Kind.NTK).ntk();
  }

  /**
   * @param x row points
   * @param y column points, or {@code null} for {@code Y = X}
   * @param kind which kernels
   * @return the kernels
   */
  public KernelPair compute(double[][] x, double[][] y, Kind kind) {
    try (Backends.Selection s = Backends.open(backend, options)) {
      return compute(s.backend(), x, y, kind);
    }
  }

  /**
   * @param open an open backend (not closed here)
   * @param x row points
   * @param y column points, or {@code null} for {@code Y = X}
   * @param kind which kernels
   * @return the kernels
   */
  public KernelPair compute(Backend open, double[][] x, double[][] y, Kind kind) {
    Precision p = precision != null ? precision : open.defaultPrecision();
    return ExactKernel.compute(arch, x, y, kind, open, p, progress);
  }

  /**
   * The up-front work and memory of {@link #compute(Backend, double[][], double[][], Kind)}: the
   * layers' cost and memory rules folded over the network, before anything runs.
   *
   * @param open an open backend (not closed here)
   * @param x row points (only their shape is read)
   * @param y column points, or {@code null} for {@code Y = X}
   * @param kind which kernels
   * @return the estimate
   */
  public WorkEstimate estimate(Backend open, double[][] x, double[][] y, Kind kind) {
    return ExactKernel.estimate(arch, x, y, kind, open,
        precision != null ? precision : open.defaultPrecision());
  }

  /**
   * The up-front work and memory of {@link #compute(Backend, ImageBatch, ImageBatch, Kind)} (CNTK).
   *
   * @param open an open backend (not closed here)
   * @param x row images (only their shape and count are read)
   * @param y column images, or {@code null} for {@code Y = X}
   * @param kind which kernels
   * @return the estimate
   */
  public WorkEstimate estimate(Backend open, ImageBatch x, ImageBatch y, Kind kind) {
    return ExactCntk.estimate(arch, x, y, kind, open,
        precision != null ? precision : open.defaultPrecision());
  }

  /**
   * @param x images
   * @return the NNGP kernel {@code K(X, X)} (CNTK)
   */
  public KernelMatrix nngp(ImageBatch x) {
    return compute(x, null, Kind.NNGP).nngp();
  }

  /**
   * @param x row images
   * @param y column images
   * @return the NNGP kernel {@code K(X, Y)} (CNTK)
   */
  public KernelMatrix nngp(ImageBatch x, ImageBatch y) {
    return compute(x, y, Kind.NNGP).nngp();
  }

  /**
   * @param x images
   * @return the NTK {@code Θ(X, X)} (CNTK)
   */
  public KernelMatrix ntk(ImageBatch x) {
    return compute(x, null, Kind.NTK).ntk();
  }

  /**
   * @param x row images
   * @param y column images
   * @return the NTK {@code Θ(X, Y)} (CNTK)
   */
  public KernelMatrix ntk(ImageBatch x, ImageBatch y) {
    return compute(x, y, Kind.NTK).ntk();
  }

  /**
   * @param x row images
   * @param y column images, or {@code null} for {@code Y = X}
   * @param kind which kernels
   * @return the kernels (CNTK)
   */
  public KernelPair compute(ImageBatch x, ImageBatch y, Kind kind) {
    try (Backends.Selection s = Backends.open(backend, options)) {
      return compute(s.backend(), x, y, kind);
    }
  }

  /**
   * @param open an open backend (not closed here)
   * @param x row images
   * @param y column images, or {@code null} for {@code Y = X}
   * @param kind which kernels
   * @return the kernels (CNTK); progress units: {@link ExactCntk#progressUnits}
   */
  public KernelPair compute(Backend open, ImageBatch x, ImageBatch y, Kind kind) {
    Precision p = precision != null ? precision : open.defaultPrecision();
    return ExactCntk.compute(arch, x, y, kind, open, p, progress, estimate);
  }
}
