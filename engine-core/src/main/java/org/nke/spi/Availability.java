package org.nke.spi;

/**
 * The result of probing a backend: usable or not, and why.
 *
 * @param available whether the backend can be opened
 * @param reason why not (or a short description of what was found)
 * @param device the device it would run on, e.g. {@code "2 CPU cores"} or a GPU name
 */
public record Availability(boolean available, String reason, String device) {
  /**
   * @param device the device
   * @return an available result
   */
  public static Availability available(String device) {
    return new Availability(true, "available", device);
  }

  /**
   * @param reason why the backend cannot be used, one line
   * @return an unavailable result
   */
  public static Availability unavailable(String reason) {
    return new Availability(false, reason, "none");
  }
}
