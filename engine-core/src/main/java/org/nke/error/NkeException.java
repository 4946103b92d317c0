package org.nke.error;

/**
 * Root of every error nke reports. Unchecked, like Hipparchus' {@code MathRuntimeException}: these are
 * not recoverable by retrying, only by changing the input or the settings.
 *
 * <p>Each subclass carries the exit code of the command-line contract ({@code shared/spec/cli.md}):
 * 2 usage, 3 backend unavailable, 4 bad input data, 5 resources, 1 anything else.
 */
public class NkeException extends RuntimeException {
  private final int exitCode;

  /**
   * @param message what went wrong, in the form {@code <what> <must be> <constraint>, got <value>}
   * @param exitCode the command-line exit code for this error
   * @param cause the underlying cause, or {@code null}
   */
  public NkeException(String message, int exitCode, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** @return the exit code of the command-line contract */
  public int exitCode() {
    return exitCode;
  }
}
