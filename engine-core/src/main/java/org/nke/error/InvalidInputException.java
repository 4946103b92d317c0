package org.nke.error;

/**
 * Bad input data: NaN or infinite values, ragged rows, wrong rank, an empty file, mismatched
 * dimensions. The message names the file, row and column where known.
 */
public final class InvalidInputException extends NkeException {
  /** @param message what is wrong and where */
  public InvalidInputException(String message) {
    super(message, 4, null);
  }

  /**
   * @param message what is wrong and where
   * @param cause the underlying failure
   */
  public InvalidInputException(String message, Throwable cause) {
    super(message, 4, cause);
  }
}
