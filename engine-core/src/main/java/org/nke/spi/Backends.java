package org.nke.spi;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import org.nke.error.BackendUnavailableException;
import org.nke.error.NkeException;

/**
 * Finds backends with {@link ServiceLoader} and picks one. The request is resolved in this order: the
 * explicit argument, the system property {@code nke.backend}, the environment variable
 * {@code NKE_BACKEND}, then {@code auto}. {@code auto} opens the highest-priority provider whose
 * {@linkplain BackendProvider#probe() probe} succeeds (probe before rank, so a GPU whose natives fail
 * to load never wins) and records why the others were skipped. An explicitly requested backend that is
 * unavailable is an error ({@link BackendUnavailableException}, exit code 3), never a silent fallback.
 */
public final class Backends {
  /** The request that means "best available". */
  public static final String AUTO = "auto";

  private Backends() {
  }

  /** Providers are loaded once per class loader (holder idiom); the list is immutable. */
  private static final class Holder {
    static final List<BackendProvider> PROVIDERS = load();

    private static List<BackendProvider> load() {
      List<BackendProvider> list = new ArrayList<>();
      for (BackendProvider p : ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader())) {
        list.add(p);
      }
      list.sort(Comparator.comparingInt(BackendProvider::priority).reversed());
      return List.copyOf(list);
    }
  }

  /** @return every provider on the class path, highest priority first */
  public static List<BackendProvider> providers() {
    return Holder.PROVIDERS;
  }

  /**
   * The outcome of a selection.
   *
   * @param backend the opened backend (close it)
   * @param reason one line saying what was chosen and why
   * @param skipped one line per provider that was not chosen, with its reason
   */
  public record Selection(Backend backend, String reason, List<String> skipped) implements AutoCloseable {
    @Override
    public void close() {
      backend.close();
    }
  }

  /**
   * @param explicit the requested backend, or {@code null} to consult the property and environment
   * @return {@code auto}, {@code cpu}, {@code cuda}, … in lower case
   */
  public static String resolveRequest(String explicit) {
    String r = explicit;
    if (r == null || r.isBlank()) {
      r = System.getProperty("nke.backend");
    }
    if (r == null || r.isBlank()) {
      r = System.getenv("NKE_BACKEND");
    }
    return r == null || r.isBlank() ? AUTO : r.trim().toLowerCase(Locale.ROOT);
  }

  /**
   * Opens a backend.
   *
   * @param requested {@code auto}, a provider name, or {@code null} (see {@link #resolveRequest})
   * @param options settings
   * @return the selection
   * @throws BackendUnavailableException if a named backend cannot be used
   * @throws NkeException (exit code 2) for an unknown backend name
   */
  public static Selection open(String requested, BackendOptions options) {
    String name = resolveRequest(requested);
    List<String> skipped = new ArrayList<>();
    if (name.equals(AUTO)) {
      for (BackendProvider p : providers()) {
        Availability a = safeProbe(p);
        if (a.available()) {
          try {
            Backend b = p.open(options);
            String why = "backend auto: chose " + p.name() + " (" + b.device() + ")"
                + (skipped.isEmpty() ? "" : "; " + String.join("; ", skipped));
            return new Selection(b, why, List.copyOf(skipped));
          } catch (RuntimeException | LinkageError e) {
            skipped.add(p.name() + " failed to open: " + e.getMessage());
          }
        } else {
          skipped.add(p.name() + " unavailable: " + a.reason());
        }
      }
      throw new BackendUnavailableException("no backend is available: " + String.join("; ", skipped),
          null);
    }
    BackendProvider provider = providers().stream().filter(p -> p.name().equals(name)).findFirst()
        .orElse(null);
    if (provider == null) {
      if (name.equals("cuda")) {
        throw new BackendUnavailableException("backend cuda unavailable: engine-cuda is not on the "
            + "class path", null);
      }
      throw new NkeException("unknown backend '" + name + "'; known: auto, " + String.join(", ",
          providers().stream().map(BackendProvider::name).toList()), 2, null);
    }
    Availability a = safeProbe(provider);
    if (!a.available()) {
      throw new BackendUnavailableException("backend " + name + " unavailable: " + a.reason(), null);
    }
    try {
      Backend b = provider.open(options);
      return new Selection(b, "backend " + name + " (" + b.device() + ")", List.of());
    } catch (RuntimeException | LinkageError e) {
      throw new BackendUnavailableException("backend " + name + " failed to open: " + e.getMessage(), e);
    }
  }

  private static Availability safeProbe(BackendProvider p) {
    try {
      return p.probe();
    } catch (Throwable t) {
      return Availability.unavailable("probe failed: " + t);
    }
  }

  /**
   * Diagnostics for {@code nke doctor}: every provider, its probe result and reason.
   *
   * @return one line per provider
   */
  public static List<String> describe() {
    List<String> out = new ArrayList<>();
    for (BackendProvider p : providers()) {
      Availability a = safeProbe(p);
      out.add(String.format(Locale.ROOT, "%-5s priority %3d  %s  %s", p.name(), p.priority(),
          a.available() ? "available  " : "unavailable", a.available() ? a.device() : a.reason()));
    }
    return out;
  }
}
