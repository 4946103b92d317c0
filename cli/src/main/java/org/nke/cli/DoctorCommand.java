package org.nke.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.nke.spi.BackendProvider;
import org.nke.spi.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code nke doctor}: which backends are available here, and why not. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
    description = "What backends are available, device, CUDA/driver versions, why one is missing.")
final class DoctorCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    out.println("nke doctor");
    out.println("  Java        " + Runtime.version() + " (" + System.getProperty("java.vendor") + "), "
        + System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    out.println("  CPU         " + Runtime.getRuntime().availableProcessors() + " cores, max heap "
        + org.nke.error.ResourceLimitException.human(Runtime.getRuntime().maxMemory()));
    out.println("  request     " + Backends.resolveRequest(null) + " (from --backend / -Dnke.backend / "
        + "NKE_BACKEND)");
    out.println("  backends:");
    for (String line : Backends.describe()) {
      out.println("    " + line);
    }
    for (BackendProvider p : Backends.providers()) {
      for (String line : p.diagnostics()) {
        out.println("    " + p.name() + ": " + line);
      }
    }
    String chosen = Backends.providers().stream().filter(p -> p.probe().available()).findFirst()
        .map(BackendProvider::name).orElse("none");
    out.println("  auto would choose: " + chosen);
    return 0;
  }
}
