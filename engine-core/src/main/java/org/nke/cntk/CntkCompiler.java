package org.nke.cntk;

import java.util.ArrayList;
import java.util.List;
import org.nke.arch.Activation;
import org.nke.arch.Architecture;
import org.nke.arch.Dense;
import org.nke.arch.FanIn;
import org.nke.arch.FanInConcat;
import org.nke.arch.FanOut;
import org.nke.arch.Flatten;
import org.nke.arch.GlobalAvgPool;
import org.nke.arch.Identity;
import org.nke.arch.Layer;
import org.nke.error.ArchException;
import org.nke.exact.DenseKernel;
import org.nke.exact.DenseNetwork;
import org.nke.exact.FanInKernel;
import org.nke.exact.ImageSignal;
import org.nke.exact.KernelState;
import org.nke.exact.LayerKernel;
import org.nke.exact.PixelProgram;
import org.nke.ir.Grid;
import org.nke.ir.Join;
import org.nke.ir.PixelStep.Branch;
import org.nke.ir.PixelStep.EndFork;
import org.nke.ir.PixelStep.Fork;
import org.nke.ir.PixelStep.Merge;
import org.nke.ir.PixelStep.Readout;
import org.nke.ir.PixelStep;
import org.nke.spi.Precision;

/**
 * Compiles an architecture tree for image inputs into a {@link CntkNetwork} in three passes: forward,
 * each layer's {@link LayerKernel#imageSignal} rule (stax's checks: grids, Gaussianity, widths) into
 * a tree of nodes, with each fan-in's rules taken from the dense kernel's {@link FanInKernel} (one home
 * for a join's formula); backward, which pixel pairs each node needs of its input (a layer that
 * {@link LayerKernel#mixesPixels mixes pixels} needs all, a fork the union of its branches' needs);
 * forward again, the flat step program from each layer's {@link LayerKernel#pixelSteps} rule,
 * inserting a {@link org.nke.ir.PixelStep.Diagonalize} wherever the carried blocks hold more pairs
 * than the next node needs. The compiler itself knows only the structure: fan-outs and fan-ins, the
 * readout (Flatten, GlobalAvgPool) that ends the spatial part, and the dense layers after it. Layers
 * are numbered depth first, as on points.
 */
final class CntkCompiler {
  /** A node of the spatial tree with its pair requirements. */
  private abstract static class Node {
    Grid in;
    int position;
    String describe;
    boolean inDiag;
    boolean outDiag;
  }

  /** One spatial layer, with its rules and the signal before it. */
  private static final class LayerNode extends Node {
    LayerKernel kernel;
    ImageSignal signal;
  }

  /** {@code FanOut(n), parallel(…), FanIn}. */
  private static final class ForkNode extends Node {
    final List<List<Node>> branches = new ArrayList<>();
    final List<Join> joins = new ArrayList<>();
    Grid out;
    int joinPosition;
    String joinDescribe;
  }

  private final List<DenseNetwork.Step> tail = new ArrayList<>();
  private int position;
  private Layer readout;
  private int readoutPosition;
  private Grid readoutGrid;

  private CntkCompiler() {
  }

  static CntkNetwork compile(Architecture arch, Grid grid, int channels) {
    CntkCompiler c = new CntkCompiler();
    List<Node> top = new ArrayList<>();
    ImageSignal s = c.chain(arch.layers(), ImageSignal.input(grid, channels), top, true);
    if (c.readout == null) {
      throw new ArchException("the network's output is still spatial (" + s.grid() + " pixels): end "
          + "the convolutional part with Flatten() or GlobalAvgPool() before the readout, as in "
          + "\"Conv(64, (3, 3), padding='SAME'), Relu(), Flatten(), Dense()\"");
    }
    boolean flatten = c.readout instanceof Flatten;
    boolean inputDiag = fold(top, flatten);
    PixelProgram program = new PixelProgram(inputDiag);
    emit(top, program);
    Grid last = c.readoutGrid;
    if (!program.diagonal() && flatten) {
      program.diagonalize(last, c.readoutPosition, "keep the diagonal pairs before "
          + c.readout.describe());
    }
    program.add(new Readout(flatten, last, program.diagonal(), c.readoutPosition,
        c.readout.describe()));
    return new CntkNetwork(grid, channels, inputDiag, program.steps(), c.tail);
  }

  /** @return the signal after the chain */
  private ImageSignal chain(List<Layer> layers, ImageSignal s, List<Node> out, boolean top) {
    for (int i = 0; i < layers.size(); i++) {
      Layer layer = layers.get(i);
      position++;
      String at = "layer " + position + " (" + layer.describe() + ")";
      if (readout != null) {
        s = tail(layer, s, at);
      } else if (layer instanceof FanOut f) {
        List<List<Layer>> branches = f.branches(layers, i);
        int forkPosition = position;
        int parallels = FanOut.parallels(layers, i);
        position += parallels;
        i += parallels + 1;
        ForkNode node = new ForkNode();
        s = fork(node, branches, (FanIn) layers.get(i), forkPosition, f.describe(), s);
        out.add(node);
      } else if (layer instanceof Flatten || layer instanceof GlobalAvgPool) {
        if (!top) {
          throw new ArchException(at + " is inside a branch: the convolutional kernel (CNTK) needs "
              + "the branches joined before the readout (Flatten or GlobalAvgPool)");
        }
        readout = layer;
        readoutPosition = position;
        readoutGrid = s.grid();
        s = new ImageSignal(s.grid(), s.gaussian() && layer instanceof GlobalAvgPool,
            s.widths().readout(layer instanceof Flatten ? s.grid().pixels() : 1));
      } else {
        LayerNode n = new LayerNode();
        n.kernel = LayerKernel.forImages(layer, position);
        n.signal = s;
        n.position = position;
        n.describe = layer.describe();
        n.in = s.grid();
        s = n.kernel.imageSignal(s);
        out.add(n);
      }
    }
    return s;
  }

  /**
   * A layer after the readout: the dense tail, with the layer's own image rule for its requirements
   * and widths (the readout's grid stands for one pixel) and its scalar step for the pairs.
   */
  private ImageSignal tail(Layer layer, ImageSignal s, String at) {
    if (layer instanceof Dense d) {
      tail.add(DenseKernel.affine(d, s, position));
      return LayerKernel.forImages(d, position).imageSignal(s);
    } else if (layer instanceof Activation a) {
      ImageSignal after = LayerKernel.forImages(a, position).imageSignal(s);
      tail.add(new DenseNetwork.Activation(a.dual(), position, a.describe()));
      return after;
    } else if (layer.needsImages()) {
      throw new ArchException(at + " needs a spatial input, but layer " + readoutPosition + " ("
          + readout.describe() + ") already removed the spatial dimensions");
    } else if (!(layer instanceof Identity || layer instanceof Flatten)) {
      throw new ArchException(at + " is not yet supported by the convolutional kernel (CNTK) after "
          + "the readout (layer " + readoutPosition + ", " + readout.describe() + "): branch and "
          + "normalise before it");
    }
    return s;
  }

  /** @return the signal after the fan-in */
  private ImageSignal fork(ForkNode f, List<List<Layer>> branches, FanIn fanIn, int forkPosition,
      String describe, ImageSignal s) {
    f.in = s.grid();
    f.position = forkPosition;
    f.describe = describe;
    List<ImageSignal> ends = new ArrayList<>();
    for (List<Layer> b : branches) {
      List<Node> body = new ArrayList<>();
      ends.add(chain(b, s, body, false));
      f.branches.add(body);
    }
    position++;
    f.joinPosition = position;
    f.joinDescribe = fanIn.describe();
    String at = "layer " + position + " (" + fanIn.describe() + ")";
    for (ImageSignal e : ends) {
      if (!e.grid().equals(ends.get(0).grid())) {
        throw new ArchException(at + " joins branches of different spatial sizes ("
            + ends.stream().map(x -> x.grid().toString()).toList() + "): give the branches the "
            + "same strides and padding");
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
    for (ImageSignal e : ends) {
      long w = e.widths().width();
      states.add(new KernelState(null, null, null, e.gaussian(), w >= 1 && w <= Integer.MAX_VALUE
          ? (int) w : -1, Precision.F64));
    }
    FanInKernel join = FanInKernel.of(rule, position, states);
    for (int b = 1; b < branches.size(); b++) {
      f.joins.add(join.branchJoin(b));
    }
    KernelState after = join.joined(states.get(0));
    f.out = ends.get(0).grid();
    return new ImageSignal(f.out, after.gaussian(),
        ends.get(0).widths().declared(after.width(), "out_chan", at));
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
      } else if (((LayerNode) n).kernel.mixesPixels()) {
        need = false;
      }
      n.inDiag = need;
    }
    return need;
  }

  private static void emit(List<Node> chain, PixelProgram p) {
    for (Node n : chain) {
      if (!p.diagonal() && n.inDiag) {
        p.diagonalize(n.in, n.position, "keep the diagonal pairs before " + n.describe);
      }
      if (n instanceof ForkNode f) {
        p.add(new Fork(f.position, f.describe));
        boolean diag = p.diagonal();
        boolean ntkZero = p.ntkZero();
        boolean joinedNtkZero = true;
        for (int b = 0; b < f.branches.size(); b++) {
          boolean last = b == f.branches.size() - 1;
          p.add(new Branch(last, f.in, diag, f.position, "branch " + (b + 1) + " of "
              + f.describe));
          p.carry(diag, ntkZero);
          emit(f.branches.get(b), p);
          if (!p.diagonal() && f.outDiag) {
            p.diagonalize(f.out, f.joinPosition, "keep the diagonal pairs of branch " + (b + 1)
                + " before " + f.joinDescribe);
          }
          p.add(new Merge(b == 0 ? null : f.joins.get(b - 1), b, f.out, f.outDiag,
              f.joinPosition, f.joinDescribe));
          joinedNtkZero &= p.ntkZero();
        }
        p.add(new EndFork(f.joinPosition, f.joinDescribe));
        p.carry(f.outDiag, joinedNtkZero);
      } else {
        LayerNode l = (LayerNode) n;
        p.followedByDiagonal(l.outDiag);
        l.kernel.pixelSteps(l.signal, p);
      }
    }
  }
}
