package org.nke.arch;

/** Spatial padding of {@link Conv} and {@link AvgPool} (stax {@code Padding}). */
public enum Padding {
  /** Output has the input's spatial size; out-of-image taps contribute zero. */
  SAME,
  /** Only windows that lie inside the image. */
  VALID;
}
