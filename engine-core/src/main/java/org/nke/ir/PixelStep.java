package org.nke.ir;

import org.nke.dual.DualActivation;

/**
 * One step of the exact CNTK's program on pixel-pair blocks, as {@code org.nke.cntk.CntkNetwork}
 * compiles it and {@code org.nke.spi.ConvOps} applies it; {@code position} is the 1-based layer index
 * for messages. Data only: the maths of each step is documented (and implemented for the host) in
 * {@code org.nke.cntk}. Each step derives its cost and memory rules from its data:
 * {@link #entries()}, {@link #flops(boolean)} and {@link #variances()}, which the network folds into
 * its working set and its estimate ({@code CntkNetwork.maxBlockEntries()}, {@code estimate}).
 */
public sealed interface PixelStep permits PixelStep.Convolution, PixelStep.Pooling,
    PixelStep.PixelActivation, PixelStep.Normalize, PixelStep.Move, PixelStep.Merge,
    PixelStep.Readout {
  /** @return 1-based index of the layer in the architecture */
  int position();

  /** @return the layer as written */
  String describe();

  /**
   * The memory rule: entries of the largest pixel-pair block the step reads or writes per image pair
   * ({@link Grid#blockEntries}), 0 for the stack moves.
   *
   * @return entries per image pair (per kernel)
   */
  long entries();

  /**
   * The cost rule: floating-point operations per image pair, as a documented count (a window sum of
   * {@code F} terms is {@code F} flops, a multiply-add two).
   *
   * @param withNtk whether {@code Θ} is carried
   * @return flops per image pair
   */
  double flops(boolean withNtk);

  /**
   * @return doubles per image the step keeps from the diagonal recursion for the pairwise phase (the
   *     variance probes: each pixel's variance before an activation or a LayerNorm), else 0
   */
  long variances();

  /**
   * A step that only moves blocks (the fan-out stack, a branch's copy, a gather of the diagonal): no
   * flops and no variances; it gives only the entries it reads or writes.
   */
  sealed interface Move extends PixelStep permits Fork, Branch, EndFork, Diagonalize {
    /** @return 0: no arithmetic */
    @Override
    default double flops(boolean withNtk) {
      return 0;
    }

    /** @return 0: no variance probe */
    @Override
    default long variances() {
      return 0;
    }
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
   *     {@code C_in·F} in the standard one ({@code Conv})
   * @param ntkFromNtk {@code b} ({@code σ_w²})
   * @param ntkConstant {@code c}: {@code σ_b²} in the NTK parameterization; in the standard one 1 if
   *     {@code b_std} was given, else 0
   * @param ntkZero whether {@code Θ} is identically zero on entry ({@code Θ⁰ = 0} before the first
   *     affine layer), so that {@code S(Θ)} is skipped
   * @param position layer index
   * @param describe layer text
   */
  record Convolution(Window window, boolean diagonal, double w2, double b2, double ntkFromNngp,
      double ntkFromNtk, double ntkConstant, boolean ntkZero, int position, String describe)
      implements PixelStep {
    @Override
    public long entries() {
      return Math.max(window.in().blockEntries(diagonal), window.out().blockEntries(diagonal));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Per output entry {@code E = out.blockEntries(diagonal)}: the window sum {@code S(K)},
     * {@code F} terms, and {@code w²·S/F + β²}, 2; with {@code Θ} the sum {@code S(Θ)} and
     * {@code a·S(K)/F + b·S(Θ)/F + c}, {@code F + 4} ({@code 2} when {@code ntkZero}). The direct sum
     * is counted; the host's separable sums do fewer additions on full blocks.
     */
    @Override
    public double flops(boolean withNtk) {
      double e = window.out().blockEntries(diagonal);
      int f = window.size();
      return e * (f + 2) + (withNtk ? e * (ntkZero ? 2 : f + 4) : 0);
    }

    @Override
    public long variances() {
      return 0;
    }
  }

  /**
   * AvgPool: {@code K'(P, Q) = Σ_{p∈P, q∈Q} K(p, q) / (f_h f_w)²}, the same for {@code Θ}; full pairs.
   *
   * @param window pooling geometry
   * @param position layer index
   * @param describe layer text
   */
  record Pooling(Window window, int position, String describe) implements PixelStep {
    @Override
    public long entries() {
      return Math.max(window.in().blockEntries(false), window.out().blockEntries(false));
    }

    /**
     * {@inheritDoc}
     *
     * <p>{@code (H'·W')²·(F² + 1)} per kernel: every output pair sums the {@code F²} pixel pairs of its
     * two windows ({@code F = f_h·f_w}) and is scaled once (the direct sum; the host's is separable).
     */
    @Override
    public double flops(boolean withNtk) {
      double f = window.size();
      return window.out().blockEntries(false) * (f * f + 1) * (withNtk ? 2 : 1);
    }

    @Override
    public long variances() {
      return 0;
    }
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
  record PixelActivation(DualActivation dual, Grid grid, boolean diagonal, int index, int position,
      String describe) implements PixelStep {
    @Override
    public long entries() {
      return grid.blockEntries(diagonal);
    }

    /** @return the dual's cost rule ({@link DualActivation#flopsPerEntry}) on every carried entry */
    @Override
    public double flops(boolean withNtk) {
      return grid.blockEntries(diagonal) * dual.flopsPerEntry(withNtk);
    }

    /** @return the grid's pixels: each pixel's variance before the activation */
    @Override
    public long variances() {
      return grid.pixels();
    }
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
  record Normalize(Grid grid, boolean diagonal, boolean perImage, double eps, int index,
      int position, String describe) implements PixelStep {
    @Override
    public long entries() {
      return grid.blockEntries(diagonal);
    }

    /** @return {@link Normalization#FLOPS} per carried entry and kernel */
    @Override
    public double flops(boolean withNtk) {
      return grid.blockEntries(diagonal) * Normalization.FLOPS * (withNtk ? 2 : 1);
    }

    /** @return the grid's pixels: each pixel's variance before the LayerNorm */
    @Override
    public long variances() {
      return grid.pixels();
    }

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
  record Fork(int position, String describe) implements Move {
    /** @return 0: it keeps the current blocks */
    @Override
    public long entries() {
      return 0;
    }
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
  record Branch(boolean last, Grid grid, boolean diagonal, int position, String describe)
      implements Move {
    /** @return the blocks it copies */
    @Override
    public long entries() {
      return grid.blockEntries(diagonal);
    }
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
  record Merge(Join join, int branch, Grid grid, boolean diagonal, int position,
      String describe) implements PixelStep {
    @Override
    public long entries() {
      return grid.blockEntries(diagonal);
    }

    /** @return the join's cost rule ({@link Join#flops}) on every carried entry; 0 for branch 0 */
    @Override
    public double flops(boolean withNtk) {
      return join == null ? 0 : grid.blockEntries(diagonal) * join.flops(withNtk);
    }

    @Override
    public long variances() {
      return 0;
    }
  }

  /**
   * Ends a fan-in: its accumulator becomes the current blocks.
   *
   * @param position index of the fan-in layer
   * @param describe layer text
   */
  record EndFork(int position, String describe) implements Move {
    /** @return 0: the accumulator becomes the current blocks */
    @Override
    public long entries() {
      return 0;
    }
  }

  /**
   * Keeps only the diagonal pairs {@code (p, p)} of a full block.
   *
   * @param grid the grid
   * @param position index of the layer before which it happens
   * @param describe what it is for
   */
  record Diagonalize(Grid grid, int position, String describe) implements Move {
    /** @return the full block it reads */
    @Override
    public long entries() {
      return grid.blockEntries(false);
    }
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
  record Readout(boolean flatten, Grid grid, boolean diagonal, int position, String describe)
      implements PixelStep {
    @Override
    public long entries() {
      return grid.blockEntries(diagonal);
    }

    /** @return the sum of the carried entries and one division, per kernel */
    @Override
    public double flops(boolean withNtk) {
      return (grid.blockEntries(diagonal) + 1.0) * (withNtk ? 2 : 1);
    }

    @Override
    public long variances() {
      return 0;
    }
  }
}
