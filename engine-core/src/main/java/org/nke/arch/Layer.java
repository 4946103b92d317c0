package org.nke.arch;

/**
 * One layer of an infinite-width network, as in neural-tangents' {@code stax}. Layers are immutable
 * data; the kernels they induce are computed by {@code org.nke.exact} and {@code org.nke.sketch}.
 */
public sealed interface Layer permits Dense, Conv, AvgPool, GlobalAvgPool, Flatten, Identity,
    Activation, LayerNorm, FanOut, Parallel, FanIn {
  /** @return the layer as an architecture string, e.g. {@code Dense(W_std=1.5, b_std=0.1)} */
  String describe();
}
