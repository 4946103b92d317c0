package org.nke.error;

/**
 * A well-formed architecture that does not describe a valid or supported network, e.g. an activation
 * that does not follow an affine layer, or a layer whose kernel is not supported on this path yet.
 */
public final class ArchException extends NkeException {
  /** @param message what is wrong with the architecture and where */
  public ArchException(String message) {
    super(message, 2, null);
  }

  /**
   * @param message what is wrong with the architecture and where
   * @param cause the lower-level error it explains
   */
  public ArchException(String message, Throwable cause) {
    super(message, 2, cause);
  }
}
