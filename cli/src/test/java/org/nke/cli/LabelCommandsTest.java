package org.nke.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nke.io.MatrixWriter;
import org.nke.io.NpyArray;
import org.nke.io.NpyReader;
import org.nke.spi.Precision;

/**
 * Labels in {@code nke fit} and {@code predict}: errors that name the files, the labels inside CIFAR-10
 * batches, and predicted classes written as integers.
 */
class LabelCommandsTest extends CommandTest {
  private static final String ARCH = "Dense(W_std=1.5, b_std=0.1), Relu(), Dense()";
  private static final String CONV = "Conv(4, (3, 3), padding='SAME', W_std=1.4), Relu(), "
      + "GlobalAvgPool(), Dense()";

  @TempDir
  Path dir;

  /** {@code n} points in ℝ³, rows of a .csv. */
  private Path points(String name, int n, long seed) throws IOException {
    Random r = new Random(seed);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(r.nextGaussian()).append(',').append(r.nextGaussian()).append(',')
          .append(r.nextGaussian()).append('\n');
    }
    return write(name, sb.toString());
  }

  private Path write(String name, String content) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, content);
    return p;
  }

  private Path npyColumn(String name, double[] v) throws IOException {
    Path p = dir.resolve(name);
    try (OutputStream os = Files.newOutputStream(p)) {
      MatrixWriter.write(os, p, Precision.F64, v.length, 1, (i, row) -> row[0] = v[i]);
    }
    return p;
  }

  private String model() {
    return dir.resolve("m.nkem").toString();
  }

  @Test
  void labelErrorsNameTheFiles() throws IOException {
    Path x = points("x.csv", 20, 1);
    double[] y = new double[20];
    for (int i = 0; i < y.length; i++) {
      y[i] = 0.5 * i;
    }
    y[7] = Double.NaN;
    Path nan = npyColumn("nan.npy", y);
    assertEquals(4, nke("fit", "--arch", ARCH, "--x", x.toString(), "--labels", nan.toString(),
        "--model", model(), "--quiet"), err);
    assertTrue(err.contains(nan + " labels must be finite, got NaN at row 8"), err);
    Path short15 = write("y15.csv", "1\n".repeat(15));
    assertEquals(4, nke("fit", "--arch", ARCH, "--x", x.toString(), "--labels", short15.toString(),
        "--model", model(), "--quiet"), err);
    assertTrue(err.contains(short15 + " must have one label per point of " + x + ": 20 points, got 15 "
        + "labels"), err);
    assertFalse(Files.exists(dir.resolve("m.nkem")));
    assertEquals(0, nke("fit", "--arch", ARCH, "--x", x.toString(), "--labels",
        write("y.csv", "1\n2\n".repeat(10)).toString(), "--ridge", "0.1", "--model", model(), "--quiet"),
        err);
    assertEquals(4, nke("predict", "--model", model(), "--x", x.toString(), "--labels",
        short15.toString(), "--out", dir.resolve("p.csv").toString(), "--quiet"), err);
    assertTrue(err.contains(short15 + " must have one label per point of " + x), err);
    assertFalse(Files.exists(dir.resolve("p.csv")));
  }

  @Test
  void integerClassesArePredictedAsIntegersAndScoresStayFloatingPoint() throws IOException {
    Path x = points("x.csv", 24, 2);
    assertEquals(0, nke("fit", "--arch", ARCH, "--x", x.toString(), "--labels",
        write("y.csv", "-1\n3\n7\n".repeat(8)).toString(), "--ridge", "0.1", "--model", model(),
        "--quiet"), err);
    assertEquals(0, nke("predict", "--model", model(), "--x", x.toString(), "--out",
        dir.resolve("p.csv").toString(), "--quiet"), err);
    List<String> lines = Files.readAllLines(dir.resolve("p.csv"));
    assertEquals(24, lines.size());
    assertTrue(lines.stream().allMatch(l -> l.equals("-1") || l.equals("3") || l.equals("7")), lines::toString);
    assertEquals(0, nke("predict", "--model", model(), "--x", x.toString(), "--out",
        dir.resolve("p.npy").toString(), "--quiet"), err);
    NpyArray p = NpyReader.read(dir.resolve("p.npy"));
    assertEquals("i8", p.dtype().replaceAll("[<>|=]", ""));
    assertArrayEquals(new int[] {24, 1}, p.shape());
    assertEquals(Double.parseDouble(lines.get(5)), p.data()[5]);
    assertEquals(0, nke("predict", "--model", model(), "--x", x.toString(), "--scores", "--out",
        dir.resolve("s.npy").toString(), "--quiet"), err);
    NpyArray s = NpyReader.read(dir.resolve("s.npy"));
    assertEquals("f8", s.dtype().replaceAll("[<>|=]", ""));
    assertArrayEquals(new int[] {24, 3}, s.shape());
    // regression: floating point values
    assertEquals(0, nke("fit", "--arch", ARCH, "--x", x.toString(), "--labels",
        write("r.csv", "0.5\n1.25\n".repeat(12)).toString(), "--ridge", "0.1", "--model", model(),
        "--quiet"), err);
    assertEquals(0, nke("predict", "--model", model(), "--x", x.toString(), "--out",
        dir.resolve("r.csv").toString(), "--quiet"), err);
    assertTrue(Files.readAllLines(dir.resolve("r.csv")).get(0).contains("."));
  }

  @Test
  void aCifarBatchBringsItsOwnLabels() throws IOException {
    byte[] cifar = new byte[6 * 3073];
    new Random(3).nextBytes(cifar);
    for (int i = 0; i < 6; i++) {
      cifar[i * 3073] = (byte) (i % 2 * 4); // labels 0 and 4
    }
    Path bin = dir.resolve("data_batch_1.bin");
    Files.write(bin, cifar);
    assertEquals(0, nke("fit", "--arch", CONV, "--x", bin.toString(), "--method", "sketch", "--dim",
        "64", "--ridge", "0.1", "--model", model(), "--quiet"), err);
    assertTrue(err.contains("no --labels: using the labels inside the CIFAR-10 batch " + bin), err);
    assertTrue(err.contains("2 classes"), err);
    assertEquals(0, nke("predict", "--model", model(), "--x", bin.toString(), "--out",
        dir.resolve("p.csv").toString(), "--quiet"), err);
    assertTrue(err.contains("test accuracy = "), err);
    // an IDX image file has its labels elsewhere, and points need labels
    byte[] idx = new byte[16 + 2 * 36];
    idx[2] = 8;
    idx[3] = 3;
    idx[7] = 2;
    idx[11] = 6;
    idx[15] = 6;
    Path images = dir.resolve("train-images-idx3-ubyte");
    Files.write(images, idx);
    assertEquals(2, nke("fit", "--arch", CONV, "--x", images.toString(), "--model", model()), err);
    assertTrue(err.contains("--labels is required for images other than CIFAR-10 batches"), err);
    assertEquals(2, nke("fit", "--arch", ARCH, "--x", points("x.csv", 4, 1).toString(), "--model",
        model()), err);
  }
}
