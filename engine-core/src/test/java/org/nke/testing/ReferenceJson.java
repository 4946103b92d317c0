package org.nke.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal JSON reader for reference-value resources written by {@code tools/reference/*.py}:
 * objects become {@link Map}, arrays {@link List}, numbers {@link Double}, plus strings, booleans and
 * {@code null}. No escapes beyond {@code \"}, {@code \\}, {@code \/} and {@code \n}.
 */
public final class ReferenceJson {
  private final String s;
  private int pos;

  private ReferenceJson(String s) {
    this.s = s;
  }

  /**
   * @param resource a class-path resource name
   * @return its parsed JSON value
   */
  public static Object load(String resource) {
    try (InputStream in = ReferenceJson.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + resource);
      }
      ReferenceJson r = new ReferenceJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      return r.value();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * @param value a parsed array of arrays of numbers
   * @return it as a matrix
   */
  @SuppressWarnings("unchecked")
  public static double[][] matrix(Object value) {
    List<Object> rows = (List<Object>) value;
    double[][] out = new double[rows.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = vector(rows.get(i));
    }
    return out;
  }

  /**
   * @param value a parsed array of numbers
   * @return it as a vector
   */
  @SuppressWarnings("unchecked")
  public static double[] vector(Object value) {
    List<Object> row = (List<Object>) value;
    double[] out = new double[row.size()];
    for (int j = 0; j < out.length; j++) {
      out[j] = (Double) row.get(j);
    }
    return out;
  }

  private Object value() {
    skip();
    char c = s.charAt(pos);
    if (c == '{') {
      Map<String, Object> m = new LinkedHashMap<>();
      pos++;
      skip();
      if (s.charAt(pos) == '}') {
        pos++;
        return m;
      }
      while (true) {
        skip();
        String key = string();
        skip();
        expect(':');
        m.put(key, value());
        skip();
        if (s.charAt(pos++) == '}') {
          return m;
        }
      }
    }
    if (c == '[') {
      List<Object> l = new ArrayList<>();
      pos++;
      skip();
      if (s.charAt(pos) == ']') {
        pos++;
        return l;
      }
      while (true) {
        l.add(value());
        skip();
        if (s.charAt(pos++) == ']') {
          return l;
        }
      }
    }
    if (c == '"') {
      return string();
    }
    for (String lit : new String[] {"true", "false", "null"}) {
      if (s.startsWith(lit, pos)) {
        pos += lit.length();
        return lit.equals("null") ? null : Boolean.valueOf(lit);
      }
    }
    int start = pos;
    while (pos < s.length() && "+-0123456789.eEIinfatyN".indexOf(s.charAt(pos)) >= 0) {
      pos++;
    }
    String num = s.substring(start, pos);
    return num.equals("Infinity") ? Double.POSITIVE_INFINITY : Double.parseDouble(num);
  }

  private String string() {
    expect('"');
    StringBuilder b = new StringBuilder();
    while (s.charAt(pos) != '"') {
      char c = s.charAt(pos++);
      if (c == '\\') {
        char e = s.charAt(pos++);
        b.append(e == 'n' ? '\n' : e);
      } else {
        b.append(c);
      }
    }
    pos++;
    return b.toString();
  }

  private void expect(char c) {
    if (s.charAt(pos) != c) {
      throw new IllegalStateException("expected '" + c + "' at " + pos + ", got '" + s.charAt(pos)
          + "'");
    }
    pos++;
  }

  private void skip() {
    while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
      pos++;
    }
  }
}
