package org.nke.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nke.io.NpyArray;
import org.nke.io.NpyReader;

/**
 * {@code nke} as a separate process: {@code -} reads standard input and writes standard output, and a
 * small heap (NKE_JAVA_OPTS=-Xmx…) gives exit code 5 with advice, never an OutOfMemoryError trace.
 */
class StandardStreamsTest {
  private static final String ARCH = "Dense(), Relu(), Dense()";

  @TempDir
  Path dir;

  /** Runs {@code nke args} in a new JVM with {@code heap}, {@code input} on stdin; stdout to a file. */
  private int nke(String heap, byte[] input, Path stdout, Path stderr, String... args)
      throws IOException, InterruptedException {
    Process p = process(heap, List.of(args)).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
        .start();
    try (var in = p.getOutputStream()) {
      in.write(input);
    }
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "nke finishes");
    return p.exitValue();
  }

  @Test
  void aDashReadsStandardInputAndWritesStandardOutput() throws Exception {
    Path out = dir.resolve("out");
    Path err = dir.resolve("err");
    byte[] text = "1 2\n3 4\n5 6\n".getBytes(StandardCharsets.US_ASCII);
    assertEquals(0, nke("-Xmx256m", text, out, err, "kernel", "--arch", ARCH, "--x", "-", "--out", "-"),
        Files.readString(err));
    NpyArray k = NpyReader.read(out);
    assertEquals(List.of(3, 3), List.of(k.shape()[0], k.shape()[1]));
    assertEquals(0, nke("-Xmx256m", Files.readAllBytes(out), out.resolveSibling("f.csv"), err,
        "features", "--arch", ARCH, "--x", "-", "--kind", "nngp", "--dim", "64", "--out", "-.csv"),
        Files.readString(err));
    List<String> rows = Files.readAllLines(out.resolveSibling("f.csv"));
    assertEquals(3, rows.size());
    assertEquals(64, rows.get(0).split(",").length);
  }

  @Test
  void aNpyOnStandardInputIsStreamedInMemoryIndependentOfItsLength() throws Exception {
    int n = 100_000;
    int d = 100; // 80 MB of float64 through a 48 MiB heap
    String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + n + ", " + d + "), }";
    String header = dict + " ".repeat((64 - (10 + dict.length() + 1) % 64) % 64) + "\n";
    Path big = dir.resolve("big.npy");
    java.util.Random r = new java.util.Random(3);
    try (var os = new java.io.DataOutputStream(new java.io.BufferedOutputStream(
        Files.newOutputStream(big), 1 << 16))) {
      os.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length(), 0});
      os.write(header.getBytes(StandardCharsets.US_ASCII));
      for (long i = 0; i < (long) n * d; i++) {
        os.writeLong(Long.reverseBytes(Double.doubleToLongBits(r.nextGaussian())));
      }
    }
    Path err = dir.resolve("err");
    Path piped = dir.resolve("piped.npy");
    Path read = dir.resolve("read.npy");
    String[] args = {"features", "--arch", ARCH, "--kind", "nngp", "--dim", "64", "--quiet",
        "--threads", "1", "--out"};
    List<String> fromPipe = new ArrayList<>(List.of(args));
    fromPipe.addAll(List.of(piped.toString(), "--x", "-"));
    Process p = process("-Xmx48m", fromPipe).redirectInput(big.toFile())
        .redirectError(err.toFile()).start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "nke finishes");
    assertEquals(0, p.exitValue(), Files.readString(err));
    List<String> fromFile = new ArrayList<>(List.of(args));
    fromFile.addAll(List.of(read.toString(), "--x", big.toString()));
    Process q = process("-Xmx48m", fromFile).redirectError(err.toFile()).start();
    assertTrue(q.waitFor(120, TimeUnit.SECONDS), "nke finishes");
    assertEquals(0, q.exitValue(), Files.readString(err));
    assertEquals(n, NpyReader.read(piped).shape()[0]);
    assertTrue(java.util.Arrays.equals(Files.readAllBytes(read), Files.readAllBytes(piped)),
        "features of a piped .npy equal those of the file, byte for byte");
  }

  private static ProcessBuilder process(String heap, List<String> args) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), heap, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(args);
    return new ProcessBuilder(cmd);
  }

  @Test
  void aFileBeyondASmallHeapIsExitFive() throws Exception {
    long values = 48L << 20; // 384 MiB of float64 under a 256 MiB heap
    String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + values / 4 + ", 4), }";
    String header = dict + " ".repeat((64 - (10 + dict.length() + 1) % 64) % 64) + "\n";
    Path big = dir.resolve("big.npy");
    try (var os = Files.newOutputStream(big)) {
      os.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length(), 0});
      os.write(header.getBytes(StandardCharsets.US_ASCII));
    }
    try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(f.length() + 8 * values); // sparse: zeros without disk
    }
    Path err = dir.resolve("err");
    assertEquals(5, nke("-Xmx256m", new byte[0], dir.resolve("out"), err, "kernel", "--arch", ARCH,
        "--x", big.toString(), "--out", dir.resolve("K.npy").toString()));
    String e = Files.readString(err);
    assertTrue(e.contains("needs") && e.contains("NKE_JAVA_OPTS") && !e.contains("\tat "), e);
    assertEquals(5, nke("-Xmx256m", new byte[0], dir.resolve("out"), err, "features", "--arch", ARCH,
        "--x", big.toString(), "--kind", "nngp", "--dim", "10000000", "--out",
        dir.resolve("F.npy").toString()));
    e = Files.readString(err);
    assertTrue(e.contains("--dim 10000000") && e.contains("needs") && !e.contains("\tat "), e);
  }

  @Test
  void sigtermDuringFeaturesLeavesNoPartialOutput() throws Exception {
    StringBuilder points = new StringBuilder();
    java.util.Random r = new java.util.Random(1);
    for (int i = 0; i < 40_000; i++) {
      points.append(r.nextGaussian()).append(' ').append(r.nextGaussian()).append('\n');
    }
    Path x = Files.writeString(dir.resolve("x.txt"), points);
    Path out = dir.resolve("F.npy");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "features",
        "--arch", "Dense(), Erf(), Dense(), Erf(), Dense()", "--x", x.toString(), "--kind", "ntk",
        "--dim", "4096", "--quiet", "--out", out.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
    try {
      long deadline = System.nanoTime() + 60_000_000_000L;
      boolean writing = false;
      while (!writing && p.isAlive() && System.nanoTime() < deadline) {
        try (var files = Files.list(dir)) {
          writing = files.anyMatch(f -> f.getFileName().toString().endsWith(".partial"));
        }
        Thread.sleep(50);
      }
      assertTrue(writing && p.isAlive(), "the output is being written: " + Files.readString(dir.resolve("log")));
      Thread.sleep(500);
      assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor());
      assertTrue(p.waitFor(30, TimeUnit.SECONDS), "exits on SIGTERM");
      assertEquals(143, p.exitValue());
      try (var files = Files.list(dir)) {
        assertEquals(List.of(), files.map(f -> f.getFileName().toString())
            .filter(f -> f.contains("F.npy")).toList(), "no output and no .partial left");
      }
    } finally {
      p.destroyForcibly();
    }
  }
}
