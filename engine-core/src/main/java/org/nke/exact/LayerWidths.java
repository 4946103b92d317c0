package org.nke.exact;

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
public final class LayerWidths {
  /** Current width, or −1 when the layer that set it gave none. */
  private final long width;
  /** The layer (or the images) that set it, for messages. */
  private final String setBy;
  /** The argument that declares it there ({@code out_chan} or {@code out_dim}). */
  private final String argument;
  /** What the width counts ("channels", or "features" after the readout). */
  private final String unit;

  private LayerWidths(long width, String setBy, String argument, String unit) {
    this.width = width;
    this.setBy = setBy;
    this.argument = argument;
    this.unit = unit;
  }

  /**
   * @param channels the images' channel count {@code C}
   * @return the widths at the input
   */
  public static LayerWidths images(int channels) {
    return new LayerWidths(channels, "the images", "", "channels");
  }

  /**
   * The fan-in of a standard-parameterised layer at the current position.
   *
   * @param taps filter size {@code F} (1 for a Dense)
   * @param at the layer, as {@code layer N (...)}
   * @return {@code width · taps}
   * @throws ArchException if the width is not known
   */
  public double fanIn(int taps, String at) {
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
   * @param declaredBy the argument that declares it, {@code out_chan} or {@code out_dim}
   * @param at the layer
   * @return the widths after it
   */
  public LayerWidths declared(long declared, String declaredBy, String at) {
    return new LayerWidths(declared, at, declaredBy, unit);
  }

  /**
   * After the readout: Flatten makes the width {@code H·W·C}, GlobalAvgPool keeps {@code C}.
   *
   * @param pixels {@code H·W} for Flatten, 1 for GlobalAvgPool
   * @return the widths after it
   */
  public LayerWidths readout(int pixels) {
    return new LayerWidths(width > 0 ? width * pixels : width, setBy, argument, "features");
  }

  /** @return the current width, −1 when not known */
  public long width() {
    return width;
  }
}
