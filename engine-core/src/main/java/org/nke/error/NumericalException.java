package org.nke.error;

/** A computation produced a non-finite number; names the layer and the entry. */
public final class NumericalException extends NkeException {
  /** @param message what became non-finite, where */
  public NumericalException(String message) {
    super(message, 1, null);
  }
}
