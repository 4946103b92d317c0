package org.nke.cntk;

import java.util.ArrayList;
import java.util.List;
import org.nke.arch.Activation;
import org.nke.arch.Architecture;
import org.nke.arch.AvgPool;
import org.nke.arch.Conv;
import org.nke.arch.Dense;
import org.nke.arch.FanIn;
import org.nke.arch.FanOut;
import org.nke.arch.Flatten;
import org.nke.arch.GlobalAvgPool;
import org.nke.arch.Identity;
import org.nke.arch.Layer;
import org.nke.arch.LayerNorm;
import org.nke.arch.Parallel;
import org.nke.arch.Parameterization;
import org.nke.dual.DualActivation;
import org.nke.error.ArchException;
import org.nke.exact.DenseKernel;
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
 * <p>Under the standard parameterization a Conv's or Dense's NTK reads its fan-in, which
 * {@link LayerWidths} follows through the network as stax follows shapes (the images' channels, each
 * layer's declared width, {@code H·W·C} after Flatten); a width that is needed but was omitted is an
 * {@link ArchException} naming the layer that omitted it.
 */
public final class CntkNetwork {
  /** One pixel-pair kernel step; {@code position} is the 1-based layer index for messages. */
  public sealed interface Step permits Convolution, Pooling, Nonlinearity, Diagonalize, Readout {
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
  public record Nonlinearity(DualActivation dual, Grid grid, boolean diagonal, int index, int position,
      String describe) implements Step {
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

  private CntkNetwork(Grid input, int channels, boolean inputDiagonal, List<Step> steps,
      List<DenseNetwork.Step> tail) {
    this.input = input;
    this.channels = channels;
    this.inputDiagonal = inputDiagonal;
    this.steps = List.copyOf(steps);
    this.tail = List.copyOf(tail);
  }

  /**
   * A layer of the spatial part with its grids, before the pair requirements are known; {@code fanIn}
   * is its standard-parameterization fan-in ({@link LayerWidths}), 0 if it has none.
   */
  private record Proto(Layer layer, int position, Grid in, Window window, double fanIn) {
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
      return compileOn(arch, grid, channels);
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
        compileOn(arch, new Grid(side, side), channels);
        return side;
      } catch (ArchException e) {
        if (!e.getMessage().contains(TOO_SMALL)) {
          return -1;
        }
      }
    }
    return -1;
  }

  private static CntkNetwork compileOn(Architecture arch, Grid grid, int channels) {
    List<Proto> spatial = new ArrayList<>();
    List<DenseNetwork.Step> tail = new ArrayList<>();
    Grid g = grid;
    boolean gaussian = false;
    Proto readout = null;
    LayerWidths widths = new LayerWidths(channels);
    int position = 0;
    for (Layer layer : arch.layers()) {
      position++;
      String at = "layer " + position + " (" + layer.describe() + ")";
      if (layer instanceof FanOut || layer instanceof Parallel || layer instanceof FanIn
          || layer instanceof LayerNorm) {
        throw new ArchException(at + " is not yet supported by the convolutional kernel (CNTK) or "
            + "its sketch: branching networks and LayerNorm work on points (the exact dense kernel)");
      }
      if (readout == null) {
        Window win = null;
        double fanIn = 0;
        if (layer instanceof Conv c) {
          win = window(c.filterHeight(), c.filterWidth(), c.strideHeight(), c.strideWidth(),
              c.padding(), g, at);
          fanIn = c.parameterization() == Parameterization.STANDARD
              ? widths.fanIn(win.size(), at) : 0;
          widths.set(c.channels(), "out_chan", at);
          gaussian = true;
        } else if (layer instanceof Dense d) {
          win = Window.pointwise(g);
          fanIn = d.parameterization() == Parameterization.STANDARD ? widths.fanIn(1, at) : 0;
          widths.set(d.width(), "out_dim", at);
          gaussian = true;
        } else if (layer instanceof AvgPool p) {
          win = window(p.windowHeight(), p.windowWidth(), p.strideHeight(), p.strideWidth(),
              p.padding(), g, at);
        } else if (layer instanceof Activation a) {
          requireGaussian(gaussian, a, position);
          win = Window.pointwise(g);
          gaussian = false;
        } else if (layer instanceof Flatten || layer instanceof GlobalAvgPool) {
          readout = new Proto(layer, position, g, null, 0);
          widths.readout(layer instanceof Flatten ? g.pixels() : 1);
          gaussian = gaussian && layer instanceof GlobalAvgPool;
        }
        if (win != null) {
          spatial.add(new Proto(layer, position, g, win, fanIn));
          g = win.out();
        }
      } else if (layer instanceof Dense d) {
        int inputWidth = d.parameterization() == Parameterization.STANDARD
            ? (int) widths.fanIn(1, at) : -1;
        tail.add(DenseKernel.affine(d, inputWidth, position));
        widths.set(d.width(), "out_dim", at);
        gaussian = true;
      } else if (layer instanceof Activation a) {
        requireGaussian(gaussian, a, position);
        tail.add(new DenseNetwork.Nonlinear(a.dual(), position, a.describe()));
        gaussian = false;
      } else if (layer instanceof Conv || layer instanceof AvgPool || layer instanceof GlobalAvgPool) {
        throw new ArchException(at + " needs a spatial input, but layer " + readout.position() + " ("
            + readout.layer().describe() + ") already removed the spatial dimensions");
      }
    }
    if (readout == null) {
      throw new ArchException("the network's output is still spatial (" + g + " pixels): end the "
          + "convolutional part with Flatten() or GlobalAvgPool() before the readout, as in "
          + "\"Conv(64, (3, 3), padding='SAME'), Relu(), Flatten(), Dense()\"");
    }
    return build(grid, channels, spatial, readout, tail);
  }

  private static CntkNetwork build(Grid grid, int channels, List<Proto> spatial, Proto readout,
      List<DenseNetwork.Step> tail) {
    // Requirements, folded backwards: need[i] = whether layer i's output is only needed on (p, p).
    boolean[] outDiagonal = new boolean[spatial.size()];
    boolean need = readout.layer() instanceof Flatten;
    for (int i = spatial.size() - 1; i >= 0; i--) {
      outDiagonal[i] = need;
      if (spatial.get(i).layer() instanceof AvgPool) {
        need = false;
      }
    }
    boolean inputDiagonal = need;
    List<Step> steps = new ArrayList<>();
    int activation = 0;
    boolean first = true;
    for (int i = 0; i < spatial.size(); i++) {
      Proto p = spatial.get(i);
      boolean diag = outDiagonal[i];
      if (p.layer() instanceof AvgPool) {
        steps.add(new Pooling(p.window(), p.position(), p.layer().describe()));
        if (diag) {
          steps.add(new Diagonalize(p.window().out(), p.position(), "keep the diagonal pairs after "
              + p.layer().describe()));
        }
      } else if (p.layer() instanceof Activation a) {
        steps.add(new Nonlinearity(a.dual(), p.in(), diag, activation++, p.position(), a.describe()));
      } else if (p.layer() instanceof Conv c) {
        // a Conv is a Dense of the same parameters applied to each patch
        steps.add(convolution(p, new Dense(c.channels(), c.wStd(), c.bStd(), c.hasBias(),
            c.parameterization()), diag, first));
        first = false;
      } else if (p.layer() instanceof Dense d) {
        steps.add(convolution(p, d, diag, first));
        first = false;
      }
    }
    Grid last = spatial.isEmpty() ? grid : spatial.get(spatial.size() - 1).window().out();
    boolean lastDiagonal = spatial.isEmpty() ? inputDiagonal : outDiagonal[spatial.size() - 1];
    steps.add(new Readout(readout.layer() instanceof Flatten, last, lastDiagonal, readout.position(),
        readout.layer().describe()));
    return new CntkNetwork(grid, channels, inputDiagonal, steps, tail);
  }

  private static Window window(int fh, int fw, int sh, int sw, org.nke.arch.Padding padding, Grid g,
      String at) {
    try {
      return Window.of(fh, fw, sh, sw, padding, g);
    } catch (IllegalArgumentException e) {
      throw new ArchException(at + ": " + e.getMessage());
    }
  }

  /**
   * The Conv step of a Conv or pixelwise Dense (stax {@code _Conv.kernel_fn}): {@code a = σ_w²},
   * {@code c = σ_b²} under the NTK parameterization; under the standard one {@code a} is the fan-in
   * {@code C_in·F} and {@code c} is 1 if {@code b_std} was given (else 0); always {@code b = σ_w²}.
   */
  private static Convolution convolution(Proto p, Dense affine, boolean diagonal, boolean first) {
    double w2 = affine.wStd() * affine.wStd();
    double b2 = affine.bStd() * affine.bStd();
    boolean standard = affine.parameterization() == Parameterization.STANDARD;
    return new Convolution(p.window(), diagonal, w2, b2, standard ? p.fanIn() : w2, w2,
        standard ? (affine.hasBias() ? 1 : 0) : b2, first, p.position(), p.layer().describe());
  }

  private static void requireGaussian(boolean gaussian, Activation a, int position) {
    if (!gaussian) {
      throw new ArchException("activation " + a.describe() + " at layer " + position + " must follow "
          + "Dense or Conv (or a pooling of them): its input must be Gaussian (stax's rule)");
    }
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

  /** @return the number of spatial activations */
  public int activations() {
    return (int) steps.stream().filter(s -> s instanceof Nonlinearity).count();
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
