package org.nke.arch;

import java.util.Locale;
import org.nke.error.ArchSyntaxException;

/**
 * The parameters several stax signatures share (the parameterization, padding, scaling, windows,
 * non-negative standard deviations), read through {@link Args} with a caret at a bad value; used by
 * the layer records' {@code bind} methods.
 */
final class StaxParameters {
  private StaxParameters() {
  }

  static Parameterization parameterization(Args a, int index) {
    String p = a.string(index, "parameterization", "ntk").toLowerCase(Locale.ROOT);
    return switch (p) {
      case "ntk" -> Parameterization.NTK;
      case "standard" -> Parameterization.STANDARD;
      default -> throw new ArchSyntaxException("parameterization must be 'ntk' or 'standard', got '"
          + p + "'", a.source(), a.position(index, "parameterization"));
    };
  }

  static Padding padding(Args a, int index, String dflt) {
    String p = a.string(index, "padding", dflt).toUpperCase(Locale.ROOT);
    return switch (p) {
      case "SAME" -> Padding.SAME;
      case "VALID" -> Padding.VALID;
      default -> throw new ArchSyntaxException("padding must be 'SAME' or 'VALID', got '" + p + "'",
          a.source(), a.position(index, "padding"));
    };
  }

  static void scaling(Args a, int index) {
    int[] s = a.intTuple(index, "s", 2, new int[] {1, 1});
    if (s[0] != 1 || s[1] != 1) {
      throw new ArchSyntaxException("only s=(1, 1) is supported", a.source(), a.position(index, "s"));
    }
  }

  static double positive(Args a, int index, String key, double v) {
    if (!(v >= 0) || Double.isInfinite(v)) {
      throw new ArchSyntaxException(key + " must be a finite number >= 0, got " + v, a.source(),
          a.position(index, key));
    }
    return v;
  }

  /** A pooling's required {@code window_shape}. */
  static int[] window(Args a, String layer) {
    int[] window = a.intTuple(0, "window_shape", 2, null);
    if (window == null) {
      throw a.callError(layer + " needs window_shape, e.g. " + layer + "((2, 2))");
    }
    return window;
  }

  static void positiveGeometry(Args a, int[] window, int[] strides) {
    if (window[0] < 1 || window[1] < 1 || strides[0] < 1 || strides[1] < 1) {
      throw a.callError("window_shape and strides must be positive");
    }
  }
}
