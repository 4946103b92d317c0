package org.nke.cli;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nke.error.UsageException;
import org.nke.io.OutputPaths;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Checks on the parsed command line of every command, before it runs (picocli's execution
 * strategy, installed by {@link Main}): so that no command loses data and none fails after minutes
 * of compute. Every {@link Path} option is an input unless its field is marked {@link Output}; each
 * output is checked by {@link OutputPaths#check} against the inputs (same file, also through links),
 * the other outputs and its location. Options in {@link #POSITIVE} must be positive and finite.
 */
final class Preflight {
  /** Marks a {@link Path} option as a file the command writes. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.FIELD)
  @interface Output {
  }

  /** A command that writes other files than the ones its options name (e.g. one per kernel). */
  interface DerivedOutputs {
    /**
     * @param declared the value of an {@link Output} option
     * @return the files the command will write for it
     */
    List<Path> outputFiles(Path declared);
  }

  /** Numeric options that must be positive and finite wherever they appear. */
  static final Set<String> POSITIVE = Set.of("--epsilon", "--ridge");

  private Preflight() {
  }

  /**
   * Checks the command that was called, then runs it.
   *
   * @param parsed the parse result
   * @return the exit code
   */
  static int execute(ParseResult parsed) {
    ParseResult leaf = parsed;
    while (leaf.hasSubcommand()) {
      leaf = leaf.subcommand();
    }
    if (!leaf.isUsageHelpRequested() && !leaf.isVersionHelpRequested()) {
      check(leaf.commandSpec());
    }
    return new CommandLine.RunLast().execute(parsed);
  }

  /**
   * @param spec a parsed command
   * @throws ParameterException for the first problem found
   */
  static void check(CommandSpec spec) {
    List<Map.Entry<String, Path>> outputs = new ArrayList<>();
    List<Map.Entry<String, Path>> inputs = new ArrayList<>();
    for (OptionSpec o : spec.options()) {
      Object v = o.getValue();
      String name = o.longestName();
      if (POSITIVE.contains(name) && v instanceof Number n
          && !(n.doubleValue() > 0 && Double.isFinite(n.doubleValue()))) {
        throw new ParameterException(spec.commandLine(), name + " must be positive, got " + v);
      }
      if (!(v instanceof Path p)) {
        continue;
      }
      if (o.userObject() instanceof Field f && f.isAnnotationPresent(Output.class)) {
        List<Path> files = spec.userObject() instanceof DerivedOutputs d && !p.toString().isEmpty()
            && !OutputPaths.isStandardOutput(p) ? d.outputFiles(p) : List.of(p);
        for (Path file : files) {
          outputs.add(Map.entry(file.equals(p) ? name : name + " (" + file.getFileName() + ")", file));
        }
      } else {
        inputs.add(Map.entry(name, p));
      }
    }
    try {
      OutputPaths.check(outputs, inputs);
    } catch (UsageException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  /**
   * For a command line that picocli rejects as missing a required option: the first option that the
   * command does not know, which is the real mistake ({@code --outt} for {@code --out}).
   *
   * @param c the command that failed to parse
   * @param args the whole command line
   * @return {@code unknown option '--outt' (did you mean --out?)}, or {@code null} when all are known
   */
  static String unknownOption(CommandLine c, String[] args) {
    CommandSpec spec = c.getCommandSpec();
    int start = 0;
    if (c.getParent() != null) {
      start = java.util.Arrays.asList(args).indexOf(spec.name()) + 1;
    }
    for (int i = start; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--")) {
        break;
      }
      if (!a.startsWith("-") || a.equals("-") || a.matches("-[0-9.].*")) {
        continue;
      }
      String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
      OptionSpec o = spec.findOption(name);
      if (o == null) {
        List<String> close = spec.options().stream().flatMap(x -> java.util.Arrays.stream(x.names()))
            .filter(n -> n.length() > 2 && (name.startsWith(n) || n.startsWith(name))).toList();
        return "unknown option '" + name + "'" + (close.isEmpty() ? "" : " (did you mean "
            + String.join(" or ", close) + "?)");
      }
      if (o.arity().min() > 0 && !a.contains("=")) {
        i++;
      }
    }
    return null;
  }
}
