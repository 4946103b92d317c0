package org.nke.cuda;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The ownership core shared by the native wrappers ({@link CudaContext}, {@link PtxModule},
 * {@link DeviceBuffer}, {@link CublasHandle}, {@link CufftPlan}): the handle sits in an atomic and is
 * released with get-and-clear, so {@link #close()} is idempotent and any use after it throws
 * {@link IllegalStateException}. With {@code -Dnke.cuda.trackResources=true} the stack of every
 * allocation is kept: it becomes the cause of a use-after-close error, and releases are logged at
 * {@code FINE} (leak hunting). Nothing relies on the garbage collector.
 *
 * @param <H> the JCuda handle type
 */
final class NativeHandle<H> implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(NativeHandle.class.getName());
  private final AtomicReference<H> handle;
  private final Consumer<H> release;
  private final String what;
  private final Throwable allocatedAt;

  /**
   * @param handle the live handle
   * @param release frees it (called at most once)
   * @param what a description for messages, e.g. {@code "device buffer of 800 MB"}
   */
  NativeHandle(H handle, Consumer<H> release, String what) {
    this.handle = new AtomicReference<>(handle);
    this.release = release;
    this.what = what;
    this.allocatedAt = Boolean.getBoolean("nke.cuda.trackResources")
        ? new Throwable("allocation of " + what) : null;
  }

  /**
   * @return the handle
   * @throws IllegalStateException after {@link #close()}
   */
  H get() {
    H h = handle.get();
    if (h == null) {
      throw new IllegalStateException(what + " has been closed", allocatedAt);
    }
    return h;
  }

  /** @return whether {@link #close()} has run */
  boolean closed() {
    return handle.get() == null;
  }

  @Override
  public void close() {
    H h = handle.getAndSet(null);
    if (h != null) {
      release.accept(h);
      if (allocatedAt != null) {
        LOG.log(Level.FINE, "released " + what);
      }
    }
  }

  @Override
  public String toString() {
    return what + (closed() ? " (closed)" : "");
  }
}
