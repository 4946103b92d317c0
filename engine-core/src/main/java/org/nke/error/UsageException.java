package org.nke.error;

/**
 * A setting that cannot work, found before any work: an output path that names an input, a
 * directory or an unwritable place, an option value out of range. Exit code 2.
 */
public final class UsageException extends NkeException {
  /** @param message what is wrong, in the form {@code <what> must be <constraint>, got <value>} */
  public UsageException(String message) {
    super(message, 2, null);
  }

  /**
   * @param message what is wrong
   * @param cause the underlying failure
   */
  public UsageException(String message, Throwable cause) {
    super(message, 2, cause);
  }
}
