package org.nke.cuda;

import java.util.List;
import org.nke.error.BackendUnavailableException;
import org.nke.spi.Availability;
import org.nke.spi.Backend;
import org.nke.spi.BackendOptions;
import org.nke.spi.BackendProvider;

/**
 * The CUDA backend's provider. Loadable without any native library: this class references no JCuda
 * type; the probe runs once per class loader in a nested holder whose every step (driver search,
 * JCuda natives, device, cuBLAS/cuFFT binding, PTX JIT) sits inside {@code catch (Throwable)}, so
 * {@link UnsatisfiedLinkError}, {@link ExceptionInInitializerError} and CUDA errors all become
 * {@link Availability#unavailable(String)} with the cause, {@code auto} falls back to the CPU and
 * {@code nke doctor} says why. The probe result is immutable.
 */
public final class CudaBackendProvider implements BackendProvider {
  /** The name users select it by. */
  public static final String NAME = "cuda";

  /** The probe, run on first use (holder idiom). */
  private static final class Probe {
    static final Availability AVAILABILITY;
    static final List<String> LINES;

    static {
      Availability a;
      List<String> lines;
      try {
        String driver = CudaEnvironment.findDriver();
        if (driver == null) {
          a = Availability.unavailable("no NVIDIA driver: libcuda.so.1 not found");
          lines = List.of("driver library   libcuda.so.1 not found (no NVIDIA driver on this machine)",
              CudaLibraries.shimStatus());
        } else {
          CudaEnvironment env = CudaEnvironment.detect(driver);
          a = env.availability();
          lines = new java.util.ArrayList<>(env.lines());
          lines.add(CudaLibraries.shimStatus());
          lines = List.copyOf(lines);
        }
      } catch (Throwable t) {
        a = Availability.unavailable(reason(t));
        lines = List.of("probe failed: " + reason(t));
      }
      AVAILABILITY = a;
      LINES = lines;
    }

    private static String reason(Throwable t) {
      String m;
      try {
        m = CudaEnvironment.message(t);
      } catch (Throwable u) {
        m = String.valueOf(t);
      }
      if (t instanceof UnsatisfiedLinkError || t.getCause() instanceof UnsatisfiedLinkError) {
        return "CUDA natives failed to load: " + m;
      }
      if (t instanceof LinkageError) {
        return "JCuda is not usable: " + m;
      }
      return "CUDA initialisation failed: " + m;
    }
  }

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
      return Probe.AVAILABILITY;
    } catch (Throwable t) {
      return Availability.unavailable("probe failed: " + t);
    }
  }

  @Override
  public List<String> diagnostics() {
    try {
      return Probe.LINES;
    } catch (Throwable t) {
      return List.of("probe failed: " + t);
    }
  }

  @Override
  public Backend open(BackendOptions options) {
    Availability a = probe();
    if (!a.available()) {
      throw new BackendUnavailableException("backend cuda unavailable: " + a.reason(), null);
    }
    return CudaBackend.open(options);
  }
}
