package org.nke.spi;

import java.util.Locale;

/** Floating-point precision of results and device arithmetic. */
public enum Precision {
  /** IEEE double precision. */
  F64,
  /** IEEE single precision. */
  F32;

  /** @return bytes per element */
  public int bytes() {
    return this == F64 ? 8 : 4;
  }

  /** @return the command-line spelling, {@code float64} or {@code float32} */
  public String dtype() {
    return this == F64 ? "float64" : "float32";
  }

  /**
   * @param dtype {@code float64} or {@code float32} (also {@code f64}, {@code f32}, {@code double},
   *     {@code float})
   * @return the precision
   * @throws IllegalArgumentException for anything else
   */
  public static Precision parse(String dtype) {
    return switch (dtype.toLowerCase(Locale.ROOT)) {
      case "float64", "f64", "double" -> F64;
      case "float32", "f32", "float" -> F32;
      default -> throw new IllegalArgumentException("dtype must be float64 or float32, got " + dtype);
    };
  }
}
