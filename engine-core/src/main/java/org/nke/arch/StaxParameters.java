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

  /**
   * The parameters stax's poolings share ({@code _Pool}): {@code window_shape, strides=None,
   * padding='VALID'}.
   *
   * @param window {@code window_shape}
   * @param strides {@code strides}
   * @param padding {@code padding}
   */
  record Pool(int[] window, int[] strides, Padding padding) {
    /** Checks the geometry (after the call's other arguments, as before). */
    void checkPositive(Args a) {
      if (window[0] < 1 || window[1] < 1 || strides[0] < 1 || strides[1] < 1) {
        throw a.callError("window_shape and strides must be positive");
      }
    }
  }

  /**
   * A pooling's parameters 0–2: the required {@code window_shape}, {@code strides} ({@code None}
   * means {@code (1, 1)} in stax, not the window: {@code _Pool}'s
   * {@code strides or (1,) * len(window_shape)}) and {@code padding} (default VALID).
   */
  static Pool pool(Args a, String layer) {
    int[] window = a.intTuple(0, "window_shape", 2, null);
    if (window == null) {
      throw a.callError(layer + " needs window_shape, e.g. " + layer + "((2, 2))");
    }
    int[] strides = a.intTuple(1, "strides", 2, new int[] {1, 1});
    return new Pool(window, strides, padding(a, 2, "VALID"));
  }
}
