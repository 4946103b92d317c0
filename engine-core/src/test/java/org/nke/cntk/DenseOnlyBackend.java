package org.nke.cntk;

import org.nke.spi.Backend;
import org.nke.testing.DelegatingBackend;

/** A backend with only the dense primitives (as a new GPU backend starts): CNTK must fall back. */
final class DenseOnlyBackend extends DelegatingBackend {
  DenseOnlyBackend(Backend inner) {
    super(inner);
  }

  @Override
  public String name() {
    return "dense-only";
  }

  /** The inner backend is not owned. */
  @Override
  public void close() {
  }
}
