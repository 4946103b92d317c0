package org.nke.exact;

import java.util.ArrayList;
import java.util.List;
import org.nke.exact.DenseNetwork.Affine;
import org.nke.ir.Grid;
import org.nke.ir.PixelStep;
import org.nke.ir.PixelStep.Convolution;
import org.nke.ir.PixelStep.Diagonalize;
import org.nke.ir.PixelStep.Pooling;
import org.nke.ir.Window;

/**
 * The pixel-step program of a network on images as its layers' {@link LayerKernel#pixelSteps} rules
 * write it, with what the blocks carry at the current point: only the diagonal pixel pairs
 * {@code (p, p)} or all of them, and whether {@code Θ} is still identically zero (before the first
 * affine layer). The compiler ({@code org.nke.cntk.CntkCompiler}) sets, before each layer, whether
 * what follows needs only the diagonal pairs of the layer's output ({@link #outputDiagonal()}), and
 * numbers the variance probes (activations and normalisations, which read each image's per-pixel
 * variances).
 */
public final class PixelProgram {
  private final List<PixelStep> steps = new ArrayList<>();
  private boolean diagonal;
  private boolean ntkZero = true;
  private boolean outputDiagonal;
  private int probes;

  /** @param inputDiagonal whether the input kernel is only needed on the diagonal pairs */
  public PixelProgram(boolean inputDiagonal) {
    this.diagonal = inputDiagonal;
  }

  /** @return whether the blocks carry only the diagonal pairs at this point */
  public boolean diagonal() {
    return diagonal;
  }

  /** @return whether {@code Θ} is identically zero at this point */
  public boolean ntkZero() {
    return ntkZero;
  }

  /** @return whether what follows the current layer needs only the diagonal pairs of its output */
  public boolean outputDiagonal() {
    return outputDiagonal;
  }

  /**
   * @return the index of a new variance probe (a step that reads each image's per-pixel
   *     variances), in program order
   */
  public int probe() {
    return probes++;
  }

  /**
   * Appends a step that keeps what is carried (an activation, a normalisation, a fork's steps).
   *
   * @param step the step
   */
  public void add(PixelStep step) {
    steps.add(step);
  }

  /**
   * Appends the affine map of a Conv (or a pixelwise Dense, a 1 × 1 window) with the dense layer's
   * coefficients ({@link DenseKernel#affine}, {@code N_in} the fan-in {@code C_in·F} under the
   * standard parameterization): {@code Θ ← a·S(K)/F + b·S(Θ)/F + c}, {@code K ← w²·S(K)/F + β²}.
   *
   * @param window the filter geometry
   * @param a the coefficients
   * @param position the layer's index
   * @param describe the layer as written
   */
  public void affine(Window window, Affine a, int position, String describe) {
    steps.add(new Convolution(window, diagonal, a.w2(), a.b2(), a.ntkFromNngp(), a.ntkFromNtk(),
        a.ntkConstant(), ntkZero, position, describe));
    ntkZero = false;
  }

  /**
   * Appends an average pooling, which reads and writes all pixel pairs, then keeps only the diagonal
   * pairs of its output when that is all that follows needs.
   *
   * @param window the pooling geometry
   * @param position the layer's index
   * @param describe the layer as written
   */
  public void pool(Window window, int position, String describe) {
    steps.add(new Pooling(window, position, describe));
    diagonal = false;
    if (outputDiagonal) {
      diagonalize(window.out(), position, "keep the diagonal pairs after " + describe);
    }
  }

  /**
   * Appends a step keeping only the diagonal pairs.
   *
   * @param grid the grid
   * @param position the layer before or after which it happens
   * @param describe what it is for
   */
  public void diagonalize(Grid grid, int position, String describe) {
    steps.add(new Diagonalize(grid, position, describe));
    diagonal = true;
  }

  /**
   * For the compiler: sets what is carried (at a branch's start, after a fan-in).
   *
   * @param isDiagonal only the diagonal pairs
   * @param isNtkZero {@code Θ} identically zero
   */
  public void carry(boolean isDiagonal, boolean isNtkZero) {
    this.diagonal = isDiagonal;
    this.ntkZero = isNtkZero;
  }

  /**
   * For the compiler: whether what follows the next layer needs only its output's diagonal pairs.
   *
   * @param isDiagonal only the diagonal pairs
   */
  public void followedByDiagonal(boolean isDiagonal) {
    this.outputDiagonal = isDiagonal;
  }

  /** @return the steps so far (read-only) */
  public List<PixelStep> steps() {
    return List.copyOf(steps);
  }
}
