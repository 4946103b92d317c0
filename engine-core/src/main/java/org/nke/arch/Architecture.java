package org.nke.arch;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A network as a sequence of layers (stax {@code serial}); with {@link Parallel} layers whose branches
 * are architectures themselves, a tree. Immutable, and well-formed by construction: branches made by
 * {@link FanOut} are given their layers by {@link Parallel} and joined by a {@link FanIn} before the
 * end (the rules of stax's branching syntax).
 *
 * @param layers the layers, input first
 */
public record Architecture(List<Layer> layers) {
  /**
   * @param layers the layers, input first; copied
   * @throws org.nke.error.ArchException if the branches do not follow stax's syntax
   */
  public Architecture {
    layers = List.copyOf(layers);
    try {
      Branching.check(layers);
    } catch (IllegalArgumentException e) {
      throw new org.nke.error.ArchException(e.getMessage() + ", in " + describe(layers));
    }
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

  /** @return whether any layer, in any branch, needs spatial (image) inputs */
  public boolean isConvolutional() {
    return layers.stream().anyMatch(l -> l.needsImages()
        || l instanceof Parallel p && p.branches().stream().anyMatch(Architecture::isConvolutional));
  }

  /** @return whether the network has a branching layer ({@link FanOut}, {@link Parallel}, a fan-in) */
  public boolean isBranching() {
    return layers.stream().anyMatch(l -> l instanceof FanOut || l instanceof Parallel
        || l instanceof FanIn);
  }

  /** @return the canonical architecture string */
  public String describe() {
    return describe(layers);
  }

  private static String describe(List<Layer> layers) {
    return "serial(" + layers.stream().map(Layer::describe).collect(Collectors.joining(", ")) + ")";
  }

  @Override
  public String toString() {
    return describe();
  }
}
