package org.nke.exact;

import org.nke.spi.KernelBlock;
import org.nke.spi.Precision;

/**
 * What flows between the layers of a dense network, the analogue of neural-tangents' {@code Kernel}
 * record: the pair block (NNGP and optionally NTK, owned by a backend, updated in place by its
 * primitives), the NNGP diagonals of both point sets (each point's variance, from the diagonal
 * recursion), whether the next layer's input is Gaussian, and the width of the activations. Layers
 * return a new state with {@code with…} methods, as stax's {@code k.replace(…)}.
 *
 * <p>The same record is folded three ways: at compile time with neither block nor variances (the
 * requirements: Gaussian inputs, widths), by the diagonal recursion with variances only, and by the
 * exact kernel with both.
 *
 * @param block the pair block, or {@code null} (compile time, diagonal recursion)
 * @param varX the row points' variances {@code K(x, x)}, or {@code null} at compile time
 * @param varY the column points' variances ({@code varX} itself when the block is symmetric)
 * @param gaussian whether the activations are mean-zero Gaussian (needed by activations, LayerNorm
 *     and FanInSum)
 * @param width the width of the activations, {@code -1} when not given (widths matter only for the
 *     standard parameterization and FanInConcat's weights)
 * @param precision the block's precision: float32 variances are rounded as the block stores them
 */
public record KernelState(KernelBlock block, double[] varX, double[] varY, boolean gaussian,
    int width, Precision precision) {

  /**
   * @param inputDim the input dimension {@code d}
   * @return the compile-time state of the input {@code K⁰ = x·y/d} (not Gaussian, as in stax)
   */
  static KernelState input(int inputDim) {
    return new KernelState(null, null, null, false, inputDim, Precision.F64);
  }

  /** @return whether the state carries variances (diagonal recursion or exact kernel) */
  boolean hasVariances() {
    return varX != null;
  }

  /** @return whether X and Y are the same points */
  boolean same() {
    return varY == varX;
  }

  /**
   * @param x the new row variances (rounded here to the precision); modified
   * @param y the new column variances, or {@code x} itself for the same points; modified
   * @return the state with them
   */
  KernelState withVariances(double[] x, double[] y) {
    round(x);
    if (y != x) {
      round(y);
    }
    return new KernelState(block, x, y, gaussian, width, precision);
  }

  /**
   * @param isGaussian whether the next input is Gaussian
   * @param newWidth the activations' width, or −1
   * @return the state with them
   */
  KernelState withSignal(boolean isGaussian, int newWidth) {
    return new KernelState(block, varX, varY, isGaussian, newWidth, precision);
  }

  /**
   * @param b the block now holding the kernels
   * @return the state with it
   */
  KernelState withBlock(KernelBlock b) {
    return new KernelState(b, varX, varY, gaussian, width, precision);
  }

  private void round(double[] v) {
    if (precision == Precision.F32) {
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) v[i];
      }
    }
  }
}
