package org.nke.cuda;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the CUDA backend may read of engine-core (issue 16: "engine-cuda uses the IR, not core
 * internals"): the SPI it implements, the IR records both sides exchange ({@code org.nke.ir}), the
 * dual activations and Hermite series it evaluates on the device, the errors it raises, and the sketch
 * plans with their random draws ({@code org.nke.sketch}: a plan is the data a device walk must
 * reproduce draw for draw). Anything else from {@code exact}, {@code cntk}, {@code krr} or {@code io}
 * is an engine internal; the few that remain are listed here with the reason, so that a new one is a
 * decision, not an accident.
 */
class EngineBoundaryTest {
  private static final List<String> PACKAGES = List.of("spi", "ir", "dual", "hermite", "error",
      "sketch", "cuda");

  /** The engine internals still read, and why. */
  private static final Map<String, String> EXCEPTIONS = Map.of(
      "cntk.PixelDual", "the host reference map that CudaConvOps' CPU fallback of an activation runs",
      "exact.DenseNetwork", "its Affine record: the coefficients of the sketches' affine maps");

  @Test
  void engineCudaReadsOnlyTheSpiTheIrAndTheSketchPlans() throws IOException {
    Pattern use = Pattern.compile("org\\.nke\\.(\\w+)\\.([A-Z]\\w*)");
    TreeSet<String> offenders = new TreeSet<>();
    TreeSet<String> used = new TreeSet<>();
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String code = Files.readString(f).replaceAll("(?s)/\\*.*?\\*/", "")
            .replaceAll("//[^\\n]*", "");
        Matcher m = use.matcher(code);
        while (m.find()) {
          String name = m.group(1) + "." + m.group(2);
          if (EXCEPTIONS.containsKey(name)) {
            used.add(name);
          } else if (!PACKAGES.contains(m.group(1))) {
            offenders.add(f.getFileName() + ": org.nke." + name);
          }
        }
      }
    }
    assertTrue(offenders.isEmpty(), "engine-cuda reads engine internals: " + offenders);
    assertTrue(used.equals(new TreeSet<>(EXCEPTIONS.keySet())), "exceptions no longer used (remove "
        + "them): " + EXCEPTIONS.keySet() + " vs " + used);
  }
}
