package org.nke.arch;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Function;
import org.nke.error.ArchSyntaxException;

/**
 * The layers the parser knows by name (besides {@code serial}, {@code parallel}, the presets and the
 * activations of {@code DualCatalog}): the signatures of the {@link LayerCatalog}s on the classpath,
 * loaded once through {@link ServiceLoader} (engine-core registers {@code org.nke.exact.LayerTypes},
 * the one table of layer types, in {@value #SERVICES}). A layer type is not registered here: its
 * binding is its record's {@code bind} and its name is its line in that table.
 */
final class LayerFactory {
  /** The services file that names the catalogs. */
  static final String SERVICES = "META-INF/services/org.nke.arch.LayerCatalog";

  /** Every layer by its stax name, with its signature's binding (in the order of suggestions). */
  private static final Map<String, Function<Args, Layer>> LAYERS;

  /** Why there is no table ({@code null} when there is one), thrown at every use. */
  private static final String PROBLEM;

  static {
    Map<String, Function<Args, Layer>> layers = Map.of();
    String problem = null;
    try {
      layers = table(ServiceLoader.load(LayerCatalog.class, LayerCatalog.class.getClassLoader()));
    } catch (IllegalStateException | ServiceConfigurationError e) {
      problem = e.getMessage();
    }
    LAYERS = layers;
    PROBLEM = problem;
  }

  private LayerFactory() {
  }

  /**
   * Builds the table of layer names from the catalogs, in their order.
   *
   * @param catalogs the catalogs found
   * @return every name with its binding, unmodifiable, in the catalogs' order
   * @throws IllegalStateException when two types share a name, or when there is no catalog
   */
  static Map<String, Function<Args, Layer>> table(Iterable<? extends LayerCatalog> catalogs) {
    Map<String, Function<Args, Layer>> layers = new LinkedHashMap<>();
    Map<String, String> owners = new LinkedHashMap<>();
    for (LayerCatalog catalog : catalogs) {
      String owner = catalog.getClass().getName();
      for (LayerSignature s : catalog.signatures()) {
        String first = owners.putIfAbsent(s.name(), owner);
        if (first != null) {
          throw new IllegalStateException("two layer types are named '" + s.name() + "' (in "
              + first + " and in " + owner + "): a layer name must be registered once");
        }
        layers.put(s.name(), s.bind());
      }
    }
    if (layers.isEmpty()) {
      throw new IllegalStateException("no layer types found: engine-core's " + SERVICES
          + " is missing from the classpath (a shaded jar must merge service files)");
    }
    return Collections.unmodifiableMap(layers);
  }

  private static Map<String, Function<Args, Layer>> layers() {
    if (PROBLEM != null) {
      throw new IllegalStateException(PROBLEM);
    }
    return LAYERS;
  }

  /**
   * @return the layer names, for suggestions
   * @throws IllegalStateException when the layer types could not be loaded
   */
  static List<String> names() {
    return List.copyOf(layers().keySet());
  }

  /**
   * @param name the layer's name as called
   * @param a its arguments
   * @return the layer, or {@code null} if the name is not one of {@link #names()}
   * @throws ArchSyntaxException for bad arguments
   * @throws IllegalStateException when the layer types could not be loaded
   */
  static Layer create(String name, Args a) {
    Function<Args, Layer> binding = layers().get(name);
    return binding == null ? null : binding.apply(a);
  }
}
