package org.nke.arch;

import java.util.List;

/**
 * The syntax tree of an architecture string: calls with positional and keyword arguments whose values
 * are numbers, strings, booleans, {@code None}, tuples or lists, or nested calls (e.g. {@code fn=Tanh}).
 * Every node remembers its offset in the source for error carets.
 */
final class Syntax {
  private Syntax() {
  }

  /** A value in an argument position. */
  sealed interface Value permits Num, Str, Bool, None, Seq, CallValue {
    /** @return offset of the value in the source */
    int pos();
  }

  /**
   * @param value the number
   * @param pos offset
   */
  record Num(double value, int pos) implements Value {
  }

  /**
   * @param value the string without quotes
   * @param pos offset
   */
  record Str(String value, int pos) implements Value {
  }

  /**
   * @param value the boolean
   * @param pos offset
   */
  record Bool(boolean value, int pos) implements Value {
  }

  /** @param pos offset of {@code None} */
  record None(int pos) implements Value {
  }

  /**
   * A tuple {@code (a, b)} or list {@code [a, b]}.
   *
   * @param items the elements
   * @param pos offset of the opening bracket
   */
  record Seq(List<Value> items, int pos) implements Value {
  }

  /**
   * A call or bare name used as a value, e.g. {@code fn=Tanh}.
   *
   * @param call the call
   */
  record CallValue(Call call) implements Value {
    @Override
    public int pos() {
      return call.pos();
    }
  }

  /**
   * One argument.
   *
   * @param keyword the keyword, or {@code null} for a positional argument
   * @param value the value
   * @param pos offset of the argument (its keyword if any)
   */
  record Arg(String keyword, Value value, int pos) {
  }

  /**
   * A call {@code Name(args)} or a bare name.
   *
   * @param name the name with any dotted prefix removed ({@code stax.Dense} becomes {@code Dense})
   * @param qualified the name as written
   * @param args the arguments in order
   * @param pos offset of the name
   * @param end offset just past the call
   */
  record Call(String name, String qualified, List<Arg> args, int pos, int end) {
  }
}
