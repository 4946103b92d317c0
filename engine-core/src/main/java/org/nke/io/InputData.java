package org.nke.io;

import org.nke.ir.ChannelStats;
import org.nke.ir.ImageBatch;

/**
 * What an input file holds: points {@code (n, d)} or images {@code (n, H, W, C)}. Exactly one of the
 * two is present.
 *
 * @param points the points, or {@code null} for images
 * @param images the images, or {@code null} for points
 */
public record InputData(double[][] points, ImageBatch images) {
  /**
   * @param points the points or {@code null}
   * @param images the images or {@code null}
   */
  public InputData {
    if ((points == null) == (images == null)) {
      throw new IllegalArgumentException("exactly one of points and images must be given");
    }
  }

  /**
   * @param x points, rows = points (kept by reference)
   * @return the input
   */
  public static InputData ofPoints(double[][] x) {
    return new InputData(x, null);
  }

  /**
   * @param images images
   * @return the input
   */
  public static InputData ofImages(ImageBatch images) {
    return new InputData(null, images);
  }

  /** @return whether the input holds images */
  public boolean isImages() {
    return images != null;
  }

  /** @return number of points or images */
  public int count() {
    return isImages() ? images.count() : points.length;
  }

  /** @return the points, or the images flattened to {@code H·W·C} values each (HWC order) */
  public double[][] asPoints() {
    return isImages() ? images.toPoints() : points;
  }

  /** @return e.g. {@code images (10, 32, 32, 3)} or {@code points (300, 8)} */
  public String describe() {
    return isImages() ? "images " + images.shapeString()
        : "points (" + points.length + ", " + points[0].length + ")";
  }

  /** @return per-channel statistics (images) or per-column statistics (points) */
  public ChannelStats stats() {
    return isImages() ? images.channelStats() : ChannelStats.ofColumns(points);
  }

  /**
   * @param stats statistics with as many channels as this input has channels (images) or columns
   * @return the standardised input
   */
  public InputData standardized(ChannelStats stats) {
    return isImages() ? ofImages(images.standardized(stats)) : ofPoints(stats.applyToColumns(points));
  }
}
