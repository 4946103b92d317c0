package org.nke;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Project standards enforced by a test (cf. EJML's {@code TestEnforceCodeStandards}): main source
 * files stay under 400 lines, public types carry javadoc, and only the command line prints to
 * {@code System.out}/{@code System.err}, and the SPI reaches the engine's packages only through the
 * data-only {@code org.nke.ir}.
 */
class CodeStandardsTest {
  private static final int MAX_LINES = 400;
  private static final Pattern PUBLIC_TYPE = Pattern.compile(
      "^public (final |abstract |sealed )*(class|interface|record|enum) ", Pattern.MULTILINE);

  private static List<Path> mainSources() throws IOException {
    Path root = Path.of("").toAbsolutePath().getParent();
    List<Path> out = new ArrayList<>();
    try (Stream<Path> modules = Files.list(root)) {
      for (Path m : modules.toList()) {
        Path src = m.resolve("src/main/java");
        if (Files.isDirectory(src)) {
          try (Stream<Path> files = Files.walk(src)) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(out::add);
          }
        }
      }
    }
    return out;
  }

  @Test
  void mainFilesStayUnderTheLineLimit() throws IOException {
    List<String> long_ = new ArrayList<>();
    for (Path f : mainSources()) {
      long n = Files.readAllLines(f).size();
      if (n > MAX_LINES) {
        long_.add(f.getFileName() + ": " + n);
      }
    }
    assertTrue(long_.isEmpty(), "files over " + MAX_LINES + " lines: " + long_);
  }

  @Test
  void publicTypesHaveJavadoc() throws IOException {
    List<String> missing = new ArrayList<>();
    for (Path f : mainSources()) {
      String s = Files.readString(f);
      var m = PUBLIC_TYPE.matcher(s);
      while (m.find()) {
        String before = s.substring(0, m.start()).stripTrailing();
        while (before.endsWith(")") || before.matches("(?s).*@\\w+$")) {
          int at = before.lastIndexOf('@');
          if (at < 0) {
            break;
          }
          before = before.substring(0, at).stripTrailing();
        }
        if (!before.endsWith("*/")) {
          missing.add(f.getFileName().toString());
        }
      }
    }
    assertTrue(missing.isEmpty(), "public types without javadoc: " + missing);
  }

  @Test
  void onlyTheCommandLinePrints() throws IOException {
    List<String> offenders = new ArrayList<>();
    for (Path f : mainSources()) {
      if (f.toString().contains("/org/nke/cli/") || f.toString().contains("/org/nke/bench/")) {
        continue;
      }
      String s = Files.readString(f);
      if (s.contains("System.out") || s.contains("System.err") || s.contains("printStackTrace")) {
        offenders.add(f.getFileName().toString());
      }
    }
    assertTrue(offenders.isEmpty(), "printing outside org.nke.cli: " + offenders);
  }

  /**
   * {@code org.nke.spi} exchanges data records ({@code org.nke.ir}, its own) and never names
   * {@code cntk}, {@code exact} or {@code io}; of {@code sketch} only the two feature plans
   * ({@code SketchPlan}, {@code CntkSketch}) are still named, by {@code Backend.features}.
   */
  @Test
  void theSpiNamesOnlyDataPackages() throws IOException {
    Pattern engine = Pattern.compile("org\\.nke\\.(cntk|exact|io|sketch)\\.(\\w+)");
    List<String> offenders = new ArrayList<>();
    for (Path f : mainSources()) {
      if (!f.toString().contains("/org/nke/spi/")) {
        continue;
      }
      String code = Files.readString(f).replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\\n]*", "");
      var m = engine.matcher(code);
      while (m.find()) {
        boolean plan = m.group(1).equals("sketch")
            && (m.group(2).equals("SketchPlan") || m.group(2).equals("CntkSketch"));
        if (!plan) {
          offenders.add(f.getFileName() + ": " + m.group());
        }
      }
    }
    assertTrue(offenders.isEmpty(), "spi names engine internals: " + offenders);
  }
}
