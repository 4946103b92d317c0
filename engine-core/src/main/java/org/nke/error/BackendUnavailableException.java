package org.nke.error;

/** A backend was asked for by name and cannot be used here; the message says why. */
public final class BackendUnavailableException extends NkeException {
  /**
   * @param message one line: the backend and the reason
   * @param cause the failure behind it, or {@code null}
   */
  public BackendUnavailableException(String message, Throwable cause) {
    super(message, 3, cause);
  }
}
