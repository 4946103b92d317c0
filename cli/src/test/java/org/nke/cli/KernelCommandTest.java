package org.nke.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nke.Kernels;
import org.nke.io.NpyArray;
import org.nke.io.NpyReader;

/** {@code nke kernel} end to end: outputs, formats, exit codes, and no partial files on failure. */
class KernelCommandTest extends CommandTest {
  @TempDir
  Path dir;

  private Path write(String name, String content) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, content);
    return p;
  }

  private long outputs() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith("K")).count();
    }
  }

  @Test
  void writesBothKernelsAsNpyMatchingTheLibrary() throws IOException {
    Path x = write("x.csv", "a,b,c\n1,2,3\n0.5,-1,2\n-2,0.1,0.3\n");
    int code = nke("kernel", "--arch", "Dense(W_std=1.5, b_std=0.1), Relu(), Dense()", "--x",
        x.toString(), "--kind", "both", "--out", dir.resolve("K.npy").toString(), "--backend", "cpu");
    assertEquals(0, code, err);
    NpyArray nngp = NpyReader.read(dir.resolve("K.nngp.npy"));
    NpyArray ntk = NpyReader.read(dir.resolve("K.ntk.npy"));
    assertEquals(3, nngp.shape()[0]);
    double[][] pts = {{1, 2, 3}, {0.5, -1, 2}, {-2, 0.1, 0.3}};
    double[][] ref = Kernels.of("Dense(W_std=1.5, b_std=0.1), Relu(), Dense()").ntk(pts).toArray();
    assertEquals(ref[0][2], ntk.data()[2], 0.0);
    assertEquals("<f8", nngp.dtype());
    assertTrue(err.contains("points in ") && err.contains(" s on cpu ("), err); // the summary line
    assertFalse(err.contains("backend cpu"), "asked for, so not repeated: " + err);
    // up front: 6 pairs at 2d + (2 + 4) + (40 + 1) + (2 + 4) = 59 flops; K and Θ, 3 variances
    assertTrue(err.contains("nke: exact both kernel of 3 x 3 points: about 354 FLOP (6 pairs at 59 "
        + "FLOP), peak 168 B (up-front estimate)"), err);
  }

  @Test
  void csvOutputAndFloat32AndASecondPointSet() throws IOException {
    Path x = write("x.csv", "1,2\n3,4\n5,6\n");
    Path y = write("y.csv", "0,1\n1,0\n");
    assertEquals(0, nke("kernel", "--arch", "Dense(), Erf(), Dense()", "--x", x.toString(), "--y",
        y.toString(), "--out", dir.resolve("K.csv").toString(), "--quiet"), err);
    assertEquals(3, Files.readAllLines(dir.resolve("K.csv")).size());
    assertEquals(2, Files.readAllLines(dir.resolve("K.csv")).get(0).split(",").length);
    assertEquals(0, nke("kernel", "--arch", "Dense(), Erf(), Dense()", "--x", x.toString(),
        "--dtype", "float32", "--out", dir.resolve("K32.npy").toString(), "--quiet"), err);
    assertEquals("<f4", NpyReader.read(dir.resolve("K32.npy")).dtype());
  }

  @Test
  void autoSaysWhichBackendItChoseUnderVerboseOrWhenItIsNews() throws IOException {
    Path x = write("x.csv", "1,2\n3,4\n");
    assertEquals(0, nke("kernel", "--arch", "Dense()", "--x", x.toString(), "--out",
        dir.resolve("K.npy").toString(), "--verbose"));
    assertTrue(err.contains("backend auto: chose "), err);
    assertEquals(0, nke("kernel", "--arch", "Dense()", "--x", x.toString(), "--out",
        dir.resolve("K.npy").toString()));
    try (var s = org.nke.spi.Backends.open("auto", org.nke.spi.BackendOptions.defaults())) {
      assertEquals(CommonOptions.worthSaying(s), err.contains("backend auto: chose "), err);
    }
  }

  @Test
  void theCpuIsNewsOnlyWhenAGpuWasThereButFailed() {
    try (var cpu = org.nke.spi.Backends.open("cpu", org.nke.spi.BackendOptions.defaults())) {
      var b = cpu.backend();
      assertFalse(CommonOptions.worthSaying(new org.nke.spi.Backends.Selection(b, "",
          java.util.List.of("cuda unavailable: no NVIDIA driver: libcuda.so.1 not found"))));
      assertTrue(CommonOptions.worthSaying(new org.nke.spi.Backends.Selection(b, "",
          java.util.List.of("cuda unavailable: PTX JIT failed (dual.ptx): ..."))));
    }
  }

  @Test
  void badDataExitsWithFourAndWritesNothing() throws IOException {
    String arch = "Dense(), Relu(), Dense()";
    Path nan = write("nan.csv", "1,2\n3,NaN\n");
    assertEquals(4, nke("kernel", "--arch", arch, "--x", nan.toString(), "--out",
        dir.resolve("K.npy").toString()));
    assertTrue(err.contains("line 2, column 2"), err);
    Path ragged = write("ragged.csv", "1,2\n3\n");
    assertEquals(4, nke("kernel", "--arch", arch, "--x", ragged.toString(), "--out",
        dir.resolve("K.npy").toString()));
    assertTrue(err.contains("line 2"), err);
    Path empty = write("empty.csv", "");
    assertEquals(4, nke("kernel", "--arch", arch, "--x", empty.toString(), "--out",
        dir.resolve("K.npy").toString()));
    assertTrue(err.contains("empty"), err);
    Path x = write("x.csv", "1,2\n3,4\n");
    Path y3 = write("y3.csv", "1,2,3\n");
    assertEquals(4, nke("kernel", "--arch", arch, "--x", x.toString(), "--y", y3.toString(),
        "--out", dir.resolve("K.npy").toString()));
    assertTrue(err.contains("dimension"), err);
    assertEquals(4, nke("kernel", "--arch", arch, "--x", dir.resolve("missing.csv").toString(),
        "--out", dir.resolve("K.npy").toString()));
    assertEquals(0, outputs());
  }

  @Test
  void usageErrorsExitWithTwoAndShowThePosition() throws IOException {
    Path x = write("x.csv", "1,2\n3,4\n");
    assertEquals(2, nke("kernel", "--arch", "Dense(), Foo(), Dense()", "--x", x.toString(), "--out",
        dir.resolve("K.npy").toString()));
    assertTrue(err.contains("unknown layer or activation 'Foo'"), err);
    assertEquals(2, nke("kernel", "--arch", "Dense(W_std=1.5", "--x", x.toString(), "--out",
        dir.resolve("K.npy").toString()));
    assertTrue(err.contains("^"), err);
    assertEquals(2, nke("kernel", "--arch", "Dense()", "--x", x.toString()));
    assertEquals(2, nke("kernel", "--arch", "Dense()", "--x", x.toString(), "--out",
        dir.resolve("K.npy").toString(), "--kind", "cntk"));
    assertEquals(2, nke("kernel", "--arch", "Relu(), Dense()", "--x", x.toString(), "--out",
        dir.resolve("K.npy").toString()));
    assertEquals(2, nke("kernel", "--bogus"));
    assertEquals(0, outputs());
  }

  @Test
  void unavailableCudaExitsWithThree() throws IOException {
    Path x = write("x.csv", "1,2\n3,4\n");
    int code = nke("kernel", "--arch", "Dense()", "--x", x.toString(), "--out",
        dir.resolve("K.npy").toString(), "--backend", "cuda");
    if (code == 3) {
      assertTrue(err.contains("backend cuda unavailable"), err);
      assertEquals(0, outputs());
    } else {
      assertEquals(0, code, "cuda is available here: " + err);
    }
  }

  @Test
  void doctorListsTheBackends() {
    assertEquals(0, nke("doctor"));
    assertTrue(out.contains("cpu") && out.contains("cuda") && out.contains("auto would choose"), out);
  }

  @Test
  void helpAndVersionWork() {
    assertEquals(0, nke("--help"));
    assertEquals(0, nke("kernel", "--help"));
    assertTrue(out.contains("--arch"), out);
    assertFalse(out.isBlank());
  }
}
