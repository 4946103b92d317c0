package org.nke.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CUDA-version trap, end to end without a GPU: a fake "CUDA 13" {@code libcublas.so.13} (three
 * functions, symbol version {@code libcublas.so.13}) is compiled with gcc; in a separate JVM,
 * {@link CudaLibraries#bindCublas()} finds it, loads it and our {@code libcublas.so.12} shim, and then
 * JCuda's real {@code libJCublas2-12.0.0} native (linked against {@code libcublas.so.12}) loads and its
 * calls arrive in the fake. Skipped where gcc or the built shim is missing.
 */
class ShimForwardingTest {
  private static final String FAKE = String.join("\n",
      "typedef struct ctx *cublasHandle_t;",
      "static int dummy;",
      "int cublasCreate_v2(cublasHandle_t *h) { *h = (cublasHandle_t) &dummy; return 0; }",
      "int cublasDestroy_v2(cublasHandle_t h) { (void) h; return 0; }",
      "int cublasGetVersion_v2(cublasHandle_t h, int *v) { (void) h; *v = 130042; return 0; }", "");

  private static boolean hasGcc() {
    try {
      return new ProcessBuilder("gcc", "--version").start().waitFor(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      return false;
    }
  }

  @Test
  void jcublasCallsReachACuda13CublasThroughTheShim(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(ShimForwardingTest.class.getResource(
        "/org/nke/cuda/native/linux-x86_64/libnke-cublas12-shim.so") != null,
        "the shim was not built (no gcc at build time)");
    Assumptions.assumeTrue(hasGcc(), "gcc not found");
    Files.writeString(dir.resolve("fake.c"), FAKE);
    Files.writeString(dir.resolve("fake.map"), "libcublas.so.13 { global: cublasCreate_v2; "
        + "cublasDestroy_v2; cublasGetVersion_v2; local: *; };\n");
    Process gcc = new ProcessBuilder("gcc", "-shared", "-fPIC", "-Wl,-soname,libcublas.so.13",
        "-Wl,--version-script," + dir.resolve("fake.map"), "-o", dir.resolve("libcublas.so.13")
        .toString(), dir.resolve("fake.c").toString()).redirectErrorStream(true).start();
    assertTrue(gcc.waitFor(60, TimeUnit.SECONDS) && gcc.exitValue() == 0,
        new String(gcc.getInputStream().readAllBytes()));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
        "-Dnke.cuda.libpath=" + dir, "-Djava.io.tmpdir=" + dir, ShimProbe.class.getName()))
        .redirectErrorStream(true).start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "probe JVM timed out");
    String out = new String(p.getInputStream().readAllBytes()).strip();
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.endsWith("how=shim create=0 getVersion=0 version=130042 destroy=0"), out);
  }
}
