package org.nke.ir;

import java.util.Arrays;
import org.nke.error.InvalidInputException;

/**
 * Per-channel mean and (population, {@code ddof = 0}) standard deviation, as {@code x.mean(axis)} and
 * {@code x.std(axis)} over all axes but the last in numpy; used for the standardisation
 * {@code (x − mean_c) / std_c} of images (channels = last axis) and of points (channels = columns).
 *
 * @param mean per-channel mean
 * @param std per-channel standard deviation, at least 0
 */
public record ChannelStats(double[] mean, double[] std) {
  /**
   * @param mean per-channel mean, copied
   * @param std per-channel standard deviation, copied
   */
  public ChannelStats {
    if (mean.length != std.length || mean.length == 0) {
      throw new IllegalArgumentException("mean and std must have the same positive length, got "
          + mean.length + " and " + std.length);
    }
    mean = mean.clone();
    std = std.clone();
  }

  /** @return number of channels */
  public int channels() {
    return mean.length;
  }

  /** @return the means (a copy) */
  @Override
  public double[] mean() {
    return mean.clone();
  }

  /** @return the standard deviations (a copy) */
  @Override
  public double[] std() {
    return std.clone();
  }

  /**
   * Two passes (mean, then centred squares), summed in index order.
   *
   * @param values interleaved values, channel = index mod {@code channels}, not modified
   * @param channels number of channels
   * @return the statistics
   */
  static ChannelStats of(double[] values, int channels) {
    double[] m = new double[channels];
    double[] s = new double[channels];
    long per = values.length / channels;
    for (int k = 0; k < values.length; k++) {
      m[k % channels] += values[k];
    }
    for (int c = 0; c < channels; c++) {
      m[c] /= per;
    }
    for (int k = 0; k < values.length; k++) {
      double d = values[k] - m[k % channels];
      s[k % channels] += d * d;
    }
    for (int c = 0; c < channels; c++) {
      s[c] = Math.sqrt(s[c] / per);
    }
    return new ChannelStats(m, s);
  }

  /**
   * @param x points, rows = points, not modified
   * @return the per-column statistics
   */
  public static ChannelStats ofColumns(double[][] x) {
    int d = x[0].length;
    double[] flat = new double[x.length * d];
    for (int i = 0; i < x.length; i++) {
      System.arraycopy(x[i], 0, flat, i * d, d);
    }
    return of(flat, d);
  }

  /**
   * @param x points, rows = points, not modified
   * @return standardised copies of the points, column {@code c} mapped by channel {@code c}
   */
  public double[][] applyToColumns(double[][] x) {
    double[][] out = new double[x.length][];
    for (int i = 0; i < x.length; i++) {
      if (x[i].length != mean.length) {
        throw new InvalidInputException("points must have " + mean.length + " columns to be "
            + "standardised with these statistics, got " + x[i].length + " at row " + (i + 1));
      }
      out[i] = apply(x[i]);
    }
    return out;
  }

  /** Standardises interleaved values (channel = index mod channels) into a new array. */
  double[] apply(double[] values) {
    int c = mean.length;
    double[] out = new double[values.length];
    for (int k = 0; k < values.length; k++) {
      double sd = std[k % c];
      out[k] = (values[k] - mean[k % c]) / (sd > 0 ? sd : 1);
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChannelStats s && Arrays.equals(mean, s.mean) && Arrays.equals(std, s.std);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
  }

  @Override
  public String toString() {
    return "ChannelStats[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
  }

  /** @return the statistics as text, {@code "m_1,…,m_C;s_1,…,s_C"} (exact round trip) */
  public String format() {
    return join(mean) + ";" + join(std);
  }

  /**
   * @param text statistics from {@link #format}
   * @return the statistics
   * @throws IllegalArgumentException if the text is not of that form
   */
  public static ChannelStats parse(String text) {
    String[] parts = text.split(";");
    if (parts.length != 2) {
      throw new IllegalArgumentException("channel statistics must be \"means;stds\", got " + text);
    }
    return new ChannelStats(numbers(parts[0]), numbers(parts[1]));
  }

  private static String join(double[] v) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < v.length; i++) {
      sb.append(i > 0 ? "," : "").append(v[i]);
    }
    return sb.toString();
  }

  private static double[] numbers(String v) {
    String[] p = v.split(",");
    double[] out = new double[p.length];
    for (int i = 0; i < p.length; i++) {
      out[i] = Double.parseDouble(p[i].trim().toLowerCase(java.util.Locale.ROOT));
    }
    return out;
  }
}
