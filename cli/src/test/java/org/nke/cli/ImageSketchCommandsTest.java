package org.nke.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nke.Sketches;
import org.nke.io.DataFiles;
import org.nke.io.MatrixWriter;
import org.nke.io.NpyArray;
import org.nke.io.NpyReader;
import org.nke.ir.ImageBatch;
import org.nke.spi.Precision;

/** {@code nke features}, {@code fit} and {@code predict} on image files (the CNTK sketch). */
class ImageSketchCommandsTest extends CommandTest {
  private static final String CONV = "Conv(8, (3, 3), padding='SAME', W_std=1.4, b_std=0.1), Relu(), "
      + "AvgPool((2, 2), strides=(2, 2)), Conv(8, (3, 3), padding='SAME', W_std=1.4), Relu(), "
      + "GlobalAvgPool(), Dense()";

  /** A residual block with LayerNorm (the CNTK sketch's fork, merge and normalize steps). */
  private static final String RESIDUAL = "Conv(8, (3, 3), padding='SAME', W_std=1.4, b_std=0.1), "
      + "FanOut(2), parallel(serial(Relu(), Conv(8, (3, 3), padding='SAME', W_std=1.4)), Identity()), "
      + "FanInSum(), LayerNorm(axis=(1, 2, 3)), Relu(), AvgPool((2, 2), strides=(2, 2)), Flatten(), "
      + "Dense()";

  @TempDir
  Path dir;

  /**
   * Three classes of 6 × 6 × 2 images (a bright row, column or diagonal in noise, offset by 3 so that
   * standardisation matters), as a 4-D float64 .npy, and their labels as a .csv.
   */
  private Path[] images(String name, int n, long seed) throws IOException {
    Random r = new Random(seed);
    double[][] rows = new double[n][72];
    StringBuilder labels = new StringBuilder();
    for (int i = 0; i < n; i++) {
      int c = i % 3;
      int at = r.nextInt(6);
      for (int y = 0; y < 6; y++) {
        for (int x = 0; x < 6; x++) {
          boolean on = c == 0 ? y == at : c == 1 ? x == at : (x + at) % 6 == y;
          for (int ch = 0; ch < 2; ch++) {
            rows[i][(y * 6 + x) * 2 + ch] = 3 + (on ? 1.5 : 0) + 0.6 * r.nextGaussian();
          }
        }
      }
      labels.append(c).append('\n');
    }
    Path p = dir.resolve(name + ".npy");
    try (OutputStream os = Files.newOutputStream(p)) {
      MatrixWriter.write(os, p, Precision.F64, n, 72, (i, out) -> System.arraycopy(rows[i], 0, out,
          0, 72));
    }
    ImageFiles.reshape(p, n, 6, 6, 2);
    Path l = dir.resolve(name + ".labels.csv");
    Files.writeString(l, labels.toString());
    return new Path[] {p, l};
  }

  @Test
  void featuresOfImagesMatchTheLibraryAndAreChecked() throws IOException {
    Path[] x = images("x", 12, 1);
    Path f = dir.resolve("F.npy");
    assertEquals(0, nke("features", "--arch", CONV, "--x", x[0].toString(), "--kind", "ntk", "--dim",
        "256", "--out", f.toString(), "--check", "6", "--seed", "3", "--backend", "cpu"), err);
    NpyArray a = NpyReader.read(f);
    assertEquals(12, a.shape()[0]);
    assertTrue(a.shape()[1] <= 512, "features " + a.shape()[1]);
    ImageBatch images = DataFiles.readImages(x[0]);
    double[][] ref = Sketches.of(CONV).withDim(256).withSeed(3).withBackend("cpu").ntk(images);
    double[] row = new double[a.shape()[1]];
    System.arraycopy(a.data(), 5 * row.length, row, 0, row.length);
    assertArrayEquals(ref[5], row);
    assertTrue(err.contains("relative Gram error"), err);
    assertTrue(err.contains("images/s"), err);
    assertEquals(2, nke("features", "--arch", CONV, "--x", x[0].toString(), "--kind", "ntk", "--dim",
        "256", "--out", f.toString(), "--method", "subspace"), err);
  }

  @Test
  void fitAndPredictOnImagesWithExactAndSketchKernels() throws IOException {
    Path[] train = images("train", 36, 1);
    Path[] test = images("test", 18, 2);
    for (String method : new String[] {"exact", "sketch"}) {
      Path model = dir.resolve(method + ".zip");
      assertEquals(0, nke("fit", "--arch", CONV, "--x", train[0].toString(), "--labels",
          train[1].toString(), "--method", method, "--dim", "1024", "--standardize", "--model",
          model.toString(), "--quiet"), err);
      assertTrue(err.contains("image_shape = 6,6,2") && err.contains(method.equals("exact")
          ? "standardize = " : "standardised channels"), err);
      assertEquals(0, nke("predict", "--model", model.toString(), "--x", test[0].toString(),
          "--labels", test[1].toString(), "--out", dir.resolve("p.csv").toString(), "--quiet"), err);
      double acc = Double.parseDouble(err.substring(err.indexOf("test accuracy = ") + 16).trim());
      assertTrue(acc > 0.75, method + " accuracy " + acc);
    }
  }

  @Test
  void aModelFittedOnPaddedImagesPadsThePredictedOnesTheSameWay() throws IOException {
    Path[] train = images("train", 36, 1);
    Path[] test = images("test", 18, 2);
    Path model = dir.resolve("padded.zip");
    assertEquals(0, nke("fit", "--arch", CONV, "--x", train[0].toString(), "--labels",
        train[1].toString(), "--method", "exact", "--standardize", "--pad-to", "8", "--model",
        model.toString(), "--quiet"), err);
    assertTrue(err.contains("zero-padded 36 images from 6x6 to 8x8") && err.contains("pad_to = 8")
        && err.contains("image_shape = 8,8,2"), err);
    assertTrue(err.contains("nke: exact ntk CNTK of 36 x 36 images: about ")
        && err.contains("(666 pairs at "), err); // the up-front estimate: n(n+1)/2 pairs
    assertEquals(0, nke("predict", "--model", model.toString(), "--x", test[0].toString(),
        "--labels", test[1].toString(), "--out", dir.resolve("p.csv").toString(), "--quiet"), err);
    assertTrue(err.contains("zero-padded 18 images from 6x6 to 8x8"), err);
    double acc = Double.parseDouble(err.substring(err.indexOf("test accuracy = ") + 16).trim());
    assertTrue(acc > 0.75, "accuracy " + acc);
    assertEquals(2, nke("predict", "--model", model.toString(), "--x", test[0].toString(),
        "--pad-to", "10", "--out", dir.resolve("q.csv").toString(), "--quiet"), err);
    assertTrue(err.contains("--pad-to must be the model's 8"), err);
    assertEquals(0, nke("features", "--arch", CONV, "--x", test[0].toString(), "--kind", "ntk",
        "--dim", "256", "--pad-to", "8", "--out", dir.resolve("F.npy").toString(), "--quiet"), err);
    assertTrue(err.contains("CNTK sketch of (18, 8, 8, 2)"), err);
  }

  @Test
  void residualNetworksSketchFitAndPredictOnImages() throws IOException {
    Path[] train = images("train", 36, 1);
    Path[] test = images("test", 18, 2);
    Path f = dir.resolve("F.npy");
    assertEquals(0, nke("features", "--arch", RESIDUAL, "--x", train[0].toString(), "--kind", "ntk",
        "--dim", "256", "--out", f.toString(), "--seed", "3", "--backend", "cpu", "--quiet"), err);
    NpyArray a = NpyReader.read(f);
    ImageBatch images = DataFiles.readImages(train[0]);
    double[][] ref = Sketches.of(RESIDUAL).withDim(256).withSeed(3).withBackend("cpu").ntk(images);
    double[] row = new double[a.shape()[1]];
    System.arraycopy(a.data(), 7 * row.length, row, 0, row.length);
    assertArrayEquals(ref[7], row);
    Path model = dir.resolve("residual.zip");
    assertEquals(0, nke("fit", "--arch", RESIDUAL, "--x", train[0].toString(), "--labels",
        train[1].toString(), "--method", "sketch", "--dim", "1024", "--standardize", "--model",
        model.toString(), "--quiet"), err);
    assertEquals(0, nke("predict", "--model", model.toString(), "--x", test[0].toString(),
        "--labels", test[1].toString(), "--out", dir.resolve("p.csv").toString(), "--quiet"), err);
    double acc = Double.parseDouble(err.substring(err.indexOf("test accuracy = ") + 16).trim());
    assertTrue(acc > 0.75, "accuracy " + acc);
    // what the convolutional kernels do not support is named by its layer
    assertEquals(2, nke("features", "--arch", RESIDUAL.replace("FanInSum()", "FanInConcat(axis=1)"),
        "--x", test[0].toString(), "--kind", "nngp", "--dim", "256", "--out", f.toString(), "--quiet"),
        err);
    assertTrue(err.contains("layer 7 (FanInConcat(axis=1))"), err);
  }
}
