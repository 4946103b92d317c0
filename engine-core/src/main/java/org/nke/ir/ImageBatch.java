package org.nke.ir;

import java.util.Locale;
import org.nke.error.InvalidInputException;

/**
 * A batch of {@code n} images of {@code H × W} pixels with {@code C} channels, stored NHWC row-major
 * as doubles (the layout of a numpy array of shape {@code (n, H, W, C)} and of stax's image inputs):
 * value {@code (i, h, w, c)} is at {@code ((i·H + h)·W + w)·C + c}. Immutable: factories copy their
 * input, accessors copy their output. Every value is finite (checked on construction).
 */
public final class ImageBatch {
  private final int count;
  private final int height;
  private final int width;
  private final int channels;
  private final double[] data;

  private ImageBatch(int count, int height, int width, int channels, double[] data) {
    this.count = count;
    this.height = height;
    this.width = width;
    this.channels = channels;
    this.data = data;
  }

  /**
   * @param nhwc values in NHWC order, not modified (copied)
   * @param n number of images, at least 1
   * @param h height, at least 1
   * @param w width, at least 1
   * @param c channels, at least 1
   * @return the batch
   * @throws InvalidInputException if a size is not positive, the length is not {@code n·H·W·C} or a
   *     value is not finite
   */
  public static ImageBatch of(double[] nhwc, int n, int h, int w, int c) {
    return adopt("images", nhwc.clone(), n, h, w, c);
  }

  /**
   * Takes ownership of {@code nhwc} without copying (for readers that allocate it themselves).
   *
   * @param source where the values come from (e.g. a file name), for messages
   * @param nhwc values, kept by reference: the caller must not modify them afterwards
   * @param n images
   * @param h height
   * @param w width
   * @param c channels
   * @return the batch
   */
  public static ImageBatch adopt(String source, double[] nhwc, int n, int h, int w, int c) {
    if (n < 1 || h < 1 || w < 1 || c < 1) {
      throw new InvalidInputException(source + " must hold at least one image of at least 1 x 1 x 1, "
          + "got shape " + shape(n, h, w, c));
    }
    if ((long) n * h * w * c != nhwc.length) {
      throw new InvalidInputException(source + " must hold n*H*W*C = " + (long) n * h * w * c
          + " values for shape " + shape(n, h, w, c) + ", got " + nhwc.length);
    }
    for (int k = 0; k < nhwc.length; k++) {
      if (!Double.isFinite(nhwc[k])) {
        int cc = k % c;
        int ww = (k / c) % w;
        int hh = (k / c / w) % h;
        int ii = k / c / w / h;
        throw new InvalidInputException(source + " values must be finite, got " + nhwc[k]
            + " at image " + (ii + 1) + ", pixel (h=" + hh + ", w=" + ww + "), channel " + cc);
      }
    }
    return new ImageBatch(n, h, w, c, nhwc);
  }

  private static String shape(long n, long h, long w, long c) {
    return String.format(Locale.ROOT, "(%d, %d, %d, %d)", n, h, w, c);
  }

  /** @return number of images {@code n} */
  public int count() {
    return count;
  }

  /** @return image height {@code H} */
  public int height() {
    return height;
  }

  /** @return image width {@code W} */
  public int width() {
    return width;
  }

  /** @return channels {@code C} */
  public int channels() {
    return channels;
  }

  /** @return pixels per image, {@code H·W} */
  public int pixels() {
    return height * width;
  }

  /** @return values per image, {@code H·W·C} */
  public int imageSize() {
    return height * width * channels;
  }

  /** @return the shape as numpy prints it, e.g. {@code (10, 32, 32, 3)} */
  public String shapeString() {
    return shape(count, height, width, channels);
  }

  /**
   * @param i image
   * @param h row
   * @param w column
   * @param c channel
   * @return the value
   */
  public double get(int i, int h, int w, int c) {
    return data[((i * height + h) * width + w) * channels + c];
  }

  /**
   * @param i image index
   * @param out receives the image's {@code H·W·C} values in HWC order, at offset 0; modified
   */
  public void copyImage(int i, double[] out) {
    System.arraycopy(data, i * imageSize(), out, 0, imageSize());
  }

  /**
   * @param from first image
   * @param to end image (exclusive), {@code from < to ≤ count}
   * @return images {@code from … to−1} as a batch (copied)
   */
  public ImageBatch slice(int from, int to) {
    int d = imageSize();
    return new ImageBatch(to - from, height, width, channels,
        java.util.Arrays.copyOfRange(data, from * d, to * d));
  }

  /**
   * @param indices image indices (any order, repeats allowed), at least one
   * @return those images as a batch (copied)
   */
  public ImageBatch select(int... indices) {
    int d = imageSize();
    double[] out = new double[indices.length * d];
    for (int k = 0; k < indices.length; k++) {
      System.arraycopy(data, indices[k] * d, out, k * d, d);
    }
    return new ImageBatch(indices.length, height, width, channels, out);
  }

  /**
   * @param rows images as points ({@code H·W·C} values each in HWC order, as {@link #toPoints()}),
   *     not modified
   * @param h height
   * @param w width
   * @param c channels
   * @return the batch
   * @throws InvalidInputException if a row does not have {@code H·W·C} values or a value is not
   *     finite
   */
  public static ImageBatch ofPoints(double[][] rows, int h, int w, int c) {
    int d = h * w * c;
    double[] out = new double[rows.length * d];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != d) {
        throw new InvalidInputException("images of shape (" + h + ", " + w + ", " + c + ") must have "
            + d + " values each, got " + rows[i].length + " at row " + (i + 1));
      }
      System.arraycopy(rows[i], 0, out, i * d, d);
    }
    return adopt("images", out, rows.length, h, w, c);
  }

  /** @return the images as points, one row of {@code H·W·C} values (HWC order, as stax's Flatten) */
  public double[][] toPoints() {
    int d = imageSize();
    double[][] x = new double[count][d];
    for (int i = 0; i < count; i++) {
      System.arraycopy(data, i * d, x[i], 0, d);
    }
    return x;
  }

  /** @return the per-channel mean and standard deviation of this batch */
  public ChannelStats channelStats() {
    return ChannelStats.of(data, channels);
  }

  /**
   * Per-channel standardisation {@code (x − mean_c) / std_c}; a channel with {@code std_c = 0} is only
   * centred.
   *
   * @param stats per-channel statistics with {@link #channels()} entries (e.g. of a training batch)
   * @return the standardised batch
   * @throws InvalidInputException if the channel counts differ
   */
  public ImageBatch standardized(ChannelStats stats) {
    if (stats.channels() != channels) {
      throw new InvalidInputException("images must have " + stats.channels() + " channels to be "
          + "standardised with these statistics, got " + channels);
    }
    return new ImageBatch(count, height, width, channels, stats.apply(data));
  }
}
