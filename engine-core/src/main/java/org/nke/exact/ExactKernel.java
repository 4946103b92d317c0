package org.nke.exact;

import java.util.Locale;
import org.nke.arch.Architecture;
import org.nke.error.NumericalException;
import org.nke.error.ResourceLimitException;
import org.nke.ir.InputKernel;
import org.nke.spi.Backend;
import org.nke.spi.KernelBlock;
import org.nke.spi.KernelMatrix;
import org.nke.spi.Precision;
import org.nke.spi.Progress;
import org.nke.util.Checks;

/**
 * Exact NNGP and NTK of a fully connected network between two point sets, following stax's kernel
 * recursion (branching networks and LayerNorm included: the program of {@link DenseNetwork}, each
 * layer's rules in its {@link LayerKernel}):
 *
 * <pre>{@code
 * K⁰ = X Yᵀ / d,  Θ⁰ = 0
 * Dense:       K ← σ_w² K + σ_b²,        Θ ← K_new + σ_w² Θ      (NTK parameterization)
 * Activation:  K ← E[φ(u)φ(v)],          Θ ← Θ · E[φ'(u)φ'(v)]
 * }</pre>
 *
 * The pre-activation variances come from the per-point diagonal recursion, run alongside
 * ({@link DenseNetwork#diagonals} runs it alone); the pairwise work is done by the {@link Backend}. For bias-free
 * networks of the ReLU family ({@link DenseNetwork#carriesAngles}) on a backend that supports it, the
 * block also carries each pair's angle {@code θ}, computed from the points and updated in angle form
 * ({@code org.nke.dual.ArcCosineAngle}), so that near-collinear pairs ({@code x, 3x, −2x,
 * x + 1e−9 e}) keep full accuracy instead of the {@code √ε} of {@code arccos} of a rounded
 * correlation. After every layer
 * the block is scanned for non-finite entries, which are reported with the layer and entry.
 */
public final class ExactKernel {
  /** Which kernels to compute. */
  public enum Kind {
    /** The NNGP kernel only. */
    NNGP,
    /** The NTK only (the NNGP is computed along the way but not returned). */
    NTK,
    /** Both. */
    BOTH;

    /**
     * @param s {@code nngp}, {@code ntk} or {@code both}
     * @return the kind
     */
    public static Kind parse(String s) {
      return switch (s.toLowerCase(Locale.ROOT)) {
        case "nngp" -> NNGP;
        case "ntk" -> NTK;
        case "both" -> BOTH;
        default -> throw new IllegalArgumentException("kind must be nngp, ntk or both, got " + s);
      };
    }
  }

  private ExactKernel() {
  }

  /**
   * Bytes the working block needs.
   *
   * @param n rows
   * @param m columns
   * @param kind what is computed
   * @param precision storage precision
   * @return bytes
   */
  public static long blockBytes(long n, long m, Kind kind, Precision precision) {
    return n * m * precision.bytes() * (kind == Kind.NNGP ? 1 : 2);
  }

  /**
   * The up-front estimate of {@link #compute}: the pairs of its block times the network's cost
   * rules ({@link DenseNetwork#pairFlops}); its memory at the peak, the output block
   * ({@link #blockBytes}) and, besides it, two more blocks per fan-out level (each level's input,
   * accumulator and current branch, as {@link ProgramFold} holds them), the angle block when angles
   * are carried, and the per-point variances and tables ({@link DenseNetwork#pointBytes}).
   *
   * @param net the compiled network
   * @param n rows
   * @param m columns
   * @param same whether {@code Y = X}
   * @param kind what is computed
   * @param precision storage precision
   * @param angles whether the block carries pair angles (float64, 8 bytes a pair)
   * @return the estimate
   */
  public static WorkEstimate estimate(DenseNetwork net, long n, long m, boolean same, Kind kind,
      Precision precision, boolean angles) {
    boolean withNtk = kind != Kind.NNGP;
    long block = blockBytes(n, m, kind, precision);
    long working = 2L * net.forkDepth() * block + (angles ? n * m * 8 : 0)
        + (n + (same ? 0 : m)) * net.pointBytes(withNtk);
    return new WorkEstimate(net.pairFlops(withNtk), WorkEstimate.pairs(n, m, same), block, working);
  }

  /**
   * The up-front estimate of {@link #compute} on this backend, before anything runs.
   *
   * @param arch a fully connected architecture
   * @param x row points (only their shape is read)
   * @param y column points, or {@code null} for {@code Y = X}
   * @param kind which kernels
   * @param backend the backend (whether it carries angles)
   * @param precision storage precision
   * @return the estimate
   */
  public static WorkEstimate estimate(Architecture arch, double[][] x, double[][] y, Kind kind,
      Backend backend, Precision precision) {
    boolean same = y == null || y == x;
    DenseNetwork net = DenseNetwork.compile(arch, inputDimension(x, y));
    return estimate(net, x.length, same ? x.length : y.length, same, kind, precision,
        carriesAngles(net, backend, precision));
  }

  /**
   * @param x row points
   * @param y column points, or {@code null} (or {@code x}) for {@code Y = X}
   * @return the points' dimension {@code d}
   * @throws org.nke.error.InvalidInputException if they are not a non-empty rectangular set of
   *     the same dimension
   */
  private static int inputDimension(double[][] x, double[][] y) {
    int d = Checks.points("X", x);
    if (y != null && y != x) {
      Checks.sameDimension("X", d, "Y", Checks.points("Y", y));
    }
    return d;
  }

  /**
   * Whether {@link #compute} carries pair angles on this backend (bias-free ReLU-family networks in
   * float64: near-collinear pairs keep their digits).
   *
   * @param net the compiled network
   * @param backend the backend
   * @param precision storage precision
   * @return whether the block gets an angle array
   */
  public static boolean carriesAngles(DenseNetwork net, Backend backend, Precision precision) {
    return precision == Precision.F64 && net.carriesAngles() && backend.carriesAngles();
  }

  /**
   * Computes the kernels.
   *
   * @param arch a fully connected architecture
   * @param x row points {@code n × d}, not modified
   * @param y column points {@code m × d}, not modified; {@code null} for {@code Y = X}
   * @param kind which kernels
   * @param backend the backend to run on
   * @param precision storage precision
   * @param progress progress sink; total units = {@code n × (1 + DenseNetwork.layerSteps())}
   * @return the kernels
   */
  public static KernelPair compute(Architecture arch, double[][] x, double[][] y, Kind kind,
      Backend backend, Precision precision, Progress progress) {
    int d = inputDimension(x, y);
    boolean same = y == null || y == x;
    double[][] yy = same ? x : y;
    DenseNetwork net = DenseNetwork.compile(arch, d);
    // Bias-free ReLU-family networks carry each pair's angle (near-collinear pairs keep their digits)
    boolean angles = carriesAngles(net, backend, precision);
    WorkEstimate work = estimate(net, x.length, yy.length, same, kind, precision, angles);
    // a device backend keeps the working blocks in its own memory; the result comes to the heap
    long working = backend.blocksOnHeap() ? work.workingBytes() : 0;
    Checks.fitsInHeap(String.format(Locale.ROOT, "the %s kernel %d x %d (%s)%s", kind.name()
        .toLowerCase(Locale.ROOT), x.length, yy.length, precision.dtype(), working
        > work.outputBytes() / 16 ? " and " + ResourceLimitException.human(working)
        + " of branch copies, angles and per-point tables" : ""),
        work.outputBytes() + working,
        "use --dtype float32, fewer points, a larger heap (NKE_JAVA_OPTS=-Xmx...), "
            + "or sketch features (nke features) instead of the exact kernel");
    double[] inX = InputKernel.variances(x);
    double[] inY = same ? inX : InputKernel.variances(yy);
    boolean withNtk = kind != Kind.NNGP;
    try (KernelBlock block = backend.inputKernel(x, same ? null : yy, withNtk, angles, precision,
        progress)) {
      KernelState start = new KernelState(block, null, null, false, d, precision)
          .withVariances(inX, inY);
      try (ProgramRun run = new ProgramRun(start, backend, progress, (b, where) -> {
        checkFinite(backend, b, false, where);
        if (withNtk) {
          checkFinite(backend, b, true, where);
        }
      })) {
        KernelBlock out = run.execute(net.program()).block();
        KernelMatrix nngp = kind == Kind.NTK ? null : backend.read(out, false);
        KernelMatrix ntk = withNtk ? backend.read(out, true) : null;
        return new KernelPair(nngp, ntk, run.errorBound(), backend.name());
      }
    }
  }

  private static void checkFinite(Backend backend, KernelBlock block, boolean ntk, String where) {
    long at = backend.firstNonFinite(block, ntk);
    if (at >= 0) {
      long i = at / block.cols();
      long j = at % block.cols();
      throw new NumericalException((ntk ? "NTK" : "NNGP") + " entries must be finite, got a "
          + "non-finite value after " + where + " at entry ("
          + (i + 1) + ", " + (j + 1) + "); the variances may have overflowed or left the "
          + "activation's domain");
    }
  }
}
