package org.nke.arch;

import java.util.List;

/**
 * The layer types the parser knows by name, found through {@link java.util.ServiceLoader}: this package
 * cannot name the rules classes of {@code org.nke.exact} (no package cycle), so the one table of layer
 * types lives there ({@code org.nke.exact.LayerTypes}, registered once in engine-core's
 * {@code META-INF/services/org.nke.arch.LayerCatalog}) and hands the parser each type's name and stax
 * signature binding through this interface. Besides these the parser knows {@code serial},
 * {@code parallel}, the presets and the activations of {@code DualCatalog}.
 */
public interface LayerCatalog {
  /** @return each layer type's name and binding, in the order of suggestions; names are unique */
  List<LayerSignature> signatures();
}
