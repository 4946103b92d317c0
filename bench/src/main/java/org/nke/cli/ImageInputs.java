package org.nke.cli;

import java.nio.file.Path;
import java.util.Locale;
import org.nke.error.InvalidInputException;
import org.nke.io.ChannelStats;
import org.nke.io.DataFiles;
import org.nke.io.ImageBatch;
import org.nke.io.InputData;

/**
 * Image files for the commands that take a convolutional architecture ({@code features}, {@code fit},
 * {@code predict}), and the per-channel standardisation a model carries in its info
 * ({@value #STANDARDIZE} = {@code "m_1,…,m_C;s_1,…,s_C"}, the training images' statistics).
 */
final class ImageInputs {
  /**
   * Info key of an exact image model's standardisation statistics ({@link ChannelStats#format});
   * a feature model keeps them in its plan.
   */
  static final String STANDARDIZE = "standardize";

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
