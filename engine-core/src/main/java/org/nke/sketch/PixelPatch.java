package org.nke.sketch;

import java.util.Arrays;

/**
 * The features of a patch of {@code f} pixels (a filter window, or every pixel at Flatten), each
 * vector of length {@code d} split into a light prefix and a heavy suffix of {@code h} coordinates:
 *
 * <pre>{@code P(v_1, …, v_f) = [ Σ_δ S_δ light(v_δ),  concat_δ heavy(v_δ) ]}</pre>
 *
 * with the light parts re-sketched by a {@link PatchSketch} (or concatenated exactly when they fit)
 * and the heavy parts concatenated exactly, absent pixels contributing nothing;
 * {@code ⟨P(v), P(v')⟩} is unbiased for {@code Σ_δ ⟨v_δ, v'_δ⟩}. The heavy coordinates are the few
 * that carry a large, pixel-independent share of every vector's norm: the constant (degree-0) feature
 * of an activation and the bias feature of a Conv. Hashed with the rest, two taps' constants collide
 * in a CountSketch with probability about {@code f²/w}, and such a collision moves the whole kernel by
 * several percent (see docs/design-notes.md); kept exact they cost {@code f·h} features.
 */
public final class PixelPatch {
  private final PatchSketch sketch;
  private final int taps;
  private final int len;
  private final int heavy;

  /**
   * @param sketch the sketch of the light parts, or {@code null} to concatenate them exactly
   * @param taps {@code f}
   * @param len {@code d}
   * @param heavy {@code h}, the exact suffix
   */
  PixelPatch(PatchSketch sketch, int taps, int len, int heavy) {
    this.sketch = sketch;
    this.taps = taps;
    this.len = len;
    this.heavy = heavy;
  }

  /** @return the sketch of the light parts, or {@code null} when they are concatenated exactly */
  public PatchSketch sketch() {
    return sketch;
  }

  /** @return {@code f}, the number of vectors (taps) */
  public int taps() {
    return taps;
  }

  /** @return {@code d}, the length of each vector */
  public int length() {
    return len;
  }

  /** @return {@code h}, the exact suffix of each vector */
  public int heavy() {
    return heavy;
  }

  /** @return the output length: the light section, then {@code f·h} exact heavy coordinates */
  public int outputs() {
    return lightOutputs() + taps * heavy;
  }

  /** @return length of the light section of the output */
  public int lightOutputs() {
    return sketch != null ? sketch.outputs() : taps * (len - heavy);
  }

  /** @return the heavy suffix of the output, {@code f·h} */
  public int heavyOutputs() {
    return taps * heavy;
  }

  /** @return a workspace for {@link #apply} */
  double[] workspace() {
    return sketch == null ? new double[0] : sketch.workspace();
  }

  /**
   * @param grid every pixel's vector, pixel-major ({@code len} values each), not modified
   * @param pixels number of pixels
   * @return what {@link #apply} reads for the light parts: the prepared vectors of the sketch, or
   *     {@code grid} itself
   */
  double[] prepare(double[] grid, int pixels) {
    if (sketch == null || !sketch.prepares()) {
      return grid;
    }
    int plen = sketch.preparedLength();
    double[] out = new double[pixels * plen];
    double[] work = sketch.workspace();
    for (int p = 0; p < pixels; p++) {
      sketch.prepare(grid, p * len, work, out, p * plen);
    }
    return out;
  }

  /**
   * @param grid every pixel's vector, not modified
   * @param prepared {@link #prepare} of {@code grid}, not modified
   * @param pixel per tap, its pixel, or −1 for an absent one
   * @param factor multiplies the output
   * @param at scratch of {@code f} entries; modified
   * @param work a workspace from {@link #workspace()}; modified
   * @param out receives {@link #outputs()} values at {@code offset}; modified
   * @param offset where to write
   */
  void apply(double[] grid, double[] prepared, int[] pixel, double factor, int[] at, double[] work,
      double[] out, int offset) {
    int light = len - heavy;
    if (sketch == null) {
      for (int t = 0; t < taps; t++) {
        copy(grid, pixel[t], 0, light, len, factor, out, offset + t * light);
      }
    } else {
      int stride = sketch.prepares() ? sketch.preparedLength() : len;
      for (int t = 0; t < taps; t++) {
        at[t] = pixel[t] < 0 ? -1 : pixel[t] * stride;
      }
      sketch.apply(prepared, at, factor, work, out, offset);
    }
    int h0 = offset + lightOutputs();
    for (int t = 0; t < taps; t++) {
      copy(grid, pixel[t], light, heavy, len, factor, out, h0 + t * heavy);
    }
  }

  /** {@code factor · v_pixel[from … from + n)}, or zeros for an absent pixel. */
  private static void copy(double[] grid, int pixel, int from, int n, int len, double factor,
      double[] out, int at) {
    if (pixel < 0) {
      Arrays.fill(out, at, at + n, 0.0);
      return;
    }
    int base = pixel * len + from;
    for (int j = 0; j < n; j++) {
      out[at + j] = factor * grid[base + j];
    }
  }
}
