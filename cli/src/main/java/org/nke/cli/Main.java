package org.nke.cli;

import java.io.PrintWriter;
import org.nke.error.NkeException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code nke} command line. Exit codes follow {@code shared/spec/cli.md}: 0 ok, 2 usage, 3 backend
 * unavailable, 4 bad input data, 5 resources, 1 anything else; errors are one message on stderr.
 */
@Command(name = "nke", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Infinite-width neural-network kernels (NNGP, NTK, CNTK) for any activation.",
    subcommands = {KernelCommand.class, FeaturesCommand.class, HermiteCommand.class, FitCommand.class,
        PredictCommand.class, DemoCommand.class, BenchCommand.class, DoctorCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.err);
  }

  /**
   * Runs a command line and returns its exit code (used by tests and {@link #main}).
   *
   * @param out standard output
   * @param err standard error
   * @param args the arguments
   * @return the exit code
   */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionStrategy(Preflight::execute);
    cli.setExecutionExceptionHandler((ex, cmd, parsed) -> failure(ex, err));
    cli.setParameterExceptionHandler((ex, params) -> {
      String unknown = ex instanceof CommandLine.MissingParameterException
          ? Preflight.unknownOption(ex.getCommandLine(), params) : null;
      err.println("nke: " + (unknown != null ? unknown : message(ex)));
      err.println("Try 'nke " + ex.getCommandLine().getCommandName().replace("nke", "").trim()
          + (ex.getCommandLine().getCommandName().equals("nke") ? "" : " ") + "--help' for usage.");
      err.flush();
      return 2;
    });
    int code;
    try {
      code = cli.execute(args);
    } catch (Throwable t) {
      // errors (OutOfMemoryError, StackOverflowError) are not given to the handler by picocli
      code = failure(t, err);
    }
    out.flush();
    err.flush();
    return code;
  }

  /**
   * Reports a failure as one message on {@code err}: an {@link NkeException} (also as the cause of
   * another exception) with its exit code, running out of memory as exit code 5 with advice, anything
   * else as exit code 1 (the stack trace with {@code NKE_DEBUG=1}).
   *
   * @param t what was thrown
   * @param err standard error
   * @return the exit code
   */
  static int failure(Throwable t, PrintWriter err) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof NkeException e) {
        err.println("nke: " + e.getMessage());
        err.flush();
        return e.exitCode();
      }
      if (c instanceof OutOfMemoryError) {
        err.println("nke: out of memory" + (c.getMessage() == null ? "" : " (" + c.getMessage() + ")")
            + "; this Java may use at most "
            + org.nke.error.ResourceLimitException.human(Runtime.getRuntime().maxMemory()) + ": use a "
            + "smaller input or --dim, sketch features (nke features, --method sketch) instead of an "
            + "exact kernel, or give Java more memory, e.g. NKE_JAVA_OPTS=-Xmx64g");
        err.flush();
        return 5;
      }
    }
    err.println("nke: error: " + t);
    if (System.getenv("NKE_DEBUG") != null) {
      t.printStackTrace(err);
    } else {
      err.println("(set NKE_DEBUG=1 for the stack trace)");
    }
    err.flush();
    return 1;
  }

  /** The parse error, or for an unknown first word the command list. */
  private static String message(CommandLine.ParameterException ex) {
    CommandLine c = ex.getCommandLine();
    if (ex instanceof CommandLine.UnmatchedArgumentException u && c.getParent() == null
        && !u.getUnmatched().isEmpty() && !u.getUnmatched().get(0).startsWith("-")) {
      return "unknown command '" + u.getUnmatched().get(0) + "'; commands: "
          + String.join(", ", c.getSubcommands().keySet());
    }
    return ex.getMessage();
  }

  /**
   * Entry point.
   *
   * @param args command-line arguments
   */
  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(run(out, err, args));
  }

  /** Reports the version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"nke " + (v == null ? "(development build)" : v) + ", Java "
          + Runtime.version()};
    }
  }
}
