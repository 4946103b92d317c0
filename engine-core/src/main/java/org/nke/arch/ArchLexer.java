package org.nke.arch;

import java.util.ArrayList;
import java.util.List;
import org.nke.error.ArchSyntaxException;

/** Splits an architecture string into tokens, each with its offset. */
final class ArchLexer {
  /** Token kinds. */
  enum Kind { IDENT, NUMBER, STRING, LPAREN, RPAREN, LBRACKET, RBRACKET, COMMA, EQUALS, PLUS, MINUS,
    STAR, POWER, SLASH, END }

  /**
   * @param kind the kind
   * @param text the text (identifier, number or unquoted string)
   * @param pos offset in the source
   */
  record Token(Kind kind, String text, int pos) {
    String show() {
      return kind == Kind.END ? "end of input" : "'" + text + "'";
    }
  }

  private ArchLexer() {
  }

  static List<Token> tokenize(String s) {
    List<Token> out = new ArrayList<>();
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (Character.isLetter(c) || c == '_') {
        int start = i;
        while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_'
            || (s.charAt(i) == '.' && i + 1 < s.length() && (Character.isLetter(s.charAt(i + 1))
                || s.charAt(i + 1) == '_')))) {
          i++;
        }
        out.add(new Token(Kind.IDENT, s.substring(start, i), start));
      } else if (Character.isDigit(c) || (c == '.' && i + 1 < s.length()
          && Character.isDigit(s.charAt(i + 1)))) {
        int start = i;
        while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
          i++;
        }
        if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
          int save = i;
          i++;
          if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
          }
          if (i < s.length() && Character.isDigit(s.charAt(i))) {
            while (i < s.length() && Character.isDigit(s.charAt(i))) {
              i++;
            }
          } else {
            i = save;
          }
        }
        String text = s.substring(start, i);
        try {
          Double.parseDouble(text);
        } catch (NumberFormatException e) {
          throw new ArchSyntaxException("malformed number '" + text + "'", s, start);
        }
        out.add(new Token(Kind.NUMBER, text, start));
      } else if (c == '\'' || c == '"') {
        int end = s.indexOf(c, i + 1);
        if (end < 0) {
          throw new ArchSyntaxException("unterminated string", s, i);
        }
        out.add(new Token(Kind.STRING, s.substring(i + 1, end), i));
        i = end + 1;
      } else {
        Kind k;
        int len = 1;
        switch (c) {
          case '(' -> k = Kind.LPAREN;
          case ')' -> k = Kind.RPAREN;
          case '[' -> k = Kind.LBRACKET;
          case ']' -> k = Kind.RBRACKET;
          case ',' -> k = Kind.COMMA;
          case '=' -> k = Kind.EQUALS;
          case '+' -> k = Kind.PLUS;
          case '-' -> k = Kind.MINUS;
          case '/' -> k = Kind.SLASH;
          case '*' -> {
            if (i + 1 < s.length() && s.charAt(i + 1) == '*') {
              k = Kind.POWER;
              len = 2;
            } else {
              k = Kind.STAR;
            }
          }
          default -> throw new ArchSyntaxException("unexpected character '" + c + "'", s, i);
        }
        out.add(new Token(k, s.substring(i, i + len), i));
        i += len;
      }
    }
    out.add(new Token(Kind.END, "", s.length()));
    return out;
  }
}
