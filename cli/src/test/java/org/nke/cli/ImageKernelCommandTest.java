package org.nke.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nke.Kernels;
import org.nke.io.DataFiles;
import org.nke.io.MatrixWriter;
import org.nke.io.NpyArray;
import org.nke.io.NpyReader;
import org.nke.ir.ImageBatch;
import org.nke.spi.Precision;

/** {@code nke kernel} on image files: the CNTK, standardisation, flattening, and bad image files. */
class ImageKernelCommandTest extends CommandTest {
  private static final String CONV = "Conv(8, (3, 3), padding='SAME', W_std=1.4, b_std=0.1), Relu(), "
      + "AvgPool((2, 2), strides=(2, 2)), Conv(8, (3, 3), padding='SAME', W_std=1.4), Relu(), Flatten(), "
      + "Dense()";

  @TempDir
  Path dir;

  private long outputs() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith("K")).count();
    }
  }

  /**
   * Writes images as a 4-D float64 .npy: the library's 2-D writer on rows of H·W·C values, with the
   * shape in the header replaced by (n, H, W, C) (same data, same header length).
   */
  private Path npyImages(String name, int n, int h, int w, int c, long seed) throws IOException {
    Random rnd = new Random(seed);
    double[][] rows = new double[n][h * w * c];
    for (double[] r : rows) {
      for (int k = 0; k < r.length; k++) {
        r[k] = rnd.nextGaussian() + 0.5;
      }
    }
    Path flat = dir.resolve(name + ".flat.npy");
    try (OutputStream os = Files.newOutputStream(flat)) {
      MatrixWriter.write(os, flat, Precision.F64, n, h * w * c, (i, out) -> System.arraycopy(rows[i], 0,
          out, 0, rows[i].length));
    }
    byte[] bytes = Files.readAllBytes(flat);
    String shape4 = "(" + n + ", " + h + ", " + w + ", " + c + ")";
    Path p = dir.resolve(name);
    int hl = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
    String old = new String(bytes, 10, hl, java.nio.charset.StandardCharsets.ISO_8859_1);
    String dict = old.trim().replaceFirst("\\(\\d+, \\d+\\)", shape4);
    String padded = dict + " ".repeat(hl - dict.length() - 1) + "\n";
    try (OutputStream os = Files.newOutputStream(p)) {
      os.write(bytes, 0, 10);
      os.write(padded.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      os.write(bytes, 10 + hl, bytes.length - 10 - hl);
    }
    Files.delete(flat);
    return p;
  }

  @Test
  void myrtle5OnNpyImagesMatchesTheLibrary() throws IOException {
    Path x = npyImages("x.npy", 3, 32, 32, 3, 1);
    assertEquals(0, nke("kernel", "--arch", "Myrtle5", "--x", x.toString(), "--kind", "both", "--out",
        dir.resolve("K.npy").toString(), "--backend", "cpu"), err);
    NpyArray ntk = NpyReader.read(dir.resolve("K.ntk.npy"));
    assertArrayEquals(new int[] {3, 3}, ntk.shape());
    ImageBatch images = DataFiles.readImages(x);
    double[][] ref = Kernels.of("Myrtle5").withBackend("cpu").ntk(images).toArray();
    assertEquals(ref[1][2], ntk.data()[5], 0.0);
    assertTrue(err.contains("CNTK of images (3, 32, 32, 3): 3 image pairs"), err);
    assertTrue(err.contains("nke: exact both CNTK of 3 x 3 images: about ") && err.contains(
        "(6 pairs at "), err); // the up-front estimate: n(n+1)/2 pairs
    assertTrue(err.contains("both CNTK of 3 x 3 images"), err);
  }

  @Test
  void cifarAndIdxFilesWithStandardisation() throws IOException {
    byte[] cifar = new byte[2 * 3073];
    Random rnd = new Random(2);
    rnd.nextBytes(cifar);
    cifar[0] = 3;
    cifar[3073] = 9;
    Path bin = dir.resolve("test_batch.bin");
    Files.write(bin, cifar);
    assertEquals(0, nke("kernel", "--arch", CONV, "--x", bin.toString(), "--standardize", "--out",
        dir.resolve("K.csv").toString(), "--quiet"), err);
    assertTrue(err.contains("standardised each channel"), err);
    ImageBatch raw = DataFiles.readImages(bin);
    double[][] ref = Kernels.of(CONV).withBackend("cpu").nngp(raw.standardized(raw.channelStats()))
        .toArray();
    String[] row = Files.readAllLines(dir.resolve("K.csv")).get(1).split(",");
    assertEquals(ref[1][0], Double.parseDouble(row[0]), 1e-12 * Math.abs(ref[1][0]));

    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(bos))) {
      out.writeInt(0x803);
      out.writeInt(2);
      out.writeInt(6);
      out.writeInt(6);
      byte[] px = new byte[72];
      rnd.nextBytes(px);
      out.write(px);
    }
    Path idx = dir.resolve("t10k-images-idx3-ubyte.gz");
    Files.write(idx, bos.toByteArray());
    assertEquals(0, nke("kernel", "--arch", "Conv(4, (3, 3)), Relu(), GlobalAvgPool(), Dense()", "--x",
        idx.toString(), "--y", idx.toString(), "--out", dir.resolve("K2.npy").toString()), err);
    assertArrayEquals(new int[] {2, 2}, NpyReader.read(dir.resolve("K2.npy")).shape());
  }

  /** A network whose first image-only layer is a pooling (no Conv) still takes images. */
  @Test
  void aPoolingFirstNetworkReadsImages() throws IOException {
    Path x = npyImages("x.npy", 3, 4, 4, 2, 4);
    String arch = "SumPool((2, 2), strides=(2, 2)), Flatten(), Dense(W_std=1.2), Relu(), Dense()";
    assertEquals(0, nke("kernel", "--arch", arch, "--x", x.toString(), "--out",
        dir.resolve("K.npy").toString(), "--backend", "cpu"), err);
    assertTrue(err.contains("CNTK of 3 x 3 images"), err);
    double[][] ref = Kernels.of(arch).withBackend("cpu").nngp(DataFiles.readImages(x)).toArray();
    assertEquals(ref[0][2], NpyReader.read(dir.resolve("K.npy")).data()[2], 0.0);
  }

  @Test
  void denseArchitecturesFlattenImagesAndSaySo() throws IOException {
    Path x = npyImages("x.npy", 2, 4, 4, 2, 3);
    assertEquals(0, nke("kernel", "--arch", "Dense(W_std=1.5), Relu(), Dense()", "--x", x.toString(),
        "--out", dir.resolve("K.npy").toString()), err);
    assertTrue(err.contains("flattened to a vector of H*W*C = 32 values"), err);
    double[][] ref = Kernels.of("Dense(W_std=1.5), Relu(), Dense()").withBackend("cpu")
        .nngp(DataFiles.readImages(x).toPoints()).toArray();
    assertEquals(ref[0][1], NpyReader.read(dir.resolve("K.npy")).data()[1], 0.0);
  }

  @Test
  void badImageInputsExitWithFourAndWriteNothing() throws IOException {
    Path csv = dir.resolve("x.csv");
    Files.writeString(csv, "1,2\n3,4\n");
    assertEquals(4, nke("kernel", "--arch", "Myrtle5", "--x", csv.toString(), "--out",
        dir.resolve("K.npy").toString()));
    assertTrue(err.contains("must hold images"), err);
    Path bin = dir.resolve("data_batch_1.bin");
    Files.write(bin, new byte[3073 + 17]);
    assertEquals(4, nke("kernel", "--arch", CONV, "--x", bin.toString(), "--out",
        dir.resolve("K.npy").toString()));
    assertTrue(err.contains("data_batch_1.bin") && err.contains("17 extra bytes"), err);
    Path idx = dir.resolve("x-idx3-ubyte");
    Files.write(idx, new byte[] {0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2, 1, 2, 3});
    assertEquals(4, nke("kernel", "--arch", CONV, "--x", idx.toString(), "--out",
        dir.resolve("K.npy").toString()));
    assertTrue(err.contains("truncated") && err.contains("8 values, got only 3"), err);
    Path x = npyImages("x.npy", 2, 6, 6, 3, 4);
    Path y = npyImages("y.npy", 1, 5, 6, 3, 5);
    assertEquals(4, nke("kernel", "--arch", CONV, "--x", x.toString(), "--y", y.toString(), "--out",
        dir.resolve("K.npy").toString()));
    assertTrue(err.contains("shape of X images"), err);
    assertEquals(2, nke("kernel", "--arch", "Conv(1, (9, 9)), Flatten()", "--x", x.toString(), "--out",
        dir.resolve("K.npy").toString()));
    assertTrue(err.contains("does not fit a 6x6 input"), err);
    assertEquals(0, outputs());
  }

  @Test
  void myrtleOnImagesSmallerThan32SaysWhatItNeedsAndPadToMakesThemFit() throws IOException {
    Path x = npyImages("fm.npy", 2, 28, 28, 1, 7);
    assertEquals(2, nke("kernel", "--arch", "Myrtle5", "--x", x.toString(), "--out",
        dir.resolve("K.npy").toString(), "--quiet"), err);
    assertTrue(err.contains("this network needs images of at least 32x32, got 28x28: zero-pad them "
        + "(nke's image commands: --pad-to 32)"), err);
    assertEquals(0, outputs());
    assertEquals(0, nke("kernel", "--arch", "Myrtle5", "--x", x.toString(), "--pad-to", "32", "--out",
        dir.resolve("K.npy").toString(), "--quiet"), err);
    assertTrue(err.contains("zero-padded 2 images from 28x28 to 32x32"), err);
    assertEquals(2, nke("kernel", "--arch", "Myrtle5", "--x", x.toString(), "--pad-to", "20", "--out",
        dir.resolve("K2.npy").toString(), "--quiet"), err);
    assertTrue(err.contains("--pad-to must be at least the images' sides 28x28, got 20"), err);
  }

  @Test
  void padToCentresTheImageInZeros() throws IOException {
    ImageBatch one = ImageBatch.of(new double[] {1, 2, 3, 4, 5, 6}, 1, 2, 3, 1);
    ImageBatch p = ImageInputs.padded(null, one, 5);
    double[] got = new double[25];
    p.copyImage(0, got);
    // rows 0..1 of 2 go to rows 1..2 of 5 ((5-2)/2 = 1 above), columns 0..2 to 1..3 ((5-3)/2 = 1)
    assertArrayEquals(new double[] {0, 0, 0, 0, 0, 0, 1, 2, 3, 0, 0, 4, 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0}, got, 0.0);
    Path x = npyImages("x.npy", 3, 5, 4, 2, 3);
    assertEquals(0, nke("kernel", "--arch", CONV, "--x", x.toString(), "--pad-to", "8", "--kind", "ntk",
        "--out", dir.resolve("K.npy").toString(), "--quiet"), err);
    ImageBatch padded = ImageInputs.padded(null, DataFiles.readImages(x), 8);
    double[][] ref = Kernels.of(CONV).withBackend("cpu").ntk(padded).toArray();
    NpyArray k = NpyReader.read(dir.resolve("K.npy"));
    assertEquals(ref[0][2], k.data()[2], 1e-12 * Math.abs(ref[0][2]));
    assertEquals(ref[2][2], k.data()[8], 1e-12 * Math.abs(ref[2][2]));
  }
}
