package org.nke.cuda;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import jcuda.JCudaVersion;
import org.nke.error.ResourceLimitException;
import org.nke.spi.Availability;

/**
 * What the CUDA backend finds on this machine, established once per class loader by
 * {@link CudaBackendProvider}'s holder: driver, device, JCuda natives, cuBLAS/cuFFT bindings and a
 * JIT of the PTX. Touches JCuda, so it is only ever reached from inside the provider's
 * {@code catch (Throwable)}.
 *
 * @param availability the probe result
 * @param lines diagnostics for {@code nke doctor}
 * @param cublas how cuBLAS was bound ({@code null} when the probe stopped earlier)
 */
record CudaEnvironment(Availability availability, List<String> lines, CudaLibraries.Binding cublas) {
  private static final String[] DRIVER_DIRS = {"/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib",
      "/usr/local/nvidia/lib64", "/usr/local/nvidia/lib", "/usr/lib/wsl/lib", "/usr/local/cuda/compat"};

  /** @return where libcuda.so.1 was found, or {@code null} (no JCuda class is touched) */
  static String findDriver() {
    List<String> dirs = new ArrayList<>(List.of(DRIVER_DIRS));
    String ld = System.getenv("LD_LIBRARY_PATH");
    if (ld != null) {
      dirs.addAll(List.of(ld.split(":")));
    }
    for (String d : dirs) {
      if (!d.isBlank() && Files.exists(Path.of(d, "libcuda.so.1"))) {
        return Path.of(d, "libcuda.so.1").toString();
      }
    }
    try {
      byte[] cache = Files.readAllBytes(Path.of("/etc/ld.so.cache"));
      if (new String(cache, StandardCharsets.ISO_8859_1).contains("libcuda.so.1")) {
        return "libcuda.so.1 (ld.so.cache)";
      }
    } catch (java.io.IOException | RuntimeException e) {
      // no cache: not found
    }
    return null;
  }

  /**
   * Probes everything; may throw anything (the provider catches).
   *
   * @param driver where {@link #findDriver()} found libcuda.so.1
   * @return the environment
   */
  static CudaEnvironment detect(String driver) {
    List<String> lines = new ArrayList<>();
    lines.add("driver library   " + driver);
    lines.add("JCuda            " + JCudaVersion.get() + " (natives linux-x86_64)");
    int version = CudaContext.driverVersion();
    String driverVersion = version / 1000 + "." + (version % 1000) / 10;
    lines.add("driver CUDA      " + driverVersion);
    try (CudaContext ctx = CudaContext.open(0)) {
      int[] cc = ctx.computeCapability();
      long total = ctx.totalMemory();
      String device = String.format(Locale.ROOT, "%s, compute capability %d.%d, %s, CUDA driver %s",
          ctx.deviceName(), cc[0], cc[1], ResourceLimitException.human(total), driverVersion);
      lines.add("device 0         " + device);
      lines.add("free memory      " + ResourceLimitException.human(ctx.freeMemory()));
      CudaLibraries.Binding cublas = CudaLibraries.bindCublas();
      lines.add(cublas.detail());
      String cublasVersion;
      try (CublasHandle h = CublasHandle.create(ctx)) {
        int v = h.version();
        cublasVersion = v / 10000 + "." + (v / 100) % 100 + "." + v % 100;
        lines.add("cuBLAS           " + cublasVersion + " (cublasCreate and cublasGetVersion work)");
      } catch (Throwable t) {
        return new CudaEnvironment(Availability.unavailable("cuBLAS unusable: " + message(t)
            + " [" + cublas.detail() + "]"), lines, cublas);
      }
      lines.add(cufft());
      for (String family : PtxKernel.families()) {
        try (PtxModule m = PtxModule.load(ctx, family)) {
          lines.add("PTX              " + family + ".ptx JIT-compiled, " + m.entries()
              + " entries resolved");
        } catch (Throwable t) {
          return new CudaEnvironment(Availability.unavailable("PTX JIT failed (" + family + ".ptx): "
              + message(t)), lines, cublas);
        }
      }
      return new CudaEnvironment(Availability.available(device + ", cuBLAS " + cublasVersion + " ("
          + cublas.how() + ")"), lines, cublas);
    }
  }

  /**
   * cuFFT is needed only by the sketch features (which fall back to the CPU without it): its state is
   * reported, never fatal.
   */
  private static String cufft() {
    String reason = cufftUnusable();
    return reason == null ? "cuFFT: " + CudaLibraries.bindCufft().detail() + "; cufftGetVersion works"
        : "cuFFT: unusable (" + reason + "); sketch features will run on the CPU";
  }

  /**
   * Binds cuFFT (idempotent) and calls {@code cufftGetVersion}.
   *
   * @return {@code null} if cuFFT works, else why not
   */
  static String cufftUnusable() {
    try {
      CudaLibraries.bindCufft();
      int[] v = new int[1];
      CudaCalls.checkCufft(jcuda.jcufft.JCufft.cufftGetVersion(v), "cufftGetVersion");
      return null;
    } catch (Throwable t) {
      return message(t);
    }
  }

  /**
   * @param t a failure
   * @return one line: the class and message of the innermost cause
   */
  static String message(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    String m = c.getMessage();
    return c.getClass().getSimpleName() + (m == null ? "" : ": " + m.lines().findFirst().orElse(""));
  }
}
