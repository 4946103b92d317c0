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
    super(problem + " at position " + position + excerpt(source, position), 2, null);
    this.source = source;
    this.position = position;
  }

  /** The source with a caret under the position; a long source is cut to 60 characters either side. */
  private static String excerpt(String source, int position) {
    int at = Math.max(0, Math.min(position, source.length()));
    int from = source.length() > 160 ? Math.max(0, at - 60) : 0;
    int to = source.length() > 160 ? Math.min(source.length(), at + 60) : source.length();
    String head = from > 0 ? "..." : "";
    String tail = to < source.length() ? "..." : "";
    return "\n  " + head + source.substring(from, to) + tail + "\n  "
        + " ".repeat(head.length() + at - from) + "^";
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
