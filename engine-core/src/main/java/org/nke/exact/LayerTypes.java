package org.nke.exact;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.nke.arch.Args;
import org.nke.arch.AvgPool;
import org.nke.arch.Conv;
import org.nke.arch.Dense;
import org.nke.arch.FanInConcat;
import org.nke.arch.FanInProd;
import org.nke.arch.FanInSum;
import org.nke.arch.FanOut;
import org.nke.arch.Flatten;
import org.nke.arch.GlobalAvgPool;
import org.nke.arch.Identity;
import org.nke.arch.Layer;
import org.nke.arch.LayerCatalog;
import org.nke.arch.LayerNorm;
import org.nke.arch.LayerSignature;
import org.nke.arch.SumPool;

/**
 * The one table of layer types: each type once, on one line, with its stax name, its record class,
 * its stax signature's binding (the record's {@code bind}) and its rules factory. The parser reads the
 * names and bindings as a {@link LayerCatalog} through {@link java.util.ServiceLoader} (registered in
 * engine-core's {@code META-INF/services/org.nke.arch.LayerCatalog}, which is not edited per layer);
 * {@link LayerKernel} looks the rules up by record class. Adding a layer is its record with
 * {@code bind} in {@code org.nke.arch}, its rules class here and one line below
 * ({@code docs/adding-a-layer.md}).
 *
 * <p>The order is that of the parser's suggestions. Fan-outs, fan-ins and {@code GlobalAvgPool} have
 * no rules factory: the compilers handle them as structure ({@link FanInKernel} for the joins, the
 * CNTK readout for {@code GlobalAvgPool}). Activations are not here: they are parsed through
 * {@code DualCatalog} and get {@link ActivationKernel}.
 */
public final class LayerTypes implements LayerCatalog {
  /** The {@code inputWidth} a rules factory is given for a network on images. */
  static final int ON_IMAGES = Integer.MIN_VALUE;

  private static final List<Type<?>> TYPES = List.of(
      type("Dense", Dense.class, Dense::bind, (d, at, width) -> width == ON_IMAGES
          ? new DenseKernel(d, at) : new DenseKernel(d, at, width)),     // on images: no N_in
      type("Conv", Conv.class, Conv::bind, (c, at, w) -> new ConvKernel(c, at)),
      type("AvgPool", AvgPool.class, AvgPool::bind, (p, at, w) -> new AvgPoolKernel(p, at)),
      type("SumPool", SumPool.class, SumPool::bind, (p, at, w) -> new SumPoolKernel(p, at)),
      structure("GlobalAvgPool", GlobalAvgPool.class, GlobalAvgPool::bind),   // a CNTK readout
      type("Flatten", Flatten.class, Flatten::bind, (f, at, w) -> new IdentityKernel(f, at)),
      type("Identity", Identity.class, Identity::bind, (i, at, w) -> new IdentityKernel(i, at)),
      structure("FanOut", FanOut.class, FanOut::bind),
      structure("FanInSum", FanInSum.class, FanInSum::bind),
      structure("FanInProd", FanInProd.class, FanInProd::bind),
      structure("FanInConcat", FanInConcat.class, FanInConcat::bind),
      type("LayerNorm", LayerNorm.class, LayerNorm::bind, (n, at, w) -> new LayerNormKernel(n, at)));

  private static final Map<Class<? extends Layer>, Type<?>> BY_CLASS = byClass();

  /** For {@link java.util.ServiceLoader}. */
  public LayerTypes() {
  }

  /**
   * Builds a layer's rules.
   *
   * @param <L> the layer's record
   */
  @FunctionalInterface
  interface Rules<L extends Layer> {
    /**
     * @param layer the layer
     * @param position its 1-based index, for messages
     * @param inputWidth on vectors the width of its input (or −1), on images
     *     {@link LayerTypes#ON_IMAGES}
     * @return its rules
     */
    LayerKernel create(L layer, int position, int inputWidth);
  }

  /**
   * One layer type.
   *
   * @param name its stax name
   * @param record its record class
   * @param bind its stax signature's binding
   * @param rules its rules factory, or {@code null} for a type the compilers handle as structure
   * @param <L> the record
   */
  record Type<L extends Layer>(String name, Class<L> record, Function<Args, L> bind,
      Rules<? super L> rules) {
    LayerSignature signature() {
      return new LayerSignature(name, bind::apply);
    }

    LayerKernel kernel(Layer layer, int position, int inputWidth) {
      return rules.create(record.cast(layer), position, inputWidth);
    }
  }

  private static <L extends Layer> Type<L> type(String name, Class<L> record,
      Function<Args, L> bind, Rules<? super L> rules) {
    return new Type<>(name, record, bind, rules);
  }

  private static <L extends Layer> Type<L> structure(String name, Class<L> record,
      Function<Args, L> bind) {
    return new Type<>(name, record, bind, null);
  }

  private static Map<Class<? extends Layer>, Type<?>> byClass() {
    Map<Class<? extends Layer>, Type<?>> m = new LinkedHashMap<>();
    for (Type<?> t : TYPES) {
      if (m.put(t.record(), t) != null) {
        throw new IllegalStateException("layer record " + t.record().getName()
            + " is in LayerTypes twice");
      }
    }
    return Map.copyOf(m);
  }

  /** @return every layer type, in the table's order */
  static List<Type<?>> types() {
    return TYPES;
  }

  /**
   * @param layer a layer
   * @param position its 1-based index, for messages
   * @param inputWidth on vectors the width of its input (or −1), on images {@link LayerTypes#ON_IMAGES}
   * @return its rules, or {@code null} when its type has none here (an activation, structure, or a
   *     type not in the table)
   */
  static LayerKernel rules(Layer layer, int position, int inputWidth) {
    Type<?> t = BY_CLASS.get(layer.getClass());
    return t == null || t.rules() == null ? null : t.kernel(layer, position, inputWidth);
  }

  @Override
  public List<LayerSignature> signatures() {
    return TYPES.stream().map(Type::signature).toList();
  }
}
