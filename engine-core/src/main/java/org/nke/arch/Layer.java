package org.nke.arch;

/**
 * One layer of an infinite-width network, as in neural-tangents' {@code stax}. Layers are immutable
 * data; the kernels they induce are computed by {@code org.nke.exact} and {@code org.nke.sketch}.
 * A layer type's record binds its own stax signature (a static {@code bind(Args)}, e.g.
 * {@link SumPool#bind}) and is registered once, on one line of {@code org.nke.exact.LayerTypes} (name,
 * record, binding, rules), which the parser finds through {@link LayerCatalog}; a type without rules
 * is a named error when a network using it is compiled.
 */
public interface Layer {
  /** @return the layer as an architecture string, e.g. {@code Dense(W_std=1.5, b_std=0.1)} */
  String describe();

  /**
   * @return whether the layer exists only on images {@code (n, H, W, C)} (Conv, the poolings): a
   *     network with one takes its inputs as images, and one after the readout is a named error
   */
  default boolean needsImages() {
    return false;
  }
}
