package org.nke.spark;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Builds the job jar from the test class path (the shaded {@code nke-spark.jar} only exists after
 * {@code package}): engine-core's and engine-spark's classes and the libraries Spark does not
 * provide (EJML, JTransforms, JLargeArrays).
 */
final class JobJar {
  private static final String[] LIBRARIES = {"ejml-", "JTransforms-", "JLargeArrays-"};

  private JobJar() {
  }

  static Path build(Path dir) throws IOException {
    Path jar = dir.resolve("nke-spark-job.jar");
    Set<String> seen = new HashSet<>();
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      for (String entry : cp.split(java.io.File.pathSeparator)) {
        Path p = Path.of(entry);
        String name = p.getFileName() == null ? "" : p.getFileName().toString();
        if (Files.isDirectory(p) && p.endsWith(Path.of("target", "classes"))) {
          try (Stream<Path> files = Files.walk(p)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
              add(out, seen, p.relativize(f).toString().replace('\\', '/'), Files.newInputStream(f));
            }
          }
        } else if (Stream.of(LIBRARIES).anyMatch(name::startsWith) && name.endsWith(".jar")
            || name.startsWith("engine-core-") && name.endsWith(".jar")) {
          try (JarFile j = new JarFile(p.toFile())) {
            for (JarEntry e : java.util.Collections.list(j.entries())) {
              if (!e.isDirectory() && !e.getName().startsWith("META-INF/")) {
                add(out, seen, e.getName(), j.getInputStream(e));
              }
            }
          }
        }
      }
    }
    return jar;
  }

  private static void add(JarOutputStream out, Set<String> seen, String name, InputStream in)
      throws IOException {
    try (in) {
      if (seen.add(name)) {
        out.putNextEntry(new JarEntry(name));
        in.transferTo(out);
        out.closeEntry();
      }
    }
  }

}
