package org.nke.spi;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.nke.cpu.CpuBackend;

/**
 * The life cycle shared by the backend contract tests: the backend under test, opened once per class
 * by the subclass, against the one-thread CPU backend as the reference. When the subclass cannot
 * open its backend here (no device, say) it aborts with an assumption, and every test of the class
 * is then skipped with that reason.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BackendPairTest {
  /** The backend under test, or {@code null} when it cannot run here. */
  protected Backend tested;
  /** The CPU reference (one thread). */
  protected Backend reference;
  private String skipReason;

  /**
   * Opens the backend under test; may abort the class with {@code Assumptions.assumeTrue}.
   *
   * @return the backend (closed by this class)
   */
  protected abstract Backend openBackend();

  @BeforeAll
  void open() {
    reference = new CpuBackend(new BackendOptions(1, Long.MAX_VALUE));
    try {
      tested = openBackend();
    } catch (org.opentest4j.TestAbortedException e) {
      skipReason = e.getMessage().replaceFirst("^Assumption failed: ", "");
    }
  }

  /** Every test is skipped, with the subclass's reason, when the backend cannot run here. */
  @BeforeEach
  void requireBackend() {
    Assumptions.assumeTrue(tested != null, skipReason);
  }

  @AfterAll
  void close() {
    if (tested != null) {
      tested.close();
    }
    if (reference != null) {
      reference.close();
    }
  }

  /** @return the backend under test (open) */
  protected Backend tested() {
    return tested;
  }
}
