package org.nke.io;

import java.util.regex.Pattern;

/**
 * Numbers in text files as numpy writes and reads them: fields separated by commas, or by white space
 * when a line has no comma ({@code np.savetxt}'s default); decimal numbers with an optional exponent,
 * and {@code nan}, {@code inf}, {@code -inf} (also {@code infinity}, any case) for non-finite values.
 * Stricter than {@link Double#parseDouble}, which also takes Java's {@code 3d}, {@code 1f},
 * {@code 0x1p3} and surrounding control characters: those are not numbers in a data file.
 */
public final class TextNumbers {
  /** A decimal number: sign, digits with an optional point, optional exponent. */
  private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
  private static final Pattern WHITE = Pattern.compile("\\s+");

  private TextNumbers() {
  }

  /**
   * @param line a line of a text file, not blank
   * @return its fields, not stripped: split at commas, or at runs of white space without commas
   */
  public static String[] split(String line) {
    if (line.indexOf(',') >= 0) {
      return line.split(",", -1);
    }
    return WHITE.split(line.strip());
  }

  /**
   * @param field a field (surrounding white space is ignored)
   * @return its value; {@code NaN} or an infinity for numpy's spellings of them
   * @throws NumberFormatException if it is not a number in numpy's text grammar
   */
  public static double parse(String field) {
    String s = field.strip();
    if (DECIMAL.matcher(s).matches()) {
      return Double.parseDouble(s);
    }
    String body = s.startsWith("-") || s.startsWith("+") ? s.substring(1) : s;
    boolean negative = s.startsWith("-");
    if (body.equalsIgnoreCase("nan")) {
      return Double.NaN;
    }
    if (body.equalsIgnoreCase("inf") || body.equalsIgnoreCase("infinity")) {
      return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    throw new NumberFormatException("not a number: '" + s + "'");
  }

  /**
   * @param field a field
   * @return whether {@link #parse} accepts it
   */
  public static boolean isNumber(String field) {
    try {
      parse(field);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
