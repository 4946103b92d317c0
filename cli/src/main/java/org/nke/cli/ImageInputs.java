package org.nke.cli;

import java.nio.file.Path;
import java.util.Locale;
import org.nke.error.InvalidInputException;
import org.nke.io.DataFiles;
import org.nke.io.InputData;
import org.nke.ir.ChannelStats;
import org.nke.ir.ImageBatch;

/**
 * Image files for the commands that take a convolutional architecture ({@code features}, {@code fit},
 * {@code predict}), and the per-channel standardisation a model carries in its info
 * ({@code ModelFile.STANDARDIZE} = {@code "m_1,…,m_C;s_1,…,s_C"}, the training images' statistics).
 */
final class ImageInputs {
  /** Model info key of the side the training images were zero-padded to ({@code --pad-to}). */
  static final String PAD_TO = "pad_to";
  /** The description of {@code --pad-to}, the same on every image command. */
  static final String PAD_TO_HELP = "Images: zero-pad each image, centred, to SIDE x SIDE pixels (after "
      + "--standardize, so the border is the channel mean), e.g. 28x28 Fashion-MNIST to 32 for Myrtle5.";

  private ImageInputs() {
  }

  /**
   * @param path an image file
   * @return its images
   * @throws InvalidInputException if it holds points
   */
  static ImageBatch read(Path path) {
    InputData d = DataFiles.readInput(path);
    if (!d.isImages()) {
      throw new InvalidInputException(path + " must hold images (a 4-D .npy (n, H, W, C), a CIFAR-10 "
          + ".bin or an IDX -ubyte file) for an architecture with Conv or pooling layers, got "
          + d.describe());
    }
    return d.images();
  }

  /**
   * Zero-pads images, centred: an {@code H×W} image goes to {@code side×side} with
   * {@code (side−H)/2} rows above (rounded down) and {@code (side−W)/2} columns to the left.
   *
   * @param err where the note goes
   * @param images the images, not modified
   * @param side the padded side, or {@code null} to keep the images
   * @return the padded images (or {@code images})
   * @throws org.nke.error.NkeException (exit code 2) if {@code side} is smaller than an image side
   */
  static ImageBatch padded(java.io.PrintWriter err, ImageBatch images, Integer side) {
    if (side == null) {
      return images;
    }
    int h = images.height();
    int w = images.width();
    int c = images.channels();
    if (side < h || side < w) {
      throw new org.nke.error.NkeException("--pad-to must be at least the images' sides " + h + "x" + w
          + ", got " + side, 2, null);
    }
    int n = images.count();
    int top = (side - h) / 2;
    int left = (side - w) / 2;
    double[] out = new double[n * side * side * c];
    double[] one = new double[h * w * c];
    for (int i = 0; i < n; i++) {
      images.copyImage(i, one);
      for (int r = 0; r < h; r++) {
        System.arraycopy(one, r * w * c, out, ((i * side + r + top) * side + left) * c, w * c);
      }
    }
    if (err != null) {
      err.println("nke: zero-padded " + n + " images from " + h + "x" + w + " to " + side + "x" + side);
    }
    return ImageBatch.of(out, n, side, side, c);
  }

  /**
   * The labels inside a CIFAR-10 batch, for a command given no {@code --labels} (said on {@code err}).
   *
   * @param err where the note goes
   * @param x an image file
   * @return its labels, or {@code null} unless it is a CIFAR-10 batch ({@code .bin})
   */
  static double[] batchLabels(java.io.PrintWriter err, Path x) {
    if (!x.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".bin")) {
      return null;
    }
    err.println("nke: no --labels: using the labels inside the CIFAR-10 batch " + x);
    return DataFiles.readLabels(x);
  }
}
