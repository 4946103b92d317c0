package org.nke.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds and loads cuBLAS and cuFFT for JCuda's natives, working around the version trap (see
 * README.md): JCuda's newest natives on Maven Central were linked against {@code libcublas.so.12}
 * and {@code libcufft.so.10} with versioned symbols, which CUDA 13 (cuBLAS 13, cuFFT 12) and CUDA 12
 * (cuFFT 11) do not provide. For each library:
 *
 * <ol>
 *   <li>the exact major JCuda wants is loaded directly when it is installed ({@code direct});
 *   <li>else a newer major is loaded by full path, then our forwarding shim with the old SONAME and
 *       symbol version (built by {@code build-natives.sh}, shipped as a resource) whose trampolines
 *       resolve to it ({@code shim});
 *   <li>else nothing is loaded and JCuda's own loader gets its chance ({@code system loader}).
 * </ol>
 *
 * Must run before the first use of {@code JCublas2}/{@code JCufft}. The search path: the system
 * property {@code nke.cuda.libpath} and the variable {@code NKE_CUDA_LIBS} (path lists),
 * {@code LD_LIBRARY_PATH}, {@code $CUDA_HOME/lib64}, {@code /usr/local/cuda/lib64}, the system library
 * directories and the {@code nvidia/*}{@code /lib} folders of Python's pip wheels.
 */
final class CudaLibraries {
  private CudaLibraries() {
  }

  /**
   * How one library was bound.
   *
   * @param library e.g. {@code cuBLAS}
   * @param how {@code direct}, {@code shim}, {@code system loader} or {@code not found}
   * @param path the real library loaded, or {@code null}
   * @param detail one line for {@code nke doctor}
   */
  record Binding(String library, String how, Path path, String detail) {
    boolean loaded() {
      return path != null;
    }
  }

  /** @return the cuBLAS binding for JCublas2 12.0.0 (wants libcublas.so.12) */
  static Binding bindCublas() {
    return bind("cuBLAS", "libcublas", 12, new int[] {13, 14}, "libcublasLt", "nke-cublas12");
  }

  /** @return the cuFFT binding for JCufft 11.8.0 (wants libcufft.so.10) */
  static Binding bindCufft() {
    return bind("cuFFT", "libcufft", 10, new int[] {12, 11, 13}, null, "nke-cufft10");
  }

  private static Binding bind(String library, String base, int wanted, int[] newer, String companion,
      String shim) {
    List<Path> dirs = searchPath();
    Path exact = find(dirs, base + ".so." + wanted);
    if (exact != null) {
      loadWithCompanion(exact, companion, wanted);
      return new Binding(library, "direct", exact, library + ": " + exact + " (the major JCuda was "
          + "built for, loaded directly)");
    }
    for (int major : newer) {
      Path real = find(dirs, base + ".so." + major);
      if (real != null) {
        loadWithCompanion(real, companion, major);
        Path shimFile = extractShim(shim);
        System.load(shimFile.toString());
        return new Binding(library, "shim", real, library + ": " + real + " bound through the "
            + base + ".so." + wanted + " forwarding shim (" + shimFile.getFileName() + ")");
      }
    }
    return new Binding(library, "not found", null, library + ": no " + base + ".so." + wanted
        + " or newer found in " + dirs.size() + " directories (set -Dnke.cuda.libpath or "
        + "NKE_CUDA_LIBS); left to JCuda's loader");
  }

  /**
   * @return one line for {@code nke doctor}: whether this build carries the shims (no native code
   *     is loaded to find out)
   */
  static String shimStatus() {
    boolean cublas = CudaLibraries.class.getResource(
        "/org/nke/cuda/native/linux-x86_64/libnke-cublas12-shim.so") != null;
    boolean cufft = CudaLibraries.class.getResource(
        "/org/nke/cuda/native/linux-x86_64/libnke-cufft10-shim.so") != null;
    return "library shims    " + (cublas && cufft ? "libcublas.so.12 -> .13/.14 and libcufft.so.10 -> "
        + ".12/.11/.13 forwarders in this build" : "missing from this build (gcc was not found when "
        + "engine-cuda was built): only CUDA 12 cuBLAS / CUDA 11 cuFFT can be bound");
  }

  private static void loadWithCompanion(Path lib, String companion, int major) {
    if (companion != null) {
      Path c = lib.resolveSibling(companion + ".so." + major);
      if (Files.isRegularFile(c)) {
        System.load(c.toString());
      }
    }
    System.load(lib.toString());
  }

  private static Path find(List<Path> dirs, String file) {
    for (Path d : dirs) {
      Path p = d.resolve(file);
      if (Files.isRegularFile(p)) {
        return p.toAbsolutePath();
      }
    }
    return null;
  }

  private static Path extractShim(String name) {
    String resource = "/org/nke/cuda/native/linux-x86_64/lib" + name + "-shim.so";
    try (InputStream in = CudaLibraries.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the CUDA library shim " + resource + " is not in this build "
            + "(gcc was missing when engine-cuda was built?)");
      }
      Path dir = Files.createTempDirectory("nke-cuda");
      Path file = dir.resolve("lib" + name + "-shim.so");
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      file.toFile().deleteOnExit();
      dir.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new IllegalStateException("cannot extract " + resource + ": " + e.getMessage(), e);
    }
  }

  /** @return the directories searched, in order, without duplicates */
  static List<Path> searchPath() {
    Set<Path> dirs = new LinkedHashSet<>();
    addList(dirs, System.getProperty("nke.cuda.libpath"));
    addList(dirs, System.getenv("NKE_CUDA_LIBS"));
    addList(dirs, System.getenv("LD_LIBRARY_PATH"));
    for (String home : new String[] {System.getenv("CUDA_HOME"), System.getenv("CUDA_PATH"),
        "/usr/local/cuda"}) {
      if (home != null) {
        dirs.add(Path.of(home, "lib64"));
        dirs.add(Path.of(home, "targets", "x86_64-linux", "lib"));
      }
    }
    for (String d : new String[] {"/usr/local/nvidia/lib64", "/usr/lib/x86_64-linux-gnu",
        "/usr/lib64", "/usr/local/lib"}) {
      dirs.add(Path.of(d));
    }
    for (String root : new String[] {"/usr/local/lib", "/usr/lib", "/opt/conda/lib",
        System.getProperty("user.home") + "/.local/lib"}) {
      addWheelDirs(dirs, Path.of(root));
    }
    try (DirectoryStream<Path> opt = Files.newDirectoryStream(Path.of("/opt"))) {
      for (Path p : opt) {
        addWheelDirs(dirs, p.resolve(".venv/lib"));
        addWheelDirs(dirs, p.resolve("lib"));
      }
    } catch (IOException | RuntimeException e) {
      // no /opt: nothing to add
    }
    List<Path> out = new ArrayList<>();
    for (Path d : dirs) {
      if (Files.isDirectory(d)) {
        out.add(d);
      }
    }
    return out;
  }

  private static void addList(Set<Path> dirs, String list) {
    if (list != null) {
      for (String s : list.split(java.io.File.pathSeparator)) {
        if (!s.isBlank()) {
          dirs.add(Path.of(s.trim()));
        }
      }
    }
  }

  /** Adds {@code root/python3.*}{@code /{site,dist}-packages/nvidia/*}{@code /lib}. */
  private static void addWheelDirs(Set<Path> dirs, Path root) {
    if (!Files.isDirectory(root)) {
      return;
    }
    try (DirectoryStream<Path> pys = Files.newDirectoryStream(root, "python3*")) {
      for (Path py : pys) {
        for (String sp : new String[] {"site-packages", "dist-packages"}) {
          Path nvidia = py.resolve(sp).resolve("nvidia");
          if (Files.isDirectory(nvidia)) {
            try (DirectoryStream<Path> pkgs = Files.newDirectoryStream(nvidia)) {
              for (Path pkg : pkgs) {
                dirs.add(pkg.resolve("lib"));
              }
            }
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // unreadable: skip
    }
  }
}
