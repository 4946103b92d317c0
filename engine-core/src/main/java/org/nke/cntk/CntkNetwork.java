package org.nke.cntk;

import org.nke.ir.Window;

import org.nke.ir.Grid;

import java.util.List;
import org.nke.arch.Architecture;
import org.nke.dual.DualActivation;
import org.nke.error.ArchException;
import org.nke.exact.DenseNetwork;

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
 * {@link LayerWidths} follows through the network as stax follows shapes (the images' channels, each
 * layer's declared width, {@code H·W·C} after Flatten); a width that is needed but was omitted is an
 * {@link ArchException} naming the layer that omitted it.
 */
public final class CntkNetwork {
  /** One pixel-pair kernel step; {@code position} is the 1-based layer index for messages. */
  public sealed interface Step permits Convolution, Pooling, PixelActivation, Normalize, Diagonalize, Fork,
      Branch, Merge, EndFork, Readout {
    /** @return 1-based index of the layer in the architecture */
    int position();

    /** @return the layer as written */
    String describe();
  }

  /**
   * Conv (or a pixelwise Dense, as a 1 × 1 window), with {@code S} the same-offset window sum and
   * {@code F = f_h·f_w}: {@code Θ ← a·S(K)/F + b·S(Θ)/F + c}, then {@code K ← w²·S(K)/F + β²}.
   *
   * @param window filter geometry
   * @param diagonal whether only diagonal pairs are carried
   * @param w2 {@code σ_w²}
   * @param b2 {@code σ_b²}
   * @param ntkFromNngp {@code a}: {@code σ_w²} in the NTK parameterization, the fan-in
   *     {@code C_in·F} in the standard one ({@link Conv})
   * @param ntkFromNtk {@code b} ({@code σ_w²})
   * @param ntkConstant {@code c}: {@code σ_b²} in the NTK parameterization; in the standard one 1 if
   *     {@code b_std} was given, else 0
   * @param ntkZero whether {@code Θ} is identically zero on entry ({@code Θ⁰ = 0} before the first
   *     affine layer), so that {@code S(Θ)} is skipped
   * @param position layer index
   * @param describe layer text
   */
  public record Convolution(Window window, boolean diagonal, double w2, double b2, double ntkFromNngp,
      double ntkFromNtk, double ntkConstant, boolean ntkZero, int position, String describe)
      implements Step {
  }

  /**
   * AvgPool: {@code K'(P, Q) = Σ_{p∈P, q∈Q} K(p, q) / (f_h f_w)²}, the same for {@code Θ}; full pairs.
   *
   * @param window pooling geometry
   * @param position layer index
   * @param describe layer text
   */
  public record Pooling(Window window, int position, String describe) implements Step {
  }

  /**
   * An activation on every carried pixel pair, with the per-pixel variances of both images.
   *
   * @param dual the dual activation
   * @param grid the grid it acts on
   * @param diagonal whether only diagonal pairs are carried
   * @param index 0-based index among the spatial activations (selects the variances)
   * @param position layer index
   * @param describe layer text
   */
  public record PixelActivation(DualActivation dual, Grid grid, boolean diagonal, int index, int position,
      String describe) implements Step {
  }

  /**
   * LayerNorm on images (stax {@code LayerNorm} with {@code prod12 = (eps + cov1) ⊗ (eps + cov2)}
   * averaged over the normalised spatial axes): every carried pair {@code (p, q)} of K and Θ is
   * divided by {@code √(s_x(p)·s_y(q))}, where over the channel axis {@code s(p) = eps + K(p, p)} (each
   * pixel's variance) and over {@code (1, 2, 3)} {@code s(p) = mean_p (eps + K(p, p))} (each image's).
   *
   * @param grid the grid it acts on
   * @param diagonal whether only diagonal pairs are carried
   * @param perImage whether it normalises over the spatial axes too ({@code axis=(1, 2, 3)})
   * @param eps added to each variance
   * @param index 0-based index among the variance probes (activations and LayerNorms)
   * @param position layer index
   * @param describe layer text
   */
  public record Normalize(Grid grid, boolean diagonal, boolean perImage, double eps, int index,
      int position, String describe) implements Step {
    /**
     * @param variances per image, its {@code grid.pixels()} pixel variances, concatenated; not
     *     modified
     * @return the scales {@code s(p)} in the same layout
     */
    public double[] scales(double[] variances) {
      int n = grid.pixels();
      double[] out = new double[variances.length];
      for (int i = 0; i < variances.length; i += n) {
        double mean = 0;
        for (int p = 0; p < n; p++) {
          out[i + p] = eps + variances[i + p];
          mean += out[i + p];
        }
        if (perImage) {
          java.util.Arrays.fill(out, i, i + n, mean / n);
        }
      }
      return out;
    }
  }

  /**
   * A fan-out: keeps the current blocks as the input of the branches that follow.
   *
   * @param position index of the FanOut layer
   * @param describe layer text
   */
  public record Fork(int position, String describe) implements Step {
  }

  /**
   * Starts a branch from the fan-out's input: a copy, or the input itself for the last branch.
   *
   * @param last whether it is the last branch
   * @param grid the fan-out's input grid
   * @param diagonal whether only diagonal pairs are carried there
   * @param position index of the fan-out
   * @param describe what it is
   */
  public record Branch(boolean last, Grid grid, boolean diagonal, int position, String describe)
      implements Step {
  }

  /**
   * Merges a finished branch into the fan-in's accumulator (branch 0 becomes it).
   *
   * @param join the rule for this branch ({@code null} for branch 0)
   * @param branch the branch's index
   * @param grid the branches' common output grid
   * @param diagonal whether only diagonal pairs are carried
   * @param position index of the fan-in layer
   * @param describe layer text
   */
  public record Merge(org.nke.ir.Join join, int branch, Grid grid, boolean diagonal, int position,
      String describe) implements Step {
  }

  /**
   * Ends a fan-in: its accumulator becomes the current blocks.
   *
   * @param position index of the fan-in layer
   * @param describe layer text
   */
  public record EndFork(int position, String describe) implements Step {
  }

  /**
   * Keeps only the diagonal pairs {@code (p, p)} of a full block.
   *
   * @param grid the grid
   * @param position index of the layer before which it happens
   * @param describe what it is for
   */
  public record Diagonalize(Grid grid, int position, String describe) implements Step {
  }

  /**
   * The end of the spatial part: Flatten {@code K = Σ_p K(p, p) / (H·W)} or GlobalAvgPool
   * {@code K = Σ_{p, q} K(p, q) / (H·W)²}; the same for {@code Θ}.
   *
   * @param flatten Flatten (else GlobalAvgPool)
   * @param grid the grid it reduces
   * @param diagonal whether only diagonal pairs are carried
   * @param position layer index
   * @param describe layer text
   */
  public record Readout(boolean flatten, Grid grid, boolean diagonal, int position, String describe)
      implements Step {
  }

  private final Grid input;
  private final int channels;
  private final boolean inputDiagonal;
  private final List<Step> steps;
  private final List<DenseNetwork.Step> tail;

  CntkNetwork(Grid input, int channels, boolean inputDiagonal, List<Step> steps,
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

  /**
   * Refuses a network that branches or normalises, for the paths that do not run the fork/merge
   * program yet (the CNTK sketch, the host variance recursions), naming the first such step.
   *
   * @param path the path, for the message (e.g. "the CNTK sketch")
   * @throws ArchException if the network has a fork or a LayerNorm
   */
  public void requireSerial(String path) {
    for (Step s : steps) {
      if (s instanceof Fork || s instanceof Normalize) {
        throw new ArchException("layer " + s.position() + " (" + s.describe() + ") is not yet "
            + "supported by " + path + ": branching networks and LayerNorm on images work in the "
            + "exact convolutional kernel (CNTK)");
      }
    }
  }

  /** @return the deepest nesting of fan-outs (0 for a chain) */
  public int forkDepth() {
    int depth = 0;
    int max = 0;
    for (Step s : steps) {
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
  public List<Step> steps() {
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
    return (int) steps.stream().filter(s -> s instanceof PixelActivation || s instanceof Normalize)
        .count();
  }

  /** @return the largest pixel-pair block (entries) any step reads or writes */
  public long maxBlockEntries() {
    long m = input.blockEntries(inputDiagonal);
    for (Step s : steps) {
      if (s instanceof Convolution c) {
        m = Math.max(m, c.window().out().blockEntries(c.diagonal()));
      } else if (s instanceof Pooling p) {
        m = Math.max(m, p.window().out().blockEntries(false));
      }
    }
    return m;
  }
}
