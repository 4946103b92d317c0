package org.nke.spark;

import java.util.function.Supplier;
import org.nke.error.NkeException;

/**
 * Unwraps errors raised on executors: Spark reports a failed task as a {@code SparkException}
 * ("Job aborted due to stage failure: … ") whose cause is the executor's exception. When that cause
 * is an nke error (bad input naming the column and row, a backend that cannot open), the driver
 * rethrows it as it is, so callers see the same exception types as with the local API; anything else
 * propagates unchanged.
 */
final class SparkErrors {
  private SparkErrors() {
  }

  /**
   * @param action a Spark action
   * @param <T> its result type
   * @return its result
   */
  static <T> T run(Supplier<T> action) {
    try {
      return action.get();
    } catch (Exception e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof NkeException nke) {
          throw nke;
        }
      }
      throw SparkErrors.<RuntimeException>sneaky(e);
    }
  }

  /** Rethrows a checked exception Scala code raised without declaring it. */
  @SuppressWarnings("unchecked")
  private static <E extends Throwable> E sneaky(Throwable t) throws E {
    throw (E) t;
  }
}
