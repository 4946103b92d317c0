package org.nke.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nke.io.NpyReader;

/**
 * Sparse files where dense rows are needed and libsvm index conventions: {@code nke kernel} and
 * {@code nke features --method sketch} on {@code .svm}, zero-based files, and test files with
 * features the model has not seen.
 */
class SparseInputCommandsTest extends CommandTest {
  private static final String ARCH = "Dense(W_std=1.5, b_std=0.1), Relu(), Dense()";

  @TempDir
  Path dir;

  /** Points with three (rounded) non-zeros at random among {@code d} columns. */
  private static double[][] points(int n, int d, long seed) {
    Random r = new Random(seed);
    double[][] x = new double[n][d];
    for (double[] row : x) {
      for (int k = 0; k < 3; k++) {
        row[r.nextInt(d)] = Math.round(10 * (1 + r.nextGaussian())) / 10.0;
      }
    }
    return x;
  }

  /** libsvm text of the points (labels 0, 1, 0, …), indices from {@code base}, zeros left out. */
  private Path libsvm(String name, double[][] x, int base) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < x.length; i++) {
      sb.append(i % 2);
      for (int j = 0; j < x[i].length; j++) {
        if (x[i][j] != 0) {
          sb.append(' ').append(j + base).append(':').append(x[i][j]);
        }
      }
      sb.append('\n');
    }
    Path p = dir.resolve(name);
    Files.writeString(p, sb);
    return p;
  }

  private Path csv(String name, double[][] x) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (double[] row : x) {
      for (int j = 0; j < row.length; j++) {
        sb.append(j > 0 ? "," : "").append(row[j]);
      }
      sb.append('\n');
    }
    Path p = dir.resolve(name);
    Files.writeString(p, sb);
    return p;
  }

  private double[] npy(String name) {
    return NpyReader.read(dir.resolve(name)).data();
  }

  @Test
  void kernelOfSparseFilesEqualsTheKernelOfTheirDenseRows() throws IOException {
    double[][] x = points(12, 8, 1);
    double[][] y = points(5, 8, 2);
    x[0][7] = 1.5; // the largest index of X is the dimension, Y's may be smaller
    assertEquals(0, nke("kernel", "--arch", ARCH, "--x", csv("x.csv", x).toString(), "--y",
        csv("y.csv", y).toString(), "--kind", "ntk", "--out", dir.resolve("dense.npy").toString(),
        "--quiet"), err);
    assertEquals(0, nke("kernel", "--arch", ARCH, "--x", libsvm("x.svm", x, 1).toString(), "--y",
        libsvm("y.svm", y, 1).toString(), "--kind", "ntk", "--out", dir.resolve("sparse.npy").toString(),
        "--quiet"), err);
    assertArrayEquals(npy("dense.npy"), npy("sparse.npy"));
    // a sparse Y against dense X, and the dimension check still applies to fixed dimensions
    assertEquals(0, nke("kernel", "--arch", ARCH, "--x", dir.resolve("x.csv").toString(), "--y",
        dir.resolve("y.svm").toString(), "--kind", "ntk", "--out", dir.resolve("mixed.npy").toString(),
        "--quiet"), err);
    assertArrayEquals(npy("dense.npy"), npy("mixed.npy"));
    assertEquals(4, nke("kernel", "--arch", ARCH, "--x", csv("narrow.csv", points(3, 4, 3)).toString(),
        "--y", dir.resolve("x.svm").toString(), "--out", dir.resolve("bad.npy").toString()), err);
    assertTrue(err.contains("must have the dimension of"), err);
    assertFalse(Files.exists(dir.resolve("bad.npy")));
  }

  @Test
  void xAndYOfOneKernelAreReadWithOneIndexBase() throws IOException {
    // Y is zero-based too but happens to lack index 0: read alone it would shift by one
    Files.writeString(dir.resolve("x0.svm"), "1 0:1 1:2\n");
    Files.writeString(dir.resolve("y0.svm"), "1 1:2\n");
    assertEquals(0, nke("kernel", "--arch", ARCH, "--x", dir.resolve("x0.svm").toString(), "--y",
        dir.resolve("y0.svm").toString(), "--out", dir.resolve("k0.npy").toString(), "--quiet"), err);
    assertTrue(err.contains("read as zero-based too"), err);
    assertEquals(0, nke("kernel", "--arch", ARCH, "--x", csv("x0.csv", new double[][] {{1, 2}})
        .toString(), "--y", csv("y0.csv", new double[][] {{0, 2}}).toString(), "--out",
        dir.resolve("k0d.npy").toString(), "--quiet"), err);
    assertArrayEquals(npy("k0d.npy"), npy("k0.npy"));
  }

  @Test
  void indicesThatAreNotWholeNumbersInRangeAreBadInput() throws IOException {
    for (String bad : new String[] {"1 1.5:2\n", "1 2147483647:1\n", "1 1e12:1\n"}) {
      Files.writeString(dir.resolve("bad.svm"), bad);
      assertEquals(4, nke("kernel", "--arch", ARCH, "--x", dir.resolve("bad.svm").toString(),
          "--out", dir.resolve("kb.npy").toString()), bad);
      assertTrue(err.contains("feature indices must be whole numbers"), err);
    }
  }

  @Test
  void sketchFeaturesOfASparseFileDensifyItAndPointToTheSubspaceMethod() throws IOException {
    double[][] x = points(20, 30, 4);
    String[] common = {"features", "--arch", ARCH, "--kind", "nngp", "--dim", "128", "--seed", "5",
        "--quiet", "--backend", "cpu"};
    assertEquals(0, nke(concat(common, "--x", csv("x.csv", x).toString(), "--out",
        dir.resolve("dense.npy").toString())), err);
    assertEquals(0, nke(concat(common, "--x", libsvm("x.svm", x, 1).toString(), "--out",
        dir.resolve("sparse.npy").toString())), err);
    assertTrue(err.contains("made dense") && err.contains("--method subspace"), err);
    assertArrayEquals(npy("dense.npy"), npy("sparse.npy"));
  }

  @Test
  void sparsePointsTooLargeToMakeDenseExitWithFive() throws IOException {
    Path huge = dir.resolve("huge.svm");
    Files.writeString(huge, "1 1:1 2000000000:1\n0 3:1\n");
    assertEquals(5, nke("kernel", "--arch", ARCH, "--x", huge.toString(), "--out",
        dir.resolve("K.npy").toString()), err);
    assertTrue(err.contains("made dense for nke kernel") && err.contains("--method subspace"), err);
    assertEquals(5, nke("features", "--arch", ARCH, "--x", huge.toString(), "--kind", "nngp", "--dim",
        "64", "--out", dir.resolve("F.npy").toString()), err);
    assertTrue(err.contains("made dense for --method sketch"), err);
    assertFalse(Files.exists(dir.resolve("K.npy")) || Files.exists(dir.resolve("F.npy")));
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void zeroBasedFilesAreDetectedAndTheModelReadsItsTestFilesTheSameWay() throws IOException {
    double[][] train = points(30, 6, 6);
    train[0][0] = 2; // index 0 occurs in the zero-based training file
    double[][] test = points(10, 6, 7);
    for (double[] row : test) {
      row[0] = 0; // ... but not in its test file
    }
    assertEquals(0, nke("fit", "--arch", ARCH, "--x", libsvm("train1.svm", train, 1).toString(),
        "--ridge", "0.1", "--model", dir.resolve("m1.nkem").toString(), "--quiet"), err);
    assertFalse(err.contains("zero-based"), err);
    assertEquals(0, nke("fit", "--arch", ARCH, "--x", libsvm("train0.svm", train, 0).toString(),
        "--ridge", "0.1", "--model", dir.resolve("m0.nkem").toString(), "--quiet"), err);
    assertTrue(err.contains("train0.svm has feature index 0, so its libsvm indices are read as "
        + "zero-based"), err);
    assertTrue(err.contains("libsvm_index_base = zero"), err);
    assertEquals(0, nke("predict", "--model", dir.resolve("m1.nkem").toString(), "--x",
        libsvm("test1.svm", test, 1).toString(), "--scores", "--out", dir.resolve("p1.npy").toString(),
        "--quiet"), err);
    assertEquals(0, nke("predict", "--model", dir.resolve("m0.nkem").toString(), "--x",
        libsvm("test0.svm", test, 0).toString(), "--scores", "--out", dir.resolve("p0.npy").toString(),
        "--quiet"), err);
    assertArrayEquals(npy("p1.npy"), npy("p0.npy"));
  }

  @Test
  void featuresTheModelHasNotSeenAreIgnoredWithAWarning() throws IOException {
    double[][] train = points(30, 5, 8);
    train[0][4] = 1; // training dimension 5
    double[][] test = points(8, 5, 9);
    Path model = dir.resolve("m.nkem");
    assertEquals(0, nke("fit", "--arch", ARCH, "--x", libsvm("train.svm", train, 1).toString(),
        "--ridge", "0.1", "--model", model.toString(), "--quiet"), err);
    Path plain = libsvm("test.svm", test, 1);
    List<String> lines = Files.readAllLines(plain);
    lines.set(2, lines.get(2) + " 7:1.5 9:2");
    lines.set(5, lines.get(5) + " 6:1");
    Path wide = dir.resolve("wide.svm");
    Files.write(wide, lines);
    assertEquals(0, nke("predict", "--model", model.toString(), "--x", plain.toString(), "--scores",
        "--out", dir.resolve("plain.npy").toString(), "--quiet"), err);
    assertEquals(0, nke("predict", "--model", model.toString(), "--x", wide.toString(), "--scores",
        "--out", dir.resolve("wide.npy").toString(), "--quiet"), err);
    assertTrue(err.contains(String.format(Locale.ROOT, "warning: %s: ignored 3 non-zeros in 2 rows at "
        + "features the model has not seen: indices beyond its input dimension 5", wide)), err);
    assertArrayEquals(npy("plain.npy"), npy("wide.npy"));
  }
}
