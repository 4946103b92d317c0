package org.nke.error;

/** The requested result would not fit: says how much it needs, how much there is, and what to do. */
public final class ResourceLimitException extends NkeException {
  private final long bytesNeeded;
  private final long bytesAvailable;

  /**
   * @param what the result that does not fit, e.g. "kernel matrix 200000 x 200000 (float64)"
   * @param bytesNeeded bytes it needs
   * @param bytesAvailable bytes available
   * @param suggestion what to do instead
   */
  public ResourceLimitException(String what, long bytesNeeded, long bytesAvailable, String suggestion) {
    super(what + " needs " + human(bytesNeeded) + " but only " + human(bytesAvailable)
        + " is available; " + suggestion, 5, null);
    this.bytesNeeded = bytesNeeded;
    this.bytesAvailable = bytesAvailable;
  }

  /** @return bytes the result needs */
  public long bytesNeeded() {
    return bytesNeeded;
  }

  /** @return bytes that were available */
  public long bytesAvailable() {
    return bytesAvailable;
  }

  /**
   * Formats a byte count for people.
   *
   * @param bytes a byte count
   * @return e.g. "1.5 GiB"
   */
  public static String human(long bytes) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    double v = bytes;
    int u = 0;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return u == 0 ? bytes + " B" : String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
