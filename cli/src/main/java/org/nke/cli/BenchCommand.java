package org.nke.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nke.bench.BenchCase;
import org.nke.bench.BenchResult;
import org.nke.bench.BenchRunner;
import org.nke.bench.Suite;
import org.nke.bench.report.MarkdownReport;
import org.nke.bench.suites.BackendsSuite;
import org.nke.bench.suites.BaselineSuite;
import org.nke.bench.suites.CntkSuite;
import org.nke.bench.suites.DenseSuite;
import org.nke.bench.suites.HermiteSuite;
import org.nke.bench.suites.ScaleSuite;
import org.nke.bench.suites.SparseSuite;
import org.nke.spi.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code nke bench}: the benchmark harness (see bench/README.md). */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmark suites: hermite, dense, baseline, backends, scale, sparse, cntk (or all); writes JSON "
        + "lines, Markdown tables and PNG plots.")
final class BenchCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--suite", split = ",", defaultValue = "all", paramLabel = "NAME[,NAME...]",
      description = "Suites to run (default: all).")
  List<String> suites;

  @Option(names = "--quick", description = "Small grids (all suites in under 10 minutes on 2 cores).")
  boolean quick;

  @Option(names = "--reps", defaultValue = "3", paramLabel = "R", description = "Repetitions per case (median).")
  int reps;

  @Option(names = "--out-dir", defaultValue = "bench/results", paramLabel = "DIR", description = "Output directory.")
  Path outDir;

  @Option(names = "--quiet", description = "No progress bar.")
  boolean quiet;

  static List<Suite> all() {
    return List.of(new HermiteSuite(), new DenseSuite(), new BaselineSuite(), new BackendsSuite(),
        new ScaleSuite(), new SparseSuite(), new CntkSuite());
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<Suite> chosen = new ArrayList<>();
    for (String s : suites) {
      if (s.equals("all")) {
        chosen.addAll(all());
      } else {
        chosen.add(all().stream().filter(x -> x.name().equals(s)).findFirst().orElseThrow(() ->
            new ParameterException(spec.commandLine(), "unknown suite '" + s + "'; known: all, "
                + String.join(", ", all().stream().map(Suite::name).toList()))));
      }
    }
    Files.createDirectories(outDir);
    Map<String, String> facts = facts();
    StringBuilder summary = new StringBuilder("# nke benchmark results\n\n");
    summary.append(MarkdownReport.facts(facts)).append('\n');
    BenchRunner runner = new BenchRunner(quick ? 1 : reps);
    for (Suite suite : chosen) {
      List<BenchCase> cases = suite.cases(quick);
      err.println("nke bench: " + suite.name() + " (" + cases.size() + " cases): " + suite.description());
      List<BenchResult> results;
      Path jsonl = outDir.resolve(suite.name() + ".jsonl");
      try (BufferedWriter w = Files.newBufferedWriter(jsonl, StandardCharsets.UTF_8);
          ProgressBar bar = new ProgressBar(err, suite.name(), cases.size(), !quiet)) {
        results = runner.run(suite.name(), cases, r -> {
          try {
            w.write(r.toJson());
            w.newLine();
            w.flush();
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
          bar.advance(1);
        });
      }
      suite.plot(results, outDir);
      String table = MarkdownReport.table(results);
      StringBuilder md = new StringBuilder("## " + suite.name() + ": " + suite.description() + "\n\n");
      md.append(table);
      if (suite instanceof ScaleSuite) {
        double[] fit = ScaleSuite.crossover(results);
        md.append(String.format(Locale.ROOT, "%nFit: exact NTK %.3e s x n^2, sketch %.3e s x n; the "
            + "sketch is cheaper from n* = %.0f points on.%n", fit[0], fit[1], fit[2]));
      }
      md.append(suite.summary(results));
      Files.writeString(outDir.resolve(suite.name() + ".md"), md.toString(), StandardCharsets.UTF_8);
      summary.append(md).append('\n');
      out.println(md);
    }
    Files.writeString(outDir.resolve("summary.md"), summary.toString(), StandardCharsets.UTF_8);
    err.println("nke bench: wrote " + outDir + "/{summary.md, <suite>.jsonl, <suite>.md, <suite>.png}");
    return 0;
  }

  private static Map<String, String> facts() {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("date", LocalDate.now().toString());
    f.put("machine", Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name")
        + " " + System.getProperty("os.arch") + ", max heap "
        + org.nke.error.ResourceLimitException.human(Runtime.getRuntime().maxMemory()));
    f.put("java", Runtime.version() + " (" + System.getProperty("java.vendor") + ")");
    f.put("backends", String.join("; ", Backends.describe()).replaceAll("\\s+", " "));
    return f;
  }
}
