package org.nke.cntk;

import java.util.ArrayList;
import java.util.List;
import org.nke.arch.Activation;
import org.nke.arch.Architecture;
import org.nke.arch.AvgPool;
import org.nke.arch.Conv;
import org.nke.arch.Dense;
import org.nke.arch.FanIn;
import org.nke.arch.FanInConcat;
import org.nke.arch.FanOut;
import org.nke.arch.Flatten;
import org.nke.arch.GlobalAvgPool;
import org.nke.arch.Identity;
import org.nke.arch.Layer;
import org.nke.arch.LayerNorm;
import org.nke.arch.Parameterization;
import org.nke.error.ArchException;
import org.nke.exact.DenseKernel;
import org.nke.exact.DenseNetwork;
import org.nke.exact.FanInKernel;
import org.nke.exact.KernelState;
import org.nke.ir.Grid;
import org.nke.ir.Join;
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
import org.nke.ir.Window;
import org.nke.spi.Precision;

/**
 * Compiles an architecture tree for image inputs into a {@link CntkNetwork} in three passes: forward,
 * the layers' grids, Gaussianity and widths (stax's checks) into a tree of nodes, with each fan-in's
 * rules taken from the dense kernel's {@link FanInKernel} (one home for a join's formula); backward,
 * which pixel pairs each node needs of its input (a fork needs the union of its branches' needs);
 * forward again, the flat step program, inserting a {@link Diagonalize} wherever the carried blocks
 * hold more pairs than the next node needs. Layers are numbered depth first, as on points.
 */
final class CntkCompiler {
  /** What flows forward at compile time. */
  private static final class Signal {
    Grid grid;
    boolean gaussian;
    LayerWidths widths;

    Signal(Grid grid, boolean gaussian, LayerWidths widths) {
      this.grid = grid;
      this.gaussian = gaussian;
      this.widths = widths;
    }

    Signal copy() {
      return new Signal(grid, gaussian, widths.copy());
    }
  }

  /** A node of the spatial tree with its pair requirements. */
  private abstract static class Node {
    Grid in;
    int position;
    String describe;
    boolean inDiag;
    boolean outDiag;
  }

  /** One spatial layer. */
  private static final class LayerNode extends Node {
    Layer layer;
    Window window;
    double fanIn;
  }

  /** {@code FanOut(n), parallel(…), FanIn}. */
  private static final class ForkNode extends Node {
    final List<List<Node>> branches = new ArrayList<>();
    final List<Join> joins = new ArrayList<>();
    Grid out;
    int joinPosition;
    String joinDescribe;
  }

  /** What the emitted program carries at a point: diagonal pairs only, and whether Θ is zero. */
  private static final class Carried {
    boolean diag;
    boolean ntkZero;

    Carried(boolean diag, boolean ntkZero) {
      this.diag = diag;
      this.ntkZero = ntkZero;
    }
  }

  private final List<DenseNetwork.Step> tail = new ArrayList<>();
  private int position;
  private int probes;
  private Layer readout;
  private int readoutPosition;

  private CntkCompiler() {
  }

  static CntkNetwork compile(Architecture arch, Grid grid, int channels) {
    CntkCompiler c = new CntkCompiler();
    Signal s = new Signal(grid, false, new LayerWidths(channels));
    List<Node> top = new ArrayList<>();
    c.chain(arch.layers(), s, top, true);
    if (c.readout == null) {
      throw new ArchException("the network's output is still spatial (" + s.grid + " pixels): end "
          + "the convolutional part with Flatten() or GlobalAvgPool() before the readout, as in "
          + "\"Conv(64, (3, 3), padding='SAME'), Relu(), Flatten(), Dense()\"");
    }
    boolean flatten = c.readout instanceof Flatten;
    boolean inputDiag = fold(top, flatten);
    List<PixelStep> steps = new ArrayList<>();
    Carried carried = new Carried(inputDiag, true);
    c.emit(top, carried, steps);
    Grid last = c.readoutGrid;
    if (!carried.diag && flatten) {
      steps.add(new Diagonalize(last, c.readoutPosition, "keep the diagonal pairs before "
          + c.readout.describe()));
      carried.diag = true;
    }
    steps.add(new Readout(flatten, last, carried.diag, c.readoutPosition, c.readout.describe()));
    return new CntkNetwork(grid, channels, inputDiag, steps, c.tail);
  }

  private Grid readoutGrid;

  private void chain(List<Layer> layers, Signal s, List<Node> out, boolean top) {
    for (int i = 0; i < layers.size(); i++) {
      Layer layer = layers.get(i);
      position++;
      String at = "layer " + position + " (" + layer.describe() + ")";
      if (readout != null) {
        tail(layer, s, at);
      } else if (layer instanceof FanOut f) {
        List<List<Layer>> branches = f.branches(layers, i);
        int forkPosition = position;
        int parallels = FanOut.parallels(layers, i);
        position += parallels;
        i += parallels + 1;
        out.add(fork(branches, (FanIn) layers.get(i), forkPosition, f.describe(), s));
      } else if (layer instanceof Flatten || layer instanceof GlobalAvgPool) {
        if (!top) {
          throw new ArchException(at + " is inside a branch: the convolutional kernel (CNTK) needs "
              + "the branches joined before the readout (Flatten or GlobalAvgPool)");
        }
        readout = layer;
        readoutPosition = position;
        readoutGrid = s.grid;
        s.widths.readout(layer instanceof Flatten ? s.grid.pixels() : 1);
        s.gaussian = s.gaussian && layer instanceof GlobalAvgPool;
      } else if (!(layer instanceof Identity)) {
        out.add(spatial(layer, s, at));
      }
    }
  }

  /** A layer after the readout: the dense tail. */
  private void tail(Layer layer, Signal s, String at) {
    if (layer instanceof Dense d) {
      int inputWidth = d.parameterization() == Parameterization.STANDARD
          ? (int) s.widths.fanIn(1, at) : -1;
      tail.add(DenseKernel.affine(d, inputWidth, position));
      s.widths.set(d.width(), "out_dim", at);
      s.gaussian = true;
    } else if (layer instanceof Activation a) {
      CntkSteps.requireGaussian(s.gaussian, a.describe(), position);
      tail.add(new DenseNetwork.Activation(a.dual(), position, a.describe()));
      s.gaussian = false;
    } else if (layer instanceof Conv || layer instanceof AvgPool || layer instanceof GlobalAvgPool) {
      throw new ArchException(at + " needs a spatial input, but layer " + readoutPosition + " ("
          + readout.describe() + ") already removed the spatial dimensions");
    } else if (!(layer instanceof Identity || layer instanceof Flatten)) {
      throw new ArchException(at + " is not yet supported by the convolutional kernel (CNTK) after "
          + "the readout (layer " + readoutPosition + ", " + readout.describe() + "): branch and "
          + "normalise before it");
    }
  }

  private LayerNode spatial(Layer layer, Signal s, String at) {
    LayerNode n = new LayerNode();
    n.layer = layer;
    n.position = position;
    n.describe = layer.describe();
    n.in = s.grid;
    if (layer instanceof Conv c) {
      n.window = CntkSteps.window(c.filterHeight(), c.filterWidth(), c.strideHeight(), c.strideWidth(),
          c.padding(), s.grid, at);
      n.fanIn = c.parameterization() == Parameterization.STANDARD
          ? s.widths.fanIn(n.window.size(), at) : 0;
      s.widths.set(c.channels(), "out_chan", at);
      s.gaussian = true;
    } else if (layer instanceof Dense d) {
      n.window = Window.pointwise(s.grid);
      n.fanIn = d.parameterization() == Parameterization.STANDARD ? s.widths.fanIn(1, at) : 0;
      s.widths.set(d.width(), "out_dim", at);
      s.gaussian = true;
    } else if (layer instanceof AvgPool p) {
      n.window = CntkSteps.window(p.windowHeight(), p.windowWidth(), p.strideHeight(), p.strideWidth(),
          p.padding(), s.grid, at);
    } else if (layer instanceof Activation a) {
      CntkSteps.requireGaussian(s.gaussian, a.describe(), position);
      n.window = Window.pointwise(s.grid);
      s.gaussian = false;
    } else if (layer instanceof LayerNorm ln) {
      CntkSteps.perImage(ln, at);
      if (!s.gaussian) {
        throw new ArchException(at + " must follow Conv or Dense (or a FanInSum of them): its input "
            + "must be Gaussian (stax's rule)");
      }
      n.window = Window.pointwise(s.grid);
    } else {
      throw new ArchException(at + " has no kernel rule for images");
    }
    s.grid = n.window.out();
    return n;
  }

  private ForkNode fork(List<List<Layer>> branches, FanIn fanIn, int forkPosition, String describe,
      Signal s) {
    ForkNode f = new ForkNode();
    f.in = s.grid;
    f.position = forkPosition;
    f.describe = describe;
    List<Signal> ends = new ArrayList<>();
    for (List<Layer> b : branches) {
      Signal end = s.copy();
      List<Node> body = new ArrayList<>();
      chain(b, end, body, false);
      ends.add(end);
      f.branches.add(body);
    }
    position++;
    f.joinPosition = position;
    f.joinDescribe = fanIn.describe();
    String at = "layer " + position + " (" + fanIn.describe() + ")";
    for (Signal e : ends) {
      if (!e.grid.equals(ends.get(0).grid)) {
        throw new ArchException(at + " joins branches of different spatial sizes ("
            + ends.stream().map(x -> x.grid.toString()).toList() + "): give the branches the same "
            + "strides and padding");
      }
    }
    FanIn rule = fanIn;
    if (fanIn instanceof FanInConcat c) {
      if (c.axis() != -1 && c.axis() != 3) {
        throw new ArchException(at + " concatenates along axis " + c.axis() + ": on images (n, H, W, "
            + "C) the convolutional kernel supports the channel axis (-1 or 3)");
      }
      rule = new FanInConcat(-1);
    }
    List<KernelState> states = new ArrayList<>();
    for (Signal e : ends) {
      long w = e.widths.width();
      states.add(new KernelState(null, null, null, e.gaussian, w >= 1 && w <= Integer.MAX_VALUE
          ? (int) w : -1, Precision.F64));
    }
    FanInKernel join = FanInKernel.of(rule, position, states);
    for (int b = 1; b < branches.size(); b++) {
      f.joins.add(join.branchJoin(b));
    }
    KernelState after = join.joined(states.get(0));
    f.out = ends.get(0).grid;
    s.grid = f.out;
    s.gaussian = after.gaussian();
    s.widths = ends.get(0).widths;
    s.widths.set(after.width(), "out_chan", at);
    return f;
  }

  /**
   * The backward fold of the pair requirements.
   *
   * @param chain the nodes
   * @param outDiag whether the chain's output is only needed on its diagonal pairs
   * @return whether its input is
   */
  private static boolean fold(List<Node> chain, boolean outDiag) {
    boolean need = outDiag;
    for (int i = chain.size() - 1; i >= 0; i--) {
      Node n = chain.get(i);
      n.outDiag = need;
      if (n instanceof ForkNode f) {
        boolean all = true;
        for (List<Node> b : f.branches) {
          all &= fold(b, need);
        }
        need = all;
      } else if (((LayerNode) n).layer instanceof AvgPool) {
        need = false;
      }
      n.inDiag = need;
    }
    return need;
  }

  private void emit(List<Node> chain, Carried c, List<PixelStep> out) {
    for (Node n : chain) {
      if (!c.diag && n.inDiag) {
        out.add(new Diagonalize(n.in, n.position, "keep the diagonal pairs before " + n.describe));
        c.diag = true;
      }
      if (n instanceof ForkNode f) {
        out.add(new Fork(f.position, f.describe));
        boolean ntkZero = true;
        for (int b = 0; b < f.branches.size(); b++) {
          boolean last = b == f.branches.size() - 1;
          out.add(new Branch(last, f.in, c.diag, f.position, "branch " + (b + 1) + " of " + f.describe));
          Carried bc = new Carried(c.diag, c.ntkZero);
          emit(f.branches.get(b), bc, out);
          if (!bc.diag && f.outDiag) {
            out.add(new Diagonalize(f.out, f.joinPosition, "keep the diagonal pairs of branch "
                + (b + 1) + " before " + f.joinDescribe));
          }
          out.add(new Merge(b == 0 ? null : f.joins.get(b - 1), b, f.out, f.outDiag,
              f.joinPosition, f.joinDescribe));
          ntkZero &= bc.ntkZero;
        }
        out.add(new EndFork(f.joinPosition, f.joinDescribe));
        c.diag = f.outDiag;
        c.ntkZero = ntkZero;
      } else {
        layer((LayerNode) n, c, out);
      }
    }
  }

  private void layer(LayerNode n, Carried c, List<PixelStep> out) {
    Layer layer = n.layer;
    if (layer instanceof AvgPool) {
      out.add(new Pooling(n.window, n.position, n.describe));
      c.diag = false;
      if (n.outDiag) {
        out.add(new Diagonalize(n.window.out(), n.position, "keep the diagonal pairs after "
            + n.describe));
        c.diag = true;
      }
    } else if (layer instanceof Activation a) {
      out.add(new PixelActivation(a.dual(), n.in, c.diag, probes++, n.position, n.describe));
    } else if (layer instanceof LayerNorm ln) {
      out.add(new Normalize(n.in, c.diag, CntkSteps.perImage(ln, ""), ln.eps(), probes++, n.position,
          n.describe));
    } else if (layer instanceof Conv conv) {
      // a Conv is a Dense of the same parameters applied to each patch
      out.add(convolution(n, new Dense(conv.channels(), conv.wStd(), conv.bStd(), conv.hasBias(),
          conv.parameterization()), c));
    } else if (layer instanceof Dense d) {
      out.add(convolution(n, d, c));
    }
  }

  private static Convolution convolution(LayerNode n, Dense affine, Carried c) {
    Convolution step = CntkSteps.convolution(n.window, n.fanIn, affine, c.diag, c.ntkZero, n.position,
        n.describe);
    c.ntkZero = false;
    return step;
  }
}
