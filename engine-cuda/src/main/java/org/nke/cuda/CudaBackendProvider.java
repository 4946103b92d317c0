package org.nke.cuda;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.nke.error.BackendUnavailableException;
import org.nke.spi.Availability;
import org.nke.spi.Backend;
import org.nke.spi.BackendOptions;
import org.nke.spi.BackendProvider;

/**
 * The CUDA backend's provider. Loadable without any native library: the probe never throws and
 * turns every missing piece into an {@link Availability#unavailable(String)} reason, so {@code auto}
 * falls back to the CPU and {@code nke doctor} can say why.
 */
public final class CudaBackendProvider implements BackendProvider {
  /** The name users select it by. */
  public static final String NAME = "cuda";

  private static final List<String> DRIVER_PATHS = List.of("/usr/lib/x86_64-linux-gnu/libcuda.so.1",
      "/usr/lib64/libcuda.so.1", "/usr/lib/libcuda.so.1", "/usr/local/cuda/lib64/stubs/libcuda.so",
      "/usr/lib/wsl/lib/libcuda.so.1");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int priority() {
    return 100;
  }

  @Override
  public Availability probe() {
    try {
      if (DRIVER_PATHS.stream().noneMatch(p -> Files.exists(Path.of(p)))) {
        return Availability.unavailable("no NVIDIA driver: libcuda.so.1 not found");
      }
      return Availability.unavailable("an NVIDIA driver is present, but this build of engine-cuda has "
          + "no device kernels yet");
    } catch (RuntimeException e) {
      return Availability.unavailable("probe failed: " + e);
    }
  }

  @Override
  public Backend open(BackendOptions options) {
    throw new BackendUnavailableException("backend cuda unavailable: " + probe().reason(), null);
  }
}
