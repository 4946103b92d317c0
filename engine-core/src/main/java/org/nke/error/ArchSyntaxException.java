package org.nke.error;

/** A malformed architecture string; the message shows the string with a caret under the bad token. */
public final class ArchSyntaxException extends NkeException {
  private final String source;
  private final int position;

  /**
   * @param problem what is wrong at the position
   * @param source the whole architecture string
   * @param position index of the first bad character in {@code source}
   */
  public ArchSyntaxException(String problem, String source, int position) {
    super(problem + " at position " + position + "\n  " + source + "\n  " + " ".repeat(Math.max(0, position))
        + "^", 2, null);
    this.source = source;
    this.position = position;
  }

  /** @return the architecture string that failed to parse */
  public String source() {
    return source;
  }

  /** @return the index of the first bad character */
  public int position() {
    return position;
  }
}
