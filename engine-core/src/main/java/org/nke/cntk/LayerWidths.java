package org.nke.cntk;

import org.nke.error.ArchException;

/**
 * The width of each layer's input, as the standard parameterization reads it. stax takes it from the
 * shape of the finite network's activations ({@code k.shape1[channel_axis]}): the images' channel
 * count {@code C} first, then each Conv's {@code out_chan} and each Dense's {@code out_dim}; pools,
 * activations and GlobalAvgPool keep it, Flatten multiplies it by the pixels, {@code H·W·C}. A
 * standard-parameterised layer has fan-in {@code width · F} for an {@code F}-tap filter (stax
 * {@code get_fan_in}: input channels × filter size), {@code width} for a Dense.
 *
 * <p>stax's layers always have widths; nke lets them be omitted (the NTK parameterization ignores
 * them), so a standard-parameterised layer whose input width was omitted is an {@link ArchException}
 * naming both layers.
 */
final class LayerWidths {
  /** Current width, or −1 when the layer that set it gave none. */
  private long width;
  /** The layer (or the images) that set it, for messages. */
  private String setBy;
  /** The argument that declares it there ({@code out_chan} or {@code out_dim}). */
  private String argument = "";
  /** What the width counts ("channels", or "features" after the readout). */
  private String unit = "channels";

  /** @param channels the images' channel count {@code C} */
  LayerWidths(int channels) {
    this.width = channels;
    this.setBy = "the images";
  }

  /**
   * The fan-in of a standard-parameterised layer at the current position.
   *
   * @param taps filter size {@code F} (1 for a Dense)
   * @param at the layer, as {@code layer N (...)}
   * @return {@code width · taps}
   * @throws ArchException if the width is not known
   */
  double fanIn(int taps, String at) {
    if (width < 1) {
      throw new ArchException(at + " uses the standard parameterization, which needs the number of "
          + "its input " + unit + " (fan-in = input " + unit + (taps > 1 ? " x filter size" : "")
          + "), but " + setBy + " has no " + argument + ": give it one, e.g. "
          + (argument.equals("out_chan") ? "Conv(64, (3, 3), ...)" : "Dense(512, ...)"));
    }
    return (double) width * taps;
  }

  /**
   * After a Conv or Dense: its declared width becomes the next layer's input width.
   *
   * @param declared its width, −1 when omitted
   * @param argument the argument that declares it, {@code out_chan} or {@code out_dim}
   * @param at the layer
   */
  void set(int declared, String argument, String at) {
    width = declared;
    this.argument = argument;
    setBy = at;
  }

  /**
   * After the readout: Flatten makes the width {@code H·W·C}, GlobalAvgPool keeps {@code C}.
   *
   * @param pixels {@code H·W} for Flatten, 1 for GlobalAvgPool
   */
  void readout(int pixels) {
    if (width > 0) {
      width *= pixels;
    }
    unit = "features";
  }

  /** @return the current width, −1 when not known */
  long width() {
    return width;
  }

  /** @return an independent copy (for a branch) */
  LayerWidths copy() {
    LayerWidths c = new LayerWidths(1);
    c.width = width;
    c.setBy = setBy;
    c.argument = argument;
    c.unit = unit;
    return c;
  }
}
