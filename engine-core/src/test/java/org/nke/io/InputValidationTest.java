package org.nke.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nke.error.InvalidInputException;
import org.nke.spi.Precision;

/**
 * Inputs as numpy writes them are read, and malformed ones are refused at once with file, line and
 * column: no stack trace, no minute spent allocating what a header promises.
 */
class InputValidationTest {
  @TempDir
  Path dir;

  /** A .npy header for {@code shape} of float64, followed by {@code dataBytes} zero bytes. */
  private Path npy(String name, String shape, long dataBytes) throws IOException {
    String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': " + shape + ", }";
    int pad = (64 - (10 + dict.length() + 1) % 64) % 64;
    String header = dict + " ".repeat(pad) + "\n";
    Path p = dir.resolve(name);
    try (OutputStream os = Files.newOutputStream(p)) {
      os.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length(), 0});
      os.write(header.getBytes(StandardCharsets.US_ASCII));
    }
    try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
      f.setLength(f.length() + dataBytes); // sparse: no disk used
    }
    return p;
  }

  @Test
  void aHeaderPromisingMoreThanTheFileHoldsFailsAtOnce() throws IOException {
    Path p = npy("big.npy", "(1000000000, 2)", 64);
    long t0 = System.nanoTime();
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> DataFiles.readPoints(p));
    assertTrue(e.getMessage().contains("is truncated: its header announces shape (1000000000, 2) of "
        + "<f8, 16000000000 bytes of data, got 64 bytes"), e.getMessage());
    assertThrows(InvalidInputException.class, () -> PointStream.open(p));
    assertTrue(System.nanoTime() - t0 < 1e9, "before allocating anything");
  }

  @Test
  void negativeAndOverflowingShapesAreBadInput() throws IOException {
    Path neg = npy("neg.npy", "(-1, 2)", 16);
    assertTrue(assertThrows(InvalidInputException.class, () -> DataFiles.readPoints(neg)).getMessage()
        .contains("must have a non-negative .npy shape, got (-1, 2)"));
    assertThrows(InvalidInputException.class, () -> PointStream.open(neg));
    Path huge = npy("huge.npy", "(4611686018427387904, 4)", 16);
    assertTrue(assertThrows(InvalidInputException.class, () -> DataFiles.readPoints(huge)).getMessage()
        .contains("fits in 64 bits"));
  }

  @Test
  void aFileLargerThanTheHeapIsAResourceError() throws IOException {
    long values = Runtime.getRuntime().maxMemory() / 8 + (1L << 20);
    org.junit.jupiter.api.Assumptions.assumeTrue(values < Integer.MAX_VALUE - 8, "heap under 16 GiB");
    Path p = npy("heap.npy", "(" + values + ",)", 8 * values);
    org.nke.error.ResourceLimitException e = assertThrows(org.nke.error.ResourceLimitException.class,
        () -> NpyReader.read(p));
    assertEquals(5, e.exitCode());
    assertTrue(e.getMessage().contains("NKE_JAVA_OPTS"), e.getMessage());
  }

  @Test
  void numpyTextIsReadAndItsNonFiniteSpellingsAreNamed() throws IOException {
    // np.savetxt's default: space-separated, %.18e
    Path txt = Files.writeString(dir.resolve("x.txt"),
        "1.000000000000000000e+00 2.500000000000000000e-01\n-3.000000000000000000e+00 4.0\n");
    assertArrayEquals(new double[] {-3, 4}, DataFiles.readPoints(txt)[1]);
    Path tabs = Files.writeString(dir.resolve("t.csv"), "1\t2\n3\t4\n");
    assertArrayEquals(new double[] {3, 4}, DataFiles.readPoints(tabs)[1]);
    for (String bad : new String[] {"nan", "inf", "-inf", "NaN", "+Infinity"}) {
      Path p = Files.writeString(dir.resolve("n.txt"), "1 2 3\n4 5 " + bad + "\n");
      String m = assertThrows(InvalidInputException.class, () -> DataFiles.readPoints(p)).getMessage();
      assertTrue(m.contains("values must be finite, got " + bad + " at line 2, column 3"), m);
      String s = assertThrows(InvalidInputException.class, () -> {
        try (PointStream ps = PointStream.open(p)) {
          ps.next(10);
        }
      }).getMessage();
      assertTrue(s.contains("must be finite"), s);
    }
  }

  @Test
  void javaOnlySpellingsAreNotNumbers() throws IOException {
    for (String bad : new String[] {"3d", "1f", "0x1p3", "1e", "--1", "1_000"}) {
      assertThrows(NumberFormatException.class, () -> TextNumbers.parse(bad), bad);
      Path p = Files.writeString(dir.resolve("j.csv"), "1,2\n" + bad + ",4\n");
      String m = assertThrows(InvalidInputException.class, () -> DataFiles.readPoints(p)).getMessage();
      assertTrue(m.contains("values must be numbers, got '" + bad + "' at line 2, column 1"), m);
    }
    assertEquals(-0.5, TextNumbers.parse(" -.5 "));
    assertEquals(1e-3, TextNumbers.parse("1.E-3"));
    assertEquals(Double.NEGATIVE_INFINITY, TextNumbers.parse("-inf"));
  }

  /** Writes a .npz of the given arrays (name, rows). */
  private Path npz(String file, Object... entries) throws IOException {
    Path p = dir.resolve(file);
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(p))) {
      for (int e = 0; e < entries.length; e += 2) {
        double[][] m = (double[][]) entries[e + 1];
        zip.putNextEntry(new ZipEntry(entries[e] + ".npy"));
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        MatrixWriter.write(bytes, Path.of("a.npy"), Precision.F64, m.length, m[0].length,
            (i, row) -> System.arraycopy(m[i], 0, row, 0, row.length));
        zip.write(bytes.toByteArray());
        zip.closeEntry();
      }
    }
    return p;
  }

  @Test
  void denseNpzGivesItsOnlyArrayOrArr0() throws IOException {
    double[][] x = {{1, 2}, {3, 4}, {5, 6}};
    Path one = npz("one.npz", "points", x);
    assertArrayEquals(x[2], DataFiles.readPoints(one)[2]);
    assertTrue(!SparseReaders.accepts(one));
    Path two = npz("two.npz", "arr_0", x, "arr_1", new double[][] {{9}});
    assertArrayEquals(x[1], DataFiles.readInput(two).points()[1]);
    try (PointStream ps = PointStream.open(two)) {
      assertEquals(3, ps.count());
    }
    Path named = npz("named.npz", "a", x, "b", x);
    assertTrue(assertThrows(InvalidInputException.class, () -> DataFiles.readPoints(named))
        .getMessage().contains("must hold one array, or arr_0 (np.savez), got the arrays [a, b]"));
    Path labels = npz("y.npz", "arr_0", new double[][] {{0}, {1}, {1}});
    assertArrayEquals(new double[] {0, 1, 1}, DataFiles.readLabels(labels));
  }
}
