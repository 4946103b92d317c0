package org.nke.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nke.error.InvalidInputException;
import org.nke.ir.ChannelStats;
import org.nke.ir.ImageBatch;

/** Image readers (NPY NHWC, CIFAR-10 binary, IDX) on generated files, good and malformed. */
class ImageReadersTest {
  @TempDir
  Path dir;

  /** A CIFAR record whose pixel byte at (c, h, w) is {@code (7c + 3h + w) mod 256}. */
  private static byte[] cifar(int n, int labelBase) {
    byte[] b = new byte[n * CifarReader.RECORD];
    for (int i = 0; i < n; i++) {
      int base = i * CifarReader.RECORD;
      b[base] = (byte) ((labelBase + i) % 10);
      for (int c = 0; c < 3; c++) {
        for (int h = 0; h < 32; h++) {
          for (int w = 0; w < 32; w++) {
            b[base + 1 + c * 1024 + h * 32 + w] = (byte) ((7 * c + 3 * h + w + i) % 256);
          }
        }
      }
    }
    return b;
  }

  private static byte[] idx(int magic, int[] dims, byte[] values) throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bos);
    out.writeInt(magic);
    for (int d : dims) {
      out.writeInt(d);
    }
    out.write(values);
    return bos.toByteArray();
  }

  private static byte[] gzip(byte[] b) throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
      gz.write(b);
    }
    return bos.toByteArray();
  }

  private Path file(String name, byte[] content) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, content);
    return p;
  }

  @Test
  void cifarRecordsBecomeHwcImagesInTheUnitRangeWithTheirLabels() throws IOException {
    LabeledImages li = CifarReader.read(file("data_batch_1.bin", cifar(3, 8)));
    ImageBatch x = li.images();
    assertEquals("(3, 32, 32, 3)", x.shapeString());
    assertArrayEquals(new int[] {8, 9, 0}, li.labels());
    assertEquals((7 * 2 + 3 * 5 + 31 + 1) / 255.0, x.get(1, 5, 31, 2), 0.0);
    assertEquals(0.0, x.get(0, 0, 0, 0), 0.0);
    assertEquals(3, DataFiles.readLabels(dir.resolve("data_batch_1.bin")).length);
    assertTrue(DataFiles.readInput(dir.resolve("data_batch_1.bin")).isImages());
  }

  @Test
  void malformedCifarFilesNameTheProblem() throws IOException {
    byte[] good = cifar(2, 0);
    byte[] cut = java.util.Arrays.copyOf(good, good.length - 5);
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> CifarReader.read(file("test_batch.bin", cut)));
    assertTrue(e.getMessage().contains("test_batch.bin") && e.getMessage().contains("3068 extra bytes"),
        e.getMessage());
    good[CifarReader.RECORD] = 12;
    e = assertThrows(InvalidInputException.class, () -> CifarReader.read(file("bad.bin", good)));
    assertTrue(e.getMessage().contains("got 12 at record 2"), e.getMessage());
    e = assertThrows(InvalidInputException.class, () -> CifarReader.read(file("empty.bin", new byte[0])));
    assertTrue(e.getMessage().contains("empty"), e.getMessage());
    assertEquals(4, e.exitCode());
  }

  @Test
  void idxImagesAndLabelsReadPlainAndGzipped() throws IOException {
    byte[] pixels = new byte[2 * 3 * 4];
    for (int k = 0; k < pixels.length; k++) {
      pixels[k] = (byte) (10 * k);
    }
    byte[] images = idx(IdxReader.IMAGES_MAGIC, new int[] {2, 3, 4}, pixels);
    byte[] labels = idx(IdxReader.LABELS_MAGIC, new int[] {2}, new byte[] {7, 3});
    for (boolean gz : new boolean[] {false, true}) {
      Path img = file("train-images-idx3-ubyte" + (gz ? ".gz" : ""), gz ? gzip(images) : images);
      Path lab = file("train-labels-idx1-ubyte" + (gz ? ".gz" : ""), gz ? gzip(labels) : labels);
      ImageBatch x = DataFiles.readImages(img);
      assertEquals("(2, 3, 4, 1)", x.shapeString());
      assertEquals(230 / 255.0, x.get(1, 2, 3, 0), 0.0);
      assertEquals(10 * 13 / 255.0, x.get(1, 0, 1, 0), 0.0);
      assertArrayEquals(new int[] {7, 3}, IdxReader.readLabels(lab));
      assertArrayEquals(new double[] {7, 3}, DataFiles.readLabels(lab));
    }
  }

  @Test
  void malformedIdxFilesNameTheProblem() throws IOException {
    byte[] labels = idx(IdxReader.LABELS_MAGIC, new int[] {2}, new byte[] {7, 3});
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> IdxReader.readImages(file("a-idx1-ubyte", labels)));
    assertTrue(e.getMessage().contains("IDX images file") && e.getMessage().contains("0x00000801"),
        e.getMessage());
    byte[] truncated = idx(IdxReader.IMAGES_MAGIC, new int[] {2, 3, 4}, new byte[10]);
    e = assertThrows(InvalidInputException.class,
        () -> IdxReader.readImages(file("t-idx3-ubyte.gz", gzip(truncated))));
    assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("24 values, got only 10"),
        e.getMessage());
    byte[] tooLong = idx(IdxReader.LABELS_MAGIC, new int[] {1}, new byte[] {1, 2});
    e = assertThrows(InvalidInputException.class, () -> IdxReader.readLabels(file("l.idx", tooLong)));
    assertTrue(e.getMessage().contains("bytes after"), e.getMessage());
    e = assertThrows(InvalidInputException.class, () -> IdxReader.readLabels(file("s.idx", new byte[3])));
    assertTrue(e.getMessage().contains("shorter"), e.getMessage());
    byte[] zeroDim = idx(IdxReader.IMAGES_MAGIC, new int[] {0, 3, 4}, new byte[0]);
    e = assertThrows(InvalidInputException.class, () -> IdxReader.readImages(file("z.idx", zeroDim)));
    assertTrue(e.getMessage().contains("dimension 1 must be at least 1"), e.getMessage());
  }

  @Test
  void npyNhwcArraysAreImagesAndTwoDimensionalOnesArePoints() throws IOException {
    double[] v = new double[2 * 2 * 3 * 2];
    for (int k = 0; k < v.length; k++) {
      v[k] = k * 0.5;
    }
    Path img = npy("x.npy", "(2, 2, 3, 2)", v);
    InputData d = DataFiles.readInput(img);
    assertTrue(d.isImages());
    assertEquals(v[((1 * 2 + 1) * 3 + 2) * 2 + 1], d.images().get(1, 1, 2, 1), 0.0);
    assertArrayEquals(java.util.Arrays.copyOfRange(v, 12, 24), d.asPoints()[1], 0.0);
    assertFalse(DataFiles.readInput(npy("p.npy", "(3, 8)", new double[24])).isImages());
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> DataFiles.readInput(npy("r3.npy", "(2, 3, 4)", new double[24])));
    assertTrue(e.getMessage().contains("(n, H, W, C)") && e.getMessage().contains("[2, 3, 4]"),
        e.getMessage());
    v[7] = Double.NaN;
    e = assertThrows(InvalidInputException.class, () -> DataFiles.readImages(npy("nan.npy",
        "(2, 2, 3, 2)", v)));
    assertTrue(e.getMessage().contains("nan.npy") && e.getMessage().contains("image 1, pixel (h=1, w=0), "
        + "channel 1"), e.getMessage());
    e = assertThrows(InvalidInputException.class, () -> DataFiles.readImages(npy("p2.npy", "(3, 8)",
        new double[24])));
    assertTrue(e.getMessage().contains("must hold images"), e.getMessage());
  }

  @Test
  void standardisationUsesPerChannelMeanAndPopulationStd() {
    double[] v = {1, 10, 3, 20, 5, 30, 7, 40};
    ImageBatch x = ImageBatch.of(v, 2, 1, 2, 2);
    ChannelStats s = x.channelStats();
    assertArrayEquals(new double[] {4, 25}, s.mean(), 1e-15);
    assertArrayEquals(new double[] {Math.sqrt(5), Math.sqrt(125)}, s.std(), 1e-14);
    ImageBatch z = x.standardized(s);
    assertEquals(-3 / Math.sqrt(5), z.get(0, 0, 0, 0), 1e-15);
    assertEquals(0, z.channelStats().mean()[1], 1e-15);
    assertEquals(1, z.channelStats().std()[1], 1e-14);
    ImageBatch constant = ImageBatch.of(new double[] {2, 2, 2, 2}, 2, 1, 1, 2);
    assertEquals(0, constant.standardized(constant.channelStats()).get(1, 0, 0, 1), 0.0);
    assertThrows(InvalidInputException.class, () -> ImageBatch.of(new double[4], 1, 2, 2, 1)
        .standardized(s));
    double[][] pts = ChannelStats.ofColumns(new double[][] {{1, 2}, {3, 6}}).applyToColumns(
        new double[][] {{1, 2}, {3, 6}});
    assertArrayEquals(new double[] {1, 1}, pts[1], 1e-15);
  }

  private Path npy(String name, String shape, double[] v) throws IOException {
    String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': " + shape + ", }";
    int total = 10 + dict.length() + 1;
    int pad = (64 - total % 64) % 64;
    String header = dict + " ".repeat(pad) + "\n";
    Path p = dir.resolve(name);
    try (OutputStream os = Files.newOutputStream(p)) {
      os.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
      os.write(ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) header.length())
          .array());
      os.write(header.getBytes(StandardCharsets.US_ASCII));
      ByteBuffer bb = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
      for (double d : v) {
        bb.putDouble(d);
      }
      os.write(bb.array());
    }
    return p;
  }
}
