package org.nke.cuda;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed PTX module, for {@link PtxMachine}: the subset of PTX the nke kernels are written in
 * (named registers, one statement per line, {@code .func} with {@code .reg} parameters). A test
 * instrument, not a PTX implementation: it exists so that the hand-written kernels can be executed
 * and compared with the CPU duals on machines without a GPU.
 */
final class PtxProgram {
  /** One statement: optional guard, opcode split at dots, operands as written. */
  record Insn(String guard, boolean negated, String op, String[] mods, List<String> operands,
      String callee, List<String> returns, List<String> args, String text) {
  }

  /** A function or entry: parameter and return names, body, label positions. */
  record Function(String name, boolean entry, List<String> params, List<String> returns,
      List<Insn> body, Map<String, Integer> labels) {
  }

  final Map<String, Function> functions = new HashMap<>();
  private final Map<String, PtxCompiler.Function> compiled =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** The PTX of every family, parsed once per test JVM (immutable once built). */
  private static final class Families {
    static final List<PtxProgram> ALL = PtxKernel.families().stream()
        .map(f -> new PtxProgram(PtxModule.source(f))).toList();
  }

  /** @return every family's program (shared; compiled functions are cached in them) */
  static List<PtxProgram> all() {
    return Families.ALL;
  }

  /**
   * @param name a function of this program
   * @return it compiled (once per program)
   */
  PtxCompiler.Function compile(String name) {
    return compiled.computeIfAbsent(name, n -> PtxCompiler.compile(this, n));
  }

  private static final Pattern HEADER = Pattern.compile(
      "(\\.visible\\s+\\.entry|\\.func)\\s*(\\(([^)]*)\\))?\\s*(\\w+)\\s*\\(([^)]*)\\)\\s*\\{",
      Pattern.DOTALL);
  private static final Pattern NAME = Pattern.compile("(%?\\w+)\\s*$");

  PtxProgram(String source) {
    String text = source.replaceAll("//[^\n]*", "");
    Matcher m = HEADER.matcher(text);
    while (m.find()) {
      boolean entry = m.group(1).startsWith(".visible");
      List<String> returns = names(m.group(3));
      List<String> params = names(m.group(5));
      int close = text.indexOf('}', m.end());
      String body = text.substring(m.end(), close);
      List<Insn> insns = new ArrayList<>();
      Map<String, Integer> labels = new HashMap<>();
      for (String raw : body.split("\n")) {
        String line = raw.strip();
        if (line.isEmpty() || line.startsWith(".reg")) {
          continue;
        }
        if (line.endsWith(":")) {
          labels.put(line.substring(0, line.length() - 1), insns.size());
          continue;
        }
        insns.add(parse(line));
      }
      functions.put(m.group(4), new Function(m.group(4), entry, params, returns, insns, labels));
    }
  }

  private static List<String> names(String decls) {
    List<String> out = new ArrayList<>();
    if (decls == null || decls.isBlank()) {
      return out;
    }
    for (String d : decls.split(",")) {
      Matcher n = NAME.matcher(d.strip());
      if (n.find()) {
        out.add(n.group(1));
      }
    }
    return out;
  }

  private static List<String> split(String s) {
    List<String> out = new ArrayList<>();
    for (String p : s.split(",")) {
      if (!p.isBlank()) {
        out.add(p.strip());
      }
    }
    return out;
  }

  static Insn parse(String line) {
    String s = line.endsWith(";") ? line.substring(0, line.length() - 1).strip() : line;
    String guard = null;
    boolean negated = false;
    if (s.startsWith("@")) {
      int sp = s.indexOf(' ');
      guard = s.substring(1, sp);
      if (guard.startsWith("!")) {
        negated = true;
        guard = guard.substring(1);
      }
      s = s.substring(sp + 1).strip();
    }
    int sp = s.indexOf(' ');
    String opcode = sp < 0 ? s : s.substring(0, sp);
    String rest = sp < 0 ? "" : s.substring(sp + 1).strip();
    String[] parts = opcode.split("\\.");
    String[] mods = java.util.Arrays.copyOfRange(parts, 1, parts.length);
    if (parts[0].equals("call")) {
      List<String> returns = List.of();
      if (rest.startsWith("(")) {
        int c = rest.indexOf(')');
        returns = split(rest.substring(1, c));
        rest = rest.substring(c + 1).strip().substring(1).strip();
      }
      int comma = rest.indexOf(',');
      String callee = (comma < 0 ? rest : rest.substring(0, comma)).strip();
      List<String> args = List.of();
      if (comma >= 0) {
        String a = rest.substring(comma + 1).strip();
        args = split(a.substring(1, a.lastIndexOf(')')));
      }
      return new Insn(guard, negated, "call", mods, List.of(), callee, returns, args, line);
    }
    return new Insn(guard, negated, parts[0], mods, split(rest), null, null, null, line);
  }
}
