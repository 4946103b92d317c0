package org.nke.spark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.nke.sketch.SketchPlan;
import org.nke.spi.Backend;
import org.nke.spi.BackendOptions;
import org.nke.spi.Backends;
import org.nke.spi.Progress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each executor JVM builds once and keeps: sketch plans (by {@link SketchSpec#key()}) and open
 * backends (by name and thread count). Spark ships closures, not objects with native or
 * thread-pool state, and runs many tasks in one JVM; opening a backend (a GPU context, a thread pool)
 * or rebuilding a plan per task or per row would dominate the cost. This is the one place in nke with
 * static mutable state, and why (see docs/design-notes.md): the JVM is the executor's lifetime, so a
 * JVM-wide holder is the natural scope; backends are closed by a shutdown hook when the executor
 * exits.
 *
 * <p>Plans are kept in a small LRU ({@value #MAX_PLANS} plans); both maps are thread-safe and each
 * entry is built once even when several tasks ask at the same time. Backends other than the CPU are
 * called by one task at a time (a GPU context is not assumed to be thread-safe); the CPU backend is
 * called concurrently, each task on its own thread when {@code threads = 1}.
 */
public final class ExecutorResources {
  /** Plans kept per JVM. */
  public static final int MAX_PLANS = 8;

  private static final Logger LOG = LoggerFactory.getLogger(ExecutorResources.class);
  private static final Map<String, SketchPlan> PLANS = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, SketchPlan> eldest) {
      return size() > MAX_PLANS;
    }
  };
  private static final Map<String, Backends.Selection> BACKENDS = new ConcurrentHashMap<>();
  private static final AtomicInteger PLAN_BUILDS = new AtomicInteger();
  private static final AtomicInteger BACKEND_OPENS = new AtomicInteger();
  private static final Set<String> FALLBACKS_LOGGED = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(ExecutorResources::closeAll, "nke-backends-close"));
  }

  private ExecutorResources() {
  }

  /**
   * What this JVM has built, for diagnostics and tests.
   *
   * @param pid the process id
   * @param planBuilds plans built since the JVM started
   * @param backendOpens backends opened since the JVM started
   * @param backends one line per open backend: how it was chosen
   */
  public record Stats(long pid, int planBuilds, int backendOpens, List<String> backends)
      implements java.io.Serializable {
  }

  /**
   * @param spec what the plan is built from
   * @return the plan, built on first use in this JVM
   */
  public static SketchPlan plan(SketchSpec spec) {
    synchronized (PLANS) {
      SketchPlan p = PLANS.get(spec.key());
      if (p == null) {
        p = spec.build();
        PLAN_BUILDS.incrementAndGet();
        PLANS.put(spec.key(), p);
      }
      return p;
    }
  }

  /**
   * @param name {@code auto}, {@code cpu} or {@code cuda} ({@code auto} resolves through
   *     {@code -Dnke.backend} / {@code NKE_BACKEND} on the executor, then the highest-priority
   *     available provider: the GPU when the executor has one and engine-cuda is on its class path)
   * @param threads CPU threads per call
   * @return the backend, opened on first use in this JVM and closed when the JVM exits
   */
  public static Backend backend(String name, int threads) {
    return BACKENDS.computeIfAbsent(name + "/" + threads, k -> {
      Backends.Selection s = Backends.open(name, BackendOptions.defaults().withThreads(threads));
      BACKEND_OPENS.incrementAndGet();
      LOG.info("nke executor: {} ({} threads per call)", s.reason(), threads);
      return s;
    }).backend();
  }

  /**
   * Features of a block of points on this JVM's backend; a backend without sketch kernels falls back
   * to the CPU backend explicitly (logged once per JVM, as {@code org.nke.Sketches} does per call).
   *
   * @param spec the plan's description
   * @param backend backend name
   * @param threads CPU threads per call
   * @param block points, rows of length {@code d}, not modified
   * @return one feature row per point, bit-identical to {@code plan.features(x)} on the CPU
   */
  public static double[][] features(SketchSpec spec, String backend, int threads, double[][] block) {
    SketchPlan plan = plan(spec);
    Backend b = backend(backend, threads);
    double[][] f;
    if (b.name().equals("cpu")) {
      f = b.features(plan, block, Progress.NONE);
    } else {
      synchronized (b) {
        f = b.features(plan, block, Progress.NONE);
      }
    }
    if (f == null) {
      Backend cpu = backend("cpu", threads);
      if (FALLBACKS_LOGGED.add(b.name())) {
        LOG.info("nke executor: backend {} has no sketch kernels; features run on the CPU", b.name());
      }
      f = cpu.features(plan, block, Progress.NONE);
    }
    return f;
  }

  /** @return what this JVM has built so far */
  public static Stats stats() {
    List<String> open = new ArrayList<>();
    BACKENDS.forEach((k, s) -> open.add(k + ": " + s.reason()));
    return new Stats(ProcessHandle.current().pid(), PLAN_BUILDS.get(), BACKEND_OPENS.get(),
        List.copyOf(open));
  }

  private static void closeAll() {
    for (Backends.Selection s : BACKENDS.values()) {
      try {
        s.close();
      } catch (RuntimeException e) {
        LOG.warn("nke executor: closing backend {} failed: {}", s.backend().name(), e.toString());
      }
    }
    BACKENDS.clear();
  }
}
