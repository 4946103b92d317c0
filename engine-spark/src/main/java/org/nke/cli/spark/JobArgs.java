package org.nke.cli.spark;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.nke.error.NkeException;

/**
 * The job's command line: a command followed by {@code --name value} options and {@code --flag}s.
 * Unknown options, missing values and malformed numbers are usage errors (exit code 2) that name the
 * option.
 */
final class JobArgs {
  private final String command;
  private final Map<String, String> values;

  private JobArgs(String command, Map<String, String> values) {
    this.command = command;
    this.values = values;
  }

  /**
   * @param args the arguments
   * @param options the options each command takes (without {@code --})
   * @param flags options without a value
   * @return the parsed arguments
   */
  static JobArgs parse(String[] args, Map<String, Set<String>> options, Set<String> flags) {
    if (args.length == 0 || !options.containsKey(args[0])) {
      throw usage("the first argument must be a command (" + String.join(", ", options.keySet())
          + "), got " + (args.length == 0 ? "nothing" : "'" + args[0] + "'"));
    }
    Set<String> known = options.get(args[0]);
    Map<String, String> v = new LinkedHashMap<>();
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      String name = a.startsWith("--") ? a.substring(2) : null;
      if (name == null || !known.contains(name)) {
        throw usage("unknown option '" + a + "' for " + args[0] + "; known: --"
            + String.join(", --", new TreeSet<>(known)));
      }
      if (flags.contains(name)) {
        v.put(name, "true");
      } else if (i + 1 >= args.length) {
        throw usage("option --" + name + " must have a value, got none");
      } else {
        v.put(name, args[++i]);
      }
    }
    return new JobArgs(args[0], v);
  }

  static NkeException usage(String message) {
    return new NkeException(message, 2, null);
  }

  String command() {
    return command;
  }

  boolean has(String name) {
    return values.containsKey(name);
  }

  String get(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  String required(String name) {
    String v = values.get(name);
    if (v == null) {
      throw usage(command + " must have --" + name + ", got none");
    }
    return v;
  }

  int integer(String name, int fallback) {
    return (int) number(name, fallback);
  }

  long number(String name, long fallback) {
    String v = values.get(name);
    try {
      return v == null ? fallback : Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw usage("--" + name + " must be an integer, got '" + v + "'");
    }
  }

  Double real(String name) {
    String v = values.get(name);
    try {
      return v == null ? null : Double.parseDouble(v.trim());
    } catch (NumberFormatException e) {
      throw usage("--" + name + " must be a number, got '" + v + "'");
    }
  }

  String lower(String name, String fallback) {
    return get(name, fallback).toLowerCase(Locale.ROOT);
  }

  /** @return the options in the order given, as {@code --name value} */
  List<String> echo() {
    return values.entrySet().stream().map(e -> "--" + e.getKey() + " " + e.getValue()).toList();
  }
}
