package org.nke.arch;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A network as a sequence of layers (stax {@code serial}). Immutable.
 *
 * @param layers the layers, input first
 */
public record Architecture(List<Layer> layers) {
  /** @param layers the layers, input first; copied */
  public Architecture {
    layers = List.copyOf(layers);
  }

  /**
   * Parses an architecture string (see {@code shared/spec/architecture.md}).
   *
   * @param source e.g. {@code "Dense(W_std=1.5), Relu(), Dense()"}
   * @return the architecture
   * @throws org.nke.error.ArchSyntaxException for a malformed string
   * @throws org.nke.error.UnknownLayerException for an unknown name
   */
  public static Architecture parse(String source) {
    return ArchParser.parse(source);
  }

  /**
   * @param layers the layers, input first
   * @return {@code serial(layers…)}
   */
  public static Architecture serial(Layer... layers) {
    return new Architecture(List.of(layers));
  }

  /** @return whether any layer needs spatial (image) inputs */
  public boolean isConvolutional() {
    return layers.stream().anyMatch(l -> l instanceof Conv || l instanceof AvgPool
        || l instanceof GlobalAvgPool);
  }

  /** @return the canonical architecture string */
  public String describe() {
    return "serial(" + layers.stream().map(Layer::describe).collect(Collectors.joining(", ")) + ")";
  }

  @Override
  public String toString() {
    return describe();
  }
}
