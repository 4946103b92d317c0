package org.nke.arch;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.nke.error.ArchSyntaxException;

/**
 * Layer normalisation (stax {@code LayerNorm(axis=-1, eps=1e-12)}): each point's activations are
 * centred and divided by {@code √(var + eps)} over the given axes. In the infinite-width limit
 * (neural-tangents {@code stax.LayerNorm}'s kernel rule):
 *
 * <pre>{@code K'(x, y) = K(x, y) / √((K(x,x) + eps)(K(y,y) + eps)),   Θ'(x, y) = Θ(x, y) / √(…the same…)}</pre>
 *
 * Its input must be Gaussian (follow an affine layer or a sum of them), and Gaussianity is kept.
 *
 * @param axes the normalised axes of the activations: {@code [-1]} (the channels) for points; images
 *     (NHWC) may give the channel axis or {@code (1, 2, 3)} for the whole image
 * @param eps {@code eps ≥ 0}, added to each variance
 */
public record LayerNorm(List<Integer> axes, double eps) implements Layer {
  /** stax's default {@code eps}. */
  public static final double DEFAULT_EPS = 1e-12;

  /**
   * @param axes normalised axes; copied
   * @param eps added to each variance
   */
  public LayerNorm {
    axes = List.copyOf(axes);
    if (axes.isEmpty() || !(eps >= 0) || Double.isInfinite(eps)) {
      throw new IllegalArgumentException("LayerNorm needs at least one axis and a finite eps >= 0, "
          + "got axis=" + axes + ", eps=" + eps);
    }
  }

  /** @return {@code LayerNorm()} over the channels with stax's default {@code eps} */
  public static LayerNorm channels() {
    return new LayerNorm(List.of(-1), DEFAULT_EPS);
  }

  /** @return whether the layer normalises only the channel (last) axis */
  public boolean isChannelAxis() {
    return axes.equals(List.of(-1));
  }

  @Override
  public String describe() {
    StringBuilder sb = new StringBuilder("LayerNorm(");
    if (!isChannelAxis()) {
      sb.append("axis=").append(axes.size() == 1 ? String.valueOf(axes.get(0))
          : axes.stream().map(String::valueOf).collect(Collectors.joining(", ", "(", ")")));
    }
    if (eps != DEFAULT_EPS) {
      sb.append(isChannelAxis() ? "" : ", ").append("eps=")
          .append(String.format(Locale.ROOT, "%s", eps));
    }
    return sb.append(')').toString();
  }

  /**
   * Binds stax's signature {@code LayerNorm(axis=-1, eps=1e-12, batch_axis=0, channel_axis=-1)} one
   * parameter at a time.
   *
   * @param a the call's arguments
   * @return the layer
   * @throws org.nke.error.ArchSyntaxException for a bad argument, with a caret at it
   */
  public static LayerNorm bind(Args a) {
    List<Integer> axes = a.intList(0, "axis", List.of(-1));
    double eps = StaxParameters.positive(a, 1, "eps", a.number(1, "eps", LayerNorm.DEFAULT_EPS));
    int batch = a.integer(2, "batch_axis", 0);
    int channel = a.integer(3, "channel_axis", -1);
    a.finish();
    if (batch != 0 || channel != -1) {
      throw a.callError("LayerNorm supports batch_axis=0 and channel_axis=-1 (nke's NHWC layout), "
          + "got batch_axis=" + batch + ", channel_axis=" + channel);
    }
    if (axes.isEmpty()) {
      throw new ArchSyntaxException("axis must name at least one axis", a.source(),
          a.position(0, "axis"));
    }
    return new LayerNorm(axes, eps);
  }
}
