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
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nke.error.InvalidInputException;

class SparseReadersTest {
  @TempDir
  Path dir;

  @Test
  void libsvmRowsLabelsAndCommentsAreRead() throws IOException {
    Path f = dir.resolve("a.svm");
    Files.writeString(f, "# header comment\n1 1:0.5 3:2 # trailing\n-1 qid:3 2:1.5\n0\n");
    SparseReaders.Labelled l = SparseReaders.read(f, 0);
    assertArrayEquals(new double[] {1, -1, 0}, l.labels());
    SparseMatrix m = l.points();
    assertEquals(3, m.rows());
    assertEquals(3, m.cols());
    assertArrayEquals(new double[] {0.5, 0, 2}, m.dense(0));
    assertArrayEquals(new double[] {0, 1.5, 0}, m.dense(1));
    assertEquals(0, m.rowNnz(2));
    assertEquals(10, SparseReaders.read(f, 10).points().cols());
  }

  @Test
  void libsvmProblemsNameTheLine() throws IOException {
    Path f = dir.resolve("b.svm");
    Files.writeString(f, "1 1:0.5\n2 3:x\n");
    assertTrue(assertThrows(InvalidInputException.class, () -> SparseReaders.read(f, 0)).getMessage()
        .contains("line 2"));
    Files.writeString(f, "1 3:1 2:1\n");
    assertThrows(InvalidInputException.class, () -> SparseReaders.read(f, 0));
    Files.writeString(f, "1 1:NaN\n");
    assertThrows(InvalidInputException.class, () -> SparseReaders.read(f, 0));
    Files.writeString(f, "1 -1:1\n");
    assertTrue(assertThrows(InvalidInputException.class, () -> SparseReaders.read(f, 0)).getMessage()
        .contains("feature indices must be whole numbers from 0 to 2147483646, got '-1' at line 1"));
  }

  @Test
  void aFileWithIndexZeroIsZeroBasedAsInScikitLearn() throws IOException {
    Path zero = dir.resolve("zero.svm");
    Files.writeString(zero, "1 0:0.5 2:2\n0 1:1.5\n");
    SparseReaders.Labelled z = SparseReaders.read(zero, 0);
    assertTrue(z.base() == SparseReaders.IndexBase.ZERO && z.sawZero());
    assertEquals(3, z.points().cols());
    assertArrayEquals(new double[] {0.5, 0, 2}, z.points().dense(0));
    assertArrayEquals(new double[] {0, 1.5, 0}, z.points().dense(1));
    Path one = dir.resolve("one.svm");
    Files.writeString(one, "1 1:0.5 3:2\n0 2:1.5\n");
    SparseReaders.Labelled o = SparseReaders.read(one, 0);
    assertTrue(o.base() == SparseReaders.IndexBase.ONE && !o.sawZero());
    assertEquals(z.points(), o.points());
    // forced zero-based (the test file of a zero-based model that happens to have no index 0)
    SparseReaders.Labelled forced = SparseReaders.read(one, 4, SparseReaders.IndexBase.ZERO);
    assertEquals(SparseReaders.IndexBase.ZERO, forced.base());
    assertArrayEquals(new double[] {0, 0.5, 0, 2}, forced.points().dense(0));
    // forced one-based (a one-based model): index 0 is a feature it never saw, dropped and counted
    SparseReaders.Labelled one4 = SparseReaders.read(zero, 3, SparseReaders.IndexBase.ONE);
    assertArrayEquals(new double[] {0, 2, 0}, one4.points().dense(0));
    assertEquals(1, one4.ignoredValues());
    assertEquals(1, one4.ignoredRows());
  }

  @Test
  void entriesBeyondAGivenDimensionAreDroppedAndCounted() throws IOException {
    Path f = dir.resolve("c.svm");
    Files.writeString(f, "1 1:1 5:2 7:3\n2 2:1\n3 4:1 9:1\n");
    SparseReaders.Labelled l = SparseReaders.read(f, 3);
    assertEquals(3, l.points().cols());
    assertEquals(4, l.ignoredValues());
    assertEquals(2, l.ignoredRows());
    assertArrayEquals(new double[] {1, 0, 0}, l.points().dense(0));
    assertArrayEquals(new double[] {0, 1, 0}, l.points().dense(1));
    assertEquals(0, l.points().rowNnz(2));
    assertEquals(0, SparseReaders.read(f, 0).ignoredValues());
    assertEquals(9, SparseReaders.read(f, 0).points().cols());
  }

  private static byte[] npy(String descr, String shape, ByteBuffer data) {
    String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
    String header = dict + " ".repeat(64 - (10 + dict.length() + 1) % 64) + "\n";
    ByteBuffer b = ByteBuffer.allocate(10 + header.length() + data.capacity());
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    b.put((byte) header.length()).put((byte) (header.length() >> 8));
    b.put(header.getBytes(StandardCharsets.US_ASCII));
    b.put(data.array());
    return b.array();
  }

  @Test
  void scipyCsrNpzIsRead() throws IOException {
    Path f = dir.resolve("x.npz");
    ByteBuffer data = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putDouble(1).putDouble(2)
        .putDouble(3);
    ByteBuffer indices = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(0).putInt(4)
        .putInt(2);
    ByteBuffer indptr = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(0).putInt(2)
        .putInt(3);
    ByteBuffer shape = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(2).putLong(5);
    try (OutputStream os = Files.newOutputStream(f); ZipOutputStream z = new ZipOutputStream(os)) {
      for (Object[] e : new Object[][] {{"data.npy", npy("<f8", "(3,)", data)},
          {"indices.npy", npy("<i4", "(3,)", indices)}, {"indptr.npy", npy("<i4", "(3,)", indptr)},
          {"shape.npy", npy("<i8", "(2,)", shape)},
          {"format.npy", npy("|S3", "()", ByteBuffer.wrap("csr".getBytes(StandardCharsets.US_ASCII)))}}) {
        z.putNextEntry(new ZipEntry((String) e[0]));
        z.write((byte[]) e[1]);
        z.closeEntry();
      }
    }
    SparseMatrix m = SparseReaders.read(f, 0).points();
    assertArrayEquals(new double[] {1, 0, 0, 0, 2}, m.dense(0));
    assertArrayEquals(new double[] {0, 0, 3, 0, 0}, m.dense(1));
    assertEquals(m, SparseMatrix.of(m.toDense()));
  }
}
