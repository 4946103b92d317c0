package org.nke.error;

import java.util.List;

/** A layer or activation name that nke does not know; lists close matches. */
public final class UnknownLayerException extends NkeException {
  /**
   * @param name the unknown name
   * @param suggestions known names close to it (may be empty)
   * @param source the architecture string, or {@code null}
   * @param position index of the name in {@code source}
   */
  public UnknownLayerException(String name, List<String> suggestions, String source, int position) {
    super(message(name, suggestions, source, position), 2, null);
  }

  private static String message(String name, List<String> suggestions, String source, int position) {
    StringBuilder sb = new StringBuilder("unknown layer or activation '").append(name).append('\'');
    if (!suggestions.isEmpty()) {
      sb.append(" (did you mean ").append(String.join(", ", suggestions)).append("?)");
    }
    if (source != null) {
      sb.append(" at position ").append(position).append("\n  ").append(source).append("\n  ")
          .append(" ".repeat(Math.max(0, position))).append('^');
    }
    return sb.toString();
  }
}
