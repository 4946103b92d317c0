package org.nke.cntk;

import java.util.List;
import org.nke.arch.Architecture;
import org.nke.error.ArchException;
import org.nke.exact.DenseNetwork;
import org.nke.exact.WorkEstimate;
import org.nke.ir.Grid;
import org.nke.ir.PixelStep.Branch;
import org.nke.ir.PixelStep.Diagonalize;
import org.nke.ir.PixelStep.EndFork;
import org.nke.ir.PixelStep.Fork;
import org.nke.ir.PixelStep.Merge;
import org.nke.ir.PixelStep.Normalize;
import org.nke.ir.PixelStep.Readout;
import org.nke.ir.PixelStep;
import org.nke.ir.Window;
import org.nke.spi.Precision;

/**
 * An architecture compiled for image inputs {@code (H, W, C)} into pixel-pair kernel steps (the
 * spatial part, ending in a {@link Readout} by Flatten or GlobalAvgPool) and the dense steps after
 * it, checked once as stax checks them: activations need a Gaussian input (after Conv, Dense, or a
 * pooling of those), Conv and pools need a spatial input, the output must not be spatial.
 *
 * <p>Which pixel pairs each step needs is decided once by folding the layers' requirements backwards
 * from the readout (cf. stax's {@code Diagonal} requirements, but per layer): Flatten needs only the
 * diagonal pairs {@code (p, p)} of its input, GlobalAvgPool and AvgPool need all pairs, Conv and
 * activations need of their input what is needed of their output (a Conv output pair {@code (p, p)}
 * only reads input pairs {@code (p + δ, p + δ)}). Steps that only need diagonal pairs carry
 * {@code H·W} entries per image pair instead of {@code (H·W)²}; a {@link Diagonalize} step switches
 * where a pool's full output is only needed on its diagonal.
 *
 * <p>A branching network ({@code FanOut}, {@code parallel}, a fan-in) compiles, as on points
 * ({@code org.nke.exact.DenseNetwork}), to {@link Fork}, then per branch {@link Branch}, its steps
 * and {@link Merge}, then {@link EndFork}; the requirement of a fork's input is the union of its
 * branches' (all pairs if any branch needs them), and a branch that needs less starts (or ends) with
 * a {@link Diagonalize}. The compiler is {@link CntkCompiler}.
 *
 * <p>Under the standard parameterization a Conv's or Dense's NTK reads its fan-in, which
 * {@link org.nke.exact.LayerWidths} follows through the network as stax follows shapes (the images' channels, each
 * layer's declared width, {@code H·W·C} after Flatten); a width that is needed but was omitted is an
 * {@link ArchException} naming the layer that omitted it.
 */
public final class CntkNetwork {
  private final Grid input;
  private final int channels;
  private final boolean inputDiagonal;
  private final List<PixelStep> steps;
  private final List<DenseNetwork.Step> tail;

  CntkNetwork(Grid input, int channels, boolean inputDiagonal, List<PixelStep> steps,
      List<DenseNetwork.Step> tail) {
    this.input = input;
    this.channels = channels;
    this.inputDiagonal = inputDiagonal;
    this.steps = List.copyOf(steps);
    this.tail = List.copyOf(tail);
  }

  /**
   * @param arch the architecture
   * @param grid the input images' grid
   * @param channels the input images' channels
   * @return the compiled network
   * @throws ArchException if the architecture is not a valid network on such images
   */
  public static CntkNetwork compile(Architecture arch, Grid grid, int channels) {
    try {
      return CntkCompiler.compile(arch, grid, channels);
    } catch (ArchException e) {
      if (!e.getMessage().contains(TOO_SMALL)) {
        throw e;
      }
      int side = smallestSide(arch, grid, channels);
      throw new ArchException(e.getMessage() + (side < 0 ? "" : "; this network needs images of at "
          + "least " + side + "x" + side + ", got " + grid + ": zero-pad them (nke's image commands: "
          + "--pad-to " + side + ")"));
    }
  }

  /** Part of the message of a window that does not fit its input ({@link Window#of}). */
  private static final String TOO_SMALL = "with VALID padding does not fit";

  /** @return the smallest square side at least the image's that the network accepts, or -1 */
  private static int smallestSide(Architecture arch, Grid grid, int channels) {
    for (int side = Math.max(grid.height(), grid.width()) + 1; side <= 4096; side++) {
      try {
        CntkCompiler.compile(arch, new Grid(side, side), channels);
        return side;
      } catch (ArchException e) {
        if (!e.getMessage().contains(TOO_SMALL)) {
          return -1;
        }
      }
    }
    return -1;
  }

  /** @return the deepest nesting of fan-outs (0 for a chain) */
  public int forkDepth() {
    int depth = 0;
    int max = 0;
    for (PixelStep s : steps) {
      if (s instanceof Fork) {
        max = Math.max(max, ++depth);
      } else if (s instanceof EndFork) {
        depth--;
      }
    }
    return max;
  }

  /** @return the input images' grid */
  public Grid input() {
    return input;
  }

  /** @return the input images' channels */
  public int channels() {
    return channels;
  }

  /** @return whether the input kernel is only needed on the diagonal pairs {@code (p, p)} */
  public boolean inputDiagonal() {
    return inputDiagonal;
  }

  /** @return the pixel-pair steps, input first, ending with the {@link Readout} */
  public List<PixelStep> steps() {
    return steps;
  }

  /** @return the dense steps after the readout */
  public List<DenseNetwork.Step> tail() {
    return tail;
  }

  /**
   * @return the number of spatial variance probes: the activations and LayerNorms, whose
   *     {@code index} they number (each reads the per-pixel variances of both images)
   */
  public int activations() {
    return (int) steps.stream().filter(s -> s.variances() > 0).count();
  }

  /**
   * @return the largest pixel-pair block (entries) any step reads or writes: the input kernel's and
   *     the fold of the steps' memory rules ({@link PixelStep#entries})
   */
  public long maxBlockEntries() {
    long m = input.blockEntries(inputDiagonal);
    for (PixelStep s : steps) {
      m = Math.max(m, s.entries());
    }
    return m;
  }

  /**
   * The cost of one image pair, folded over the steps' cost rules ({@link PixelStep#flops}) and the
   * dense tail's ({@link DenseNetwork.Step#pairFlops}), plus the input kernel: per carried pixel pair
   * a dot product of the {@code C} channels, {@code 2C} flops.
   *
   * @param withNtk whether {@code Θ} is carried
   * @return flops per image pair
   */
  public double pairFlops(boolean withNtk) {
    double f = 2.0 * channels * input.blockEntries(inputDiagonal);
    for (PixelStep s : steps) {
      f += s.flops(withNtk);
    }
    for (DenseNetwork.Step s : tail) {
      f += s.pairFlops(withNtk);
    }
    return f;
  }

  /**
   * @return bytes kept per image between the two phases of {@code ExactCntk}: the steps' variance
   *     probes ({@link PixelStep#variances}), float64
   */
  public long bytesPerImage() {
    return 8 * steps.stream().mapToLong(PixelStep::variances).sum();
  }

  /**
   * @param withNtk whether {@code Θ} is carried
   * @return bytes of one pair slot of the working set: {@code K}, scratch and {@code Θ} blocks of
   *     {@link #maxBlockEntries} float64 entries, in {@code 1 + 2·depth} sets for fan-outs nested
   *     {@link #forkDepth} deep (each level's input, accumulator and current branch)
   */
  public long slotBytes(boolean withNtk) {
    return maxBlockEntries() * 8 * (withNtk ? 3 : 2) * (1 + 2L * forkDepth());
  }

  /**
   * @param n row images
   * @param m column images
   * @param same whether {@code Y = X}
   * @param withNtk whether {@code Θ} is returned
   * @param precision storage precision of the result
   * @return bytes of the result matrices and the per-image variances kept between the phases
   */
  public long outputBytes(long n, long m, boolean same, boolean withNtk, Precision precision) {
    return n * m * precision.bytes() * (withNtk ? 2 : 1) + (n + (same ? 0 : m)) * bytesPerImage();
  }

  /**
   * The up-front estimate of the exact CNTK: {@code n(n+1)/2} image pairs for {@code Y = X}, else
   * {@code n·m + n + m} (the diagonal recursion's self pairs included), at {@link #pairFlops} each;
   * peak memory {@link #outputBytes} plus {@code slots} pair slots of {@link #slotBytes}.
   *
   * @param n row images
   * @param m column images
   * @param same whether {@code Y = X}
   * @param withNtk whether {@code Θ} is computed
   * @param precision storage precision of the result
   * @param slots pair slots of the working set (image pairs per batch)
   * @return the estimate
   */
  public WorkEstimate estimate(long n, long m, boolean same, boolean withNtk, Precision precision,
      int slots) {
    long pairs = same ? n * (n + 1) / 2 : n * m + n + m;
    return new WorkEstimate(pairFlops(withNtk), pairs, outputBytes(n, m, same, withNtk, precision),
        slots * slotBytes(withNtk));
  }
}
