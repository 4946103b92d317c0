package org.nke.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nke.error.InvalidInputException;
import org.nke.spi.Precision;

class DataFilesTest {
  @TempDir
  Path dir;

  @Test
  void csvHeaderIsDetectedAndSkipped() throws IOException {
    Path p = dir.resolve("x.csv");
    Files.writeString(p, "f1, f2\n1, 2\n# comment\n\n3,4.5e-1\n");
    double[][] x = DataFiles.readPoints(p);
    assertEquals(2, x.length);
    assertArrayEquals(new double[] {3, 0.45}, x[1]);
  }

  @Test
  void npyRoundTripsInBothPrecisions() throws IOException {
    double[][] m = {{1.5, -2, 3}, {4, 5.25, 1e-300}};
    for (Precision p : Precision.values()) {
      Path f = dir.resolve("m" + p + ".npy");
      try (OutputStream os = Files.newOutputStream(f)) {
        MatrixWriter.write(os, f, p, 2, 3, (i, out) -> System.arraycopy(m[i], 0, out, 0, 3));
      }
      NpyArray a = NpyReader.read(f);
      assertArrayEquals(new int[] {2, 3}, a.shape());
      assertEquals(p == Precision.F64 ? "<f8" : "<f4", a.dtype());
      assertEquals(5.25, a.toMatrix("m")[1][1], 0.0);
      assertEquals(0, (Files.size(f) - 6 * p.bytes()) % 64, "header padded to 64 bytes");
    }
  }

  @Test
  void npyReaderHandlesIntegerAndBigEndianData() throws IOException {
    Path f = dir.resolve("u8.npy");
    writeNpy(f, "|u1", "(3,)", new byte[] {1, (byte) 200, 3});
    assertArrayEquals(new double[] {1, 200, 3}, NpyReader.read(f).data());
    ByteBuffer bb = ByteBuffer.allocate(16).order(ByteOrder.BIG_ENDIAN).putDouble(1.5).putDouble(-2);
    Path g = dir.resolve("be.npy");
    writeNpy(g, ">f8", "(1, 2)", bb.array());
    assertArrayEquals(new double[] {1.5, -2}, NpyReader.read(g).data());
  }

  private static void writeNpy(Path f, String descr, String shape, byte[] data) throws IOException {
    String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
    String header = dict + " ".repeat(64 - (10 + dict.length() + 1) % 64) + "\n";
    try (OutputStream os = Files.newOutputStream(f)) {
      os.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
      os.write(header.length() & 0xff);
      os.write(header.length() >> 8);
      os.write(header.getBytes(StandardCharsets.US_ASCII));
      os.write(data);
    }
  }

  @Test
  void badFilesNameTheProblem() throws IOException {
    Path nan = dir.resolve("nan.npy");
    ByteBuffer bb = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(1).putDouble(Double.NaN);
    writeNpy(nan, "<f8", "(2, 1)", bb.array());
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> DataFiles.readPoints(nan));
    assertTrue(e.getMessage().contains("row 2, column 1"), e.getMessage());
    Path rank3 = dir.resolve("r3.npy");
    writeNpy(rank3, "<f8", "(1, 1, 1)", new byte[8]);
    assertThrows(InvalidInputException.class, () -> DataFiles.readPoints(rank3));
    Path truncated = dir.resolve("t.npy");
    writeNpy(truncated, "<f8", "(4, 4)", new byte[8]);
    assertTrue(assertThrows(InvalidInputException.class, () -> DataFiles.readPoints(truncated))
        .getMessage().contains("truncated"));
    Path notNpy = dir.resolve("x.npy");
    Files.writeString(notNpy, "hello");
    assertThrows(InvalidInputException.class, () -> DataFiles.readPoints(notNpy));
    Path text = dir.resolve("x.csv");
    Files.writeString(text, "1,2\n3,x\n");
    assertTrue(assertThrows(InvalidInputException.class, () -> DataFiles.readPoints(text))
        .getMessage().contains("'x' at line 2, column 2"));
    assertThrows(InvalidInputException.class, () -> DataFiles.readPoints(dir.resolve("x.parquet")));
  }

  @Test
  void labelsAreOneValuePerRow() throws IOException {
    Path l = dir.resolve("y.csv");
    Files.writeString(l, "label\n1\n0\n2\n");
    assertArrayEquals(new double[] {1, 0, 2}, DataFiles.readLabels(l));
    Path two = dir.resolve("y2.csv");
    Files.writeString(two, "1,2\n");
    assertThrows(InvalidInputException.class, () -> DataFiles.readLabels(two));
  }

  @Test
  void atomicOutputLeavesNothingBehindWithoutCommit() throws IOException {
    Path target = dir.resolve("out.npy");
    try (AtomicOutput o = new AtomicOutput(); OutputStream s = o.open(target)) {
      s.write(1);
    }
    try (var files = Files.list(dir)) {
      assertEquals(0, files.count());
    }
    try (AtomicOutput o = new AtomicOutput()) {
      try (OutputStream s = o.open(target)) {
        s.write(1);
      }
      o.commit();
    }
    assertTrue(Files.exists(target));
  }
}
