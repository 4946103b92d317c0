package org.nke.arch;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.nke.arch.Syntax.Arg;
import org.nke.arch.Syntax.Bool;
import org.nke.arch.Syntax.Call;
import org.nke.arch.Syntax.CallValue;
import org.nke.arch.Syntax.None;
import org.nke.arch.Syntax.Num;
import org.nke.arch.Syntax.Seq;
import org.nke.arch.Syntax.Str;
import org.nke.arch.Syntax.Value;
import org.nke.error.ArchSyntaxException;

/**
 * The arguments of one layer call, bound to a stax signature one parameter at a time: each accessor
 * names the parameter's position and keyword ({@code number(1, "W_std", 1.0)}), and {@link #finish()}
 * rejects anything left over. Errors point a caret at the offending argument.
 */
public final class Args {
  private final Call call;
  private final String source;
  private final List<Arg> positional = new ArrayList<>();
  private final List<Arg> keywords = new ArrayList<>();
  private final Set<String> consumed = new HashSet<>();
  private int positionalUsed;

  Args(Call call, String source) {
    this.call = call;
    this.source = source;
    Set<String> seen = new HashSet<>();
    for (Arg a : call.args()) {
      if (a.keyword() == null) {
        if (!keywords.isEmpty()) {
          throw error("positional argument follows keyword argument", a.pos());
        }
        positional.add(a);
      } else {
        if (!seen.add(a.keyword())) {
          throw error("argument '" + a.keyword() + "' given twice", a.pos());
        }
        keywords.add(a);
      }
    }
  }

  /** @return the layer name as written, without dotted prefixes */
  public String layer() {
    return call.name();
  }

  /** @return whether the call has no arguments */
  public boolean isEmpty() {
    return call.args().isEmpty();
  }

  private ArchSyntaxException error(String message, int pos) {
    return new ArchSyntaxException(message + " in " + call.name(), source, pos);
  }

  /** Finds the argument for a parameter, or {@code null}. */
  private Arg find(int index, String key) {
    Arg byKey = null;
    for (Arg a : keywords) {
      if (a.keyword().equals(key)) {
        byKey = a;
      }
    }
    Arg byPos = index >= 0 && index < positional.size() ? positional.get(index) : null;
    if (byKey != null && byPos != null) {
      throw error("argument '" + key + "' given both by position and by keyword", byKey.pos());
    }
    consumed.add(key);
    if (byPos != null) {
      positionalUsed = Math.max(positionalUsed, index + 1);
    }
    return byKey != null ? byKey : byPos;
  }

  /**
   * @param index position in the stax signature, or −1 for keyword-only
   * @param key the keyword
   * @param dflt value when absent or {@code None}
   * @return the number
   */
  public double number(int index, String key, double dflt) {
    Double v = optionalNumber(index, key);
    return v == null ? dflt : v;
  }

  /**
   * @param index position in the stax signature, or −1
   * @param key the keyword
   * @return the number, or {@code null} when absent or {@code None}
   */
  public Double optionalNumber(int index, String key) {
    Arg a = find(index, key);
    if (a == null || a.value() instanceof None) {
      return null;
    }
    if (a.value() instanceof Num n) {
      return n.value();
    }
    if (a.value() instanceof Bool b) {
      return b.value() ? 1.0 : 0.0;
    }
    throw error("'" + key + "' must be a number", a.value().pos());
  }

  /**
   * @param index position, or −1
   * @param key the keyword
   * @param dflt value when absent
   * @return the integer
   */
  public int integer(int index, String key, int dflt) {
    Arg a = find(index, key);
    if (a == null || a.value() instanceof None) {
      return dflt;
    }
    return toInt(a.value(), key);
  }

  /**
   * @param index position, or −1
   * @param key the keyword
   * @return the integer
   * @throws ArchSyntaxException when absent
   */
  public int requiredInteger(int index, String key) {
    Arg a = find(index, key);
    if (a == null) {
      throw error("missing argument '" + key + "'", call.end() - 1);
    }
    return toInt(a.value(), key);
  }

  private int toInt(Value v, String key) {
    if (v instanceof Num n && n.value() == Math.rint(n.value()) && Math.abs(n.value()) < 1e9) {
      return (int) n.value();
    }
    throw error("'" + key + "' must be an integer", v.pos());
  }

  /**
   * @param index position, or −1
   * @param key the keyword
   * @param dflt value when absent
   * @return the boolean
   */
  public boolean bool(int index, String key, boolean dflt) {
    Arg a = find(index, key);
    if (a == null || a.value() instanceof None) {
      return dflt;
    }
    if (a.value() instanceof Bool b) {
      return b.value();
    }
    throw error("'" + key + "' must be True or False", a.value().pos());
  }

  /**
   * @param index position, or −1
   * @param key the keyword
   * @param dflt value when absent
   * @return the string, without quotes
   */
  public String string(int index, String key, String dflt) {
    Arg a = find(index, key);
    if (a == null || a.value() instanceof None) {
      return dflt;
    }
    if (a.value() instanceof Str s) {
      return s.value();
    }
    throw error("'" + key + "' must be a string", a.value().pos());
  }

  /**
   * Reads a tuple of integers, or a single integer repeated {@code length} times.
   *
   * @param index position, or −1
   * @param key the keyword
   * @param length the tuple length
   * @param dflt value when absent, or {@code null}
   * @return the tuple, or {@code dflt}
   */
  public int[] intTuple(int index, String key, int length, int[] dflt) {
    Arg a = find(index, key);
    if (a == null || a.value() instanceof None) {
      return dflt;
    }
    if (a.value() instanceof Num) {
      int v = toInt(a.value(), key);
      int[] out = new int[length];
      java.util.Arrays.fill(out, v);
      return out;
    }
    if (a.value() instanceof Seq s && s.items().size() == length) {
      int[] out = new int[length];
      for (int i = 0; i < length; i++) {
        out[i] = toInt(s.items().get(i), key);
      }
      return out;
    }
    throw error("'" + key + "' must be a tuple of " + length + " integers", a.value().pos());
  }

  /**
   * Reads one integer or a tuple/list of them.
   *
   * @param index position, or −1
   * @param key the keyword
   * @param dflt value when absent or {@code None}
   * @return the integers
   */
  public List<Integer> intList(int index, String key, List<Integer> dflt) {
    Arg a = find(index, key);
    if (a == null || a.value() instanceof None) {
      return dflt;
    }
    if (a.value() instanceof Seq s) {
      List<Integer> out = new ArrayList<>();
      for (Value v : s.items()) {
        out.add(toInt(v, key));
      }
      return out;
    }
    return List.of(toInt(a.value(), key));
  }

  /**
   * @param index position, or −1
   * @param key the keyword
   * @return the list of numbers
   * @throws ArchSyntaxException when absent
   */
  public double[] numbers(int index, String key) {
    Arg a = find(index, key);
    if (a == null) {
      throw error("missing argument '" + key + "'", call.end() - 1);
    }
    if (a.value() instanceof Seq s) {
      double[] out = new double[s.items().size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = number(s.items().get(i));
      }
      return out;
    }
    throw error("'" + key + "' must be a list of numbers", a.value().pos());
  }

  private double number(Value v) {
    if (v instanceof Num n) {
      return n.value();
    }
    throw error("expected a number", v.pos());
  }

  /**
   * A function given by name as an argument, e.g. {@code fn=Tanh}, {@code fn=Tanh()} or
   * {@code fn=jnp.tanh}.
   *
   * @param index position, or −1
   * @param key the keyword
   * @return the name without dotted prefixes, or {@code null} when absent
   */
  public String functionName(int index, String key) {
    Arg a = find(index, key);
    if (a == null) {
      return null;
    }
    if (a.value() instanceof CallValue c && c.call().args().isEmpty()) {
      return c.call().name();
    }
    throw error("'" + key + "' must name an activation without arguments, e.g. Tanh",
        a.value().pos());
  }

  /**
   * @param index position, or −1
   * @param key the keyword
   * @return offset of the argument's value in the source, or of the call when absent
   */
  public int position(int index, String key) {
    for (Arg a : keywords) {
      if (a.keyword().equals(key)) {
        return a.value().pos();
      }
    }
    return index >= 0 && index < positional.size() ? positional.get(index).pos() : call.pos();
  }

  /** @return the architecture string the call came from */
  public String source() {
    return source;
  }

  /**
   * Accepts and ignores a stax parameter that has no effect on infinite-width kernels.
   *
   * @param index position, or −1
   * @param key the keyword
   */
  public void ignore(int index, String key) {
    find(index, key);
  }

  /**
   * Rejects arguments that no accessor asked for.
   *
   * @throws ArchSyntaxException naming the first unexpected argument
   */
  public void finish() {
    if (positional.size() > positionalUsed) {
      throw error("too many positional arguments", positional.get(positionalUsed).pos());
    }
    for (Arg a : keywords) {
      if (!consumed.contains(a.keyword())) {
        throw error("unexpected argument '" + a.keyword() + "'", a.pos());
      }
    }
  }

  /**
   * @param message what is wrong with the whole call
   * @return an error pointing at the call
   */
  public ArchSyntaxException callError(String message) {
    return new ArchSyntaxException(message, source, call.pos());
  }
}
