package org.nke.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;
import org.nke.io.NpyArray;
import org.nke.io.NpyReader;

/**
 * The data that ships with nke: a class-balanced Fashion-MNIST subset (3,000 training and 1,000 test
 * images, MIT licence; see {@code org/nke/demo/README.md}), as points in ℝ⁷⁸⁴ scaled to [0, 1], centred
 * on the training mean image and scaled so that the mean training variance {@code ‖x‖²/d} is 1.
 *
 * @param trainX training points
 * @param trainY training labels 0–9
 * @param testX test points
 * @param testY test labels
 */
public record DemoData(double[][] trainX, double[] trainY, double[][] testX, double[] testY) {
  /** Class names of Fashion-MNIST. */
  public static final String[] CLASSES = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
      "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"};

  /** @return the bundled subset, preprocessed */
  public static DemoData load() {
    NpyArray tx = resource("fashion-mnist-train-x.npy.gz");
    NpyArray ty = resource("fashion-mnist-train-y.npy.gz");
    NpyArray vx = resource("fashion-mnist-test-x.npy.gz");
    NpyArray vy = resource("fashion-mnist-test-y.npy.gz");
    double[][] train = tx.toMatrix("demo train images");
    double[][] test = vx.toMatrix("demo test images");
    int d = train[0].length;
    double[] mean = new double[d];
    for (double[] row : train) {
      for (int j = 0; j < d; j++) {
        mean[j] += row[j] / 255.0 / train.length;
      }
    }
    double var = 0;
    for (double[] row : train) {
      for (int j = 0; j < d; j++) {
        double v = row[j] / 255.0 - mean[j];
        var += v * v / ((double) train.length * d);
      }
    }
    double scale = 1 / Math.sqrt(var);
    for (double[][] set : new double[][][] {train, test}) {
      for (double[] row : set) {
        for (int j = 0; j < d; j++) {
          row[j] = (row[j] / 255.0 - mean[j]) * scale;
        }
      }
    }
    return new DemoData(train, ty.data(), test, vy.data());
  }

  private static NpyArray resource(String name) {
    try (InputStream raw = DemoData.class.getResourceAsStream("/org/nke/demo/" + name)) {
      if (raw == null) {
        throw new IllegalStateException("demo data " + name + " is missing from the jar");
      }
      try (InputStream in = new GZIPInputStream(raw)) {
        return NpyReader.read(in, name);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read demo data " + name, e);
    }
  }
}
