package org.nke.arch;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.Locale;
import org.nke.error.ArchSyntaxException;

/**
 * The layers the parser knows by name (besides {@code serial}, {@code parallel}, the presets and the
 * activations of {@code DualCatalog}), each built from its stax signature one parameter at a time so
 * that a bad argument gets a caret: the one place a new layer type is registered for parsing.
 */
final class LayerFactory {
  /** Every layer by its stax name, with its signature's binding (in the order of suggestions). */
  private static final Map<String, Function<Args, Layer>> LAYERS = layers();

  /** The layer names, for suggestions. */
  static final List<String> NAMES = List.copyOf(LAYERS.keySet());

  private LayerFactory() {
  }

  private static Map<String, Function<Args, Layer>> layers() {
    Map<String, Function<Args, Layer>> m = new LinkedHashMap<>();
    m.put("Dense", LayerFactory::dense);
    m.put("Conv", LayerFactory::conv);
    m.put("AvgPool", LayerFactory::avgPool);
    m.put("SumPool", LayerFactory::sumPool);
    m.put("GlobalAvgPool", a -> {
      a.ignore(0, "batch_axis");
      a.ignore(1, "channel_axis");
      a.finish();
      return new GlobalAvgPool();
    });
    m.put("Flatten", a -> {
      a.ignore(0, "batch_axis");
      a.ignore(1, "batch_axis_out");
      a.finish();
      return new Flatten();
    });
    m.put("Identity", a -> {
      a.finish();
      return new Identity();
    });
    m.put("FanOut", LayerFactory::fanOut);
    m.put("FanInSum", a -> {
      a.finish();
      return new FanInSum();
    });
    m.put("FanInProd", a -> {
      a.finish();
      return new FanInProd();
    });
    m.put("FanInConcat", LayerFactory::fanInConcat);
    m.put("LayerNorm", LayerFactory::layerNorm);
    return Collections.unmodifiableMap(m);
  }

  /**
   * @param name the layer's name as called
   * @param a its arguments
   * @return the layer, or {@code null} if the name is not one of {@link #NAMES}
   * @throws ArchSyntaxException for bad arguments
   */
  static Layer create(String name, Args a) {
    Function<Args, Layer> binding = LAYERS.get(name);
    return binding == null ? null : binding.apply(a);
  }

  private static Parameterization parameterization(Args a, int index) {
    String p = a.string(index, "parameterization", "ntk").toLowerCase(Locale.ROOT);
    return switch (p) {
      case "ntk" -> Parameterization.NTK;
      case "standard" -> Parameterization.STANDARD;
      default -> throw new ArchSyntaxException("parameterization must be 'ntk' or 'standard', got '"
          + p + "'", a.source(), a.position(index, "parameterization"));
    };
  }

  private static Padding padding(Args a, int index, String dflt) {
    String p = a.string(index, "padding", dflt).toUpperCase(Locale.ROOT);
    return switch (p) {
      case "SAME" -> Padding.SAME;
      case "VALID" -> Padding.VALID;
      default -> throw new ArchSyntaxException("padding must be 'SAME' or 'VALID', got '" + p + "'",
          a.source(), a.position(index, "padding"));
    };
  }

  private static void scaling(Args a, int index) {
    int[] s = a.intTuple(index, "s", 2, new int[] {1, 1});
    if (s[0] != 1 || s[1] != 1) {
      throw new ArchSyntaxException("only s=(1, 1) is supported", a.source(), a.position(index, "s"));
    }
  }

  private static double positive(Args a, int index, String key, double v) {
    if (!(v >= 0) || Double.isInfinite(v)) {
      throw new ArchSyntaxException(key + " must be a finite number >= 0, got " + v, a.source(),
          a.position(index, key));
    }
    return v;
  }

  /** {@code Dense(out_dim, W_std=1., b_std=None, batch_axis=0, channel_axis=-1, parameterization='ntk', s=(1, 1))}. */
  static Dense dense(Args a) {
    int width = a.integer(0, "out_dim", -1);
    double w = positive(a, 1, "W_std", a.number(1, "W_std", 1.0));
    Double b = a.optionalNumber(2, "b_std");
    a.ignore(3, "batch_axis");
    a.ignore(4, "channel_axis");
    Parameterization p = parameterization(a, 5);
    scaling(a, 6);
    a.finish();
    return new Dense(width, w, b == null ? 0 : positive(a, 2, "b_std", b), b != null, p);
  }

  /**
   * {@code Conv(out_chan, filter_shape, strides=None, padding='VALID', W_std=1., b_std=None,
   * dimension_numbers=None, parameterization='ntk', s=(1, 1))}.
   */
  static Conv conv(Args a) {
    int channels = a.integer(0, "out_chan", -1);
    int[] filter = a.intTuple(1, "filter_shape", 2, null);
    if (filter == null) {
      throw a.callError("Conv needs filter_shape, e.g. Conv(64, (3, 3))");
    }
    int[] strides = a.intTuple(2, "strides", 2, new int[] {1, 1});
    Padding padding = padding(a, 3, "VALID");
    double w = positive(a, 4, "W_std", a.number(4, "W_std", 1.0));
    Double b = a.optionalNumber(5, "b_std");
    a.ignore(6, "dimension_numbers");
    Parameterization p = parameterization(a, 7);
    scaling(a, 8);
    a.finish();
    if (filter[0] < 1 || filter[1] < 1 || strides[0] < 1 || strides[1] < 1) {
      throw a.callError("filter_shape and strides must be positive");
    }
    return new Conv(channels, filter[0], filter[1], strides[0], strides[1], padding, w,
        b == null ? 0 : positive(a, 5, "b_std", b), b != null, p);
  }

  /** {@code AvgPool(window_shape, strides=None, padding='VALID', normalize_edges=False, …)}. */
  static AvgPool avgPool(Args a) {
    int[] window = window(a, "AvgPool");
    // stax: strides=None means (1, 1), not the window (_Pool: `strides or (1,) * len(window_shape)`)
    int[] strides = a.intTuple(1, "strides", 2, new int[] {1, 1});
    Padding padding = padding(a, 2, "VALID");
    if (a.bool(3, "normalize_edges", false)) {
      throw new ArchSyntaxException("normalize_edges=True is not supported (nke follows stax's "
          + "default normalize_edges=False: SAME windows divide by the full window size)", a.source(),
          a.position(3, "normalize_edges"));
    }
    a.ignore(4, "batch_axis");
    a.ignore(5, "channel_axis");
    a.finish();
    positiveGeometry(a, window, strides);
    return new AvgPool(window[0], window[1], strides[0], strides[1], padding);
  }

  /** {@code SumPool(window_shape, strides=None, padding='VALID', batch_axis=0, channel_axis=-1)}. */
  static SumPool sumPool(Args a) {
    int[] window = window(a, "SumPool");
    int[] strides = a.intTuple(1, "strides", 2, new int[] {1, 1});
    Padding padding = padding(a, 2, "VALID");
    a.ignore(3, "batch_axis");
    a.ignore(4, "channel_axis");
    a.finish();
    positiveGeometry(a, window, strides);
    return new SumPool(window[0], window[1], strides[0], strides[1], padding);
  }

  /** A pooling's required {@code window_shape}. */
  private static int[] window(Args a, String layer) {
    int[] window = a.intTuple(0, "window_shape", 2, null);
    if (window == null) {
      throw a.callError(layer + " needs window_shape, e.g. " + layer + "((2, 2))");
    }
    return window;
  }

  private static void positiveGeometry(Args a, int[] window, int[] strides) {
    if (window[0] < 1 || window[1] < 1 || strides[0] < 1 || strides[1] < 1) {
      throw a.callError("window_shape and strides must be positive");
    }
  }

  /** {@code FanOut(num)}. */
  static FanOut fanOut(Args a) {
    int n = a.requiredInteger(0, "num");
    a.finish();
    if (n < 1) {
      throw new ArchSyntaxException("num must be at least 1, got " + n, a.source(),
          a.position(0, "num"));
    }
    return new FanOut(n);
  }

  /** {@code FanInConcat(axis=-1)}. */
  static FanInConcat fanInConcat(Args a) {
    int axis = a.integer(0, "axis", -1);
    a.finish();
    return new FanInConcat(axis);
  }

  /** {@code LayerNorm(axis=-1, eps=1e-12, batch_axis=0, channel_axis=-1)}. */
  static LayerNorm layerNorm(Args a) {
    List<Integer> axes = a.intList(0, "axis", List.of(-1));
    double eps = positive(a, 1, "eps", a.number(1, "eps", LayerNorm.DEFAULT_EPS));
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
