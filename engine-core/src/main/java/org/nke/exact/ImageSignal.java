package org.nke.exact;

import org.nke.arch.Padding;
import org.nke.error.ArchException;
import org.nke.ir.Grid;
import org.nke.ir.Window;

/**
 * What flows between the layers of a network on images at compile time, the image counterpart of a
 * compile-time {@link KernelState} (stax's shape checks): the spatial grid of the activations, whether
 * they are Gaussian (what activations and LayerNorm require), and their widths (what the standard
 * parameterization reads). A layer's {@link LayerKernel#imageSignal} checks its requirements against
 * it and returns the signal after the layer.
 *
 * @param grid the activations' grid {@code H × W}
 * @param gaussian whether they are mean-zero Gaussian (after Conv, Dense, a pooling or a FanInSum of
 *     those)
 * @param widths their widths
 */
public record ImageSignal(Grid grid, boolean gaussian, LayerWidths widths) {
  /**
   * @param grid the images' grid
   * @param channels the images' channels
   * @return the signal of the input images (not Gaussian, as in stax)
   */
  public static ImageSignal input(Grid grid, int channels) {
    return new ImageSignal(grid, false, LayerWidths.images(channels));
  }

  /**
   * A window on this signal's grid.
   *
   * @param fh filter height
   * @param fw filter width
   * @param sh vertical stride
   * @param sw horizontal stride
   * @param padding SAME or VALID
   * @param at the layer, for the message
   * @return the window
   * @throws ArchException if it does not fit the grid
   */
  public Window window(int fh, int fw, int sh, int sw, Padding padding, String at) {
    try {
      return Window.of(fh, fw, sh, sw, padding, grid);
    } catch (IllegalArgumentException e) {
      throw new ArchException(at + ": " + e.getMessage(), e);
    }
  }

  /**
   * @param g the new grid
   * @return the signal on it
   */
  public ImageSignal withGrid(Grid g) {
    return new ImageSignal(g, gaussian, widths);
  }

  /**
   * @param isGaussian whether the next input is Gaussian
   * @return the signal with it
   */
  public ImageSignal withGaussian(boolean isGaussian) {
    return new ImageSignal(grid, isGaussian, widths);
  }

  /**
   * @param w the new widths
   * @return the signal with them
   */
  public ImageSignal withWidths(LayerWidths w) {
    return new ImageSignal(grid, gaussian, w);
  }
}
