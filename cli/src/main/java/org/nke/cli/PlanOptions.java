package org.nke.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.nke.arch.Architecture;
import org.nke.error.UsageException;
import org.nke.io.AtomicOutput;
import org.nke.ir.ChannelStats;
import org.nke.krr.FeatureModel;
import org.nke.krr.ModelFile;
import org.nke.sketch.ExactDiagonal;
import org.nke.sketch.PlanFile;
import org.nke.sketch.PlanMethod;
import org.nke.sketch.PlanSpec;
import org.nke.sketch.SketchOptions;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine;

/**
 * The feature-plan options of {@code nke features} and {@code nke fit} ({@code shared/spec/cli.md},
 * "Features that compose"): a plan is data-free by default; whatever a run fits to data
 * ({@code --adapt}ed widths, {@code --standardize} statistics, a dimension chosen by
 * {@code --epsilon}) is written by that run ({@code --save-plan}, or the model) and taken by later
 * runs ({@code --plan}), never refitted silently.
 */
final class PlanOptions {
  @Option(names = "--plan", paramLabel = "PLAN", description = "Take the feature plan (architecture, "
      + "kind, budget, seed, degree, widths, standardisation, diagonal) from a file written by "
      + "--save-plan or from a model of nke fit: the features compose with that run's.")
  Path plan;

  @Preflight.Output
  @Option(names = "--save-plan", paramLabel = "FILE", description = "Write this run's feature plan, "
      + "for --plan in later runs (features of other files, nke fit).")
  Path savePlan;

  @Option(names = "--adapt", description = "Adapt block widths and degrees to the first 256 points (8 "
      + "images) of X instead of the data-free reference (the default: features of a point do not "
      + "depend on the rest of the file); save the plan with --save-plan to sketch other files the "
      + "same way.")
  boolean adapt;

  @Option(names = "--diagonal", paramLabel = "exact|sketched", description = "The CNTK sketch of "
      + "images: 'exact' (the default) scales each image's features to its exact self-kernel "
      + "K(x, x) (Θ(x, x) for ntk), so only the angles between images are sketched: closer to the "
      + "kernel, but not unbiased; 'sketched' keeps the unbiased features.")
  String diagonal;

  /**
   * @param spec the command (to tell which options were given)
   * @return the plan given by {@code --plan}, checked against the other options given, or
   *     {@code null}
   * @throws ParameterException if an option given contradicts the plan
   */
  PlanSpec given(CommandSpec spec) {
    if (plan == null) {
      return null;
    }
    PlanSpec p = read(plan);
    if (diagonal != null) {
      exactDiagonal(diagonal);   // an unknown value is its own error, not a clash with the plan
    }
    CommandLine.ParseResult r = spec.commandLine().getParseResult();
    List<String> clash = new ArrayList<>();
    check(r, "--arch", a -> Architecture.parse(a).describe().equals(p.architecture()), clash);
    check(r, "--kind", k -> k.equalsIgnoreCase(p.kind()), clash);
    check(r, "--dim", m -> Integer.parseInt(m) == p.options().dim(), clash);
    check(r, "--seed", s -> Long.parseLong(s) == p.options().seed(), clash);
    check(r, "--degree", q -> Integer.parseInt(q) == p.options().degree(), clash);
    check(r, "--method", m -> m.equalsIgnoreCase(p.method().toString()), clash);
    check(r, "--diagonal", d -> exactDiagonal(d) == p.exactDiagonal() && p.images(), clash);
    for (String fitted : new String[] {"--adapt", "--standardize", "--epsilon"}) {
      if (r.hasMatchedOption(fitted)) {
        clash.add(fitted + " (the plan fixes what is fitted to data)");
      }
    }
    if (!clash.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "--plan " + plan + " fixes " + p.describe()
          + "; these options differ from it or refit it: " + String.join(", ", clash)
          + " (drop them, or make a new plan)");
    }
    return p;
  }

  private static void check(CommandLine.ParseResult r, String name,
      java.util.function.Predicate<String> agrees, List<String> clash) {
    if (r.hasMatchedOption(name)) {
      String v = r.matchedOption(name).stringValues().get(0);
      boolean ok;
      try {
        ok = agrees.test(v);
      } catch (RuntimeException e) {
        ok = false;
      }
      if (!ok) {
        clash.add(name + " " + v);
      }
    }
  }

  /**
   * A plan file, or the plan inside a model file.
   *
   * @param path the file
   * @return its plan
   */
  static PlanSpec read(Path path) {
    if (isModel(path)) {
      if (!(ModelFile.read(path) instanceof FeatureModel m)) {
        throw new org.nke.error.InvalidInputException(path + " is an exact model: it has no feature "
            + "plan (fit with --method sketch or subspace)");
      }
      return m.plan();
    }
    return PlanFile.read(path);
  }

  private static boolean isModel(Path path) {
    if (!Files.isRegularFile(path)) {
      return false;
    }
    try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(path))) {
      ZipEntry e;
      while ((e = zip.getNextEntry()) != null) {
        if (e.getName().equals("model.json")) {
          return true;
        }
      }
    } catch (IOException e) {
      return false;
    }
    return false;
  }

  /**
   * The plan of this run: the given one (its shape checked), or the data-free one of these options,
   * adapted to the sample with {@code --adapt}.
   *
   * @param given the {@code --plan}, or {@code null}
   * @param method sketch or subspace embedding
   * @param arch the architecture
   * @param options kind, budget, seed, degree
   * @param what the data's name, for messages
   * @param shape the data's shape ({@code {d}} or {@code {H, W, C}})
   * @param sample the adaptation rows (read only with {@code --adapt})
   * @param limit how many of them to keep
   * @param stats standardisation fitted to the data, or {@code null}
   * @return the plan
   */
  PlanSpec resolve(PlanSpec given, PlanMethod method, Architecture arch, SketchOptions options,
      String what, int[] shape, Supplier<double[][]> sample, int limit, ChannelStats stats) {
    if (given != null) {
      given.checkShape(what, shape);
      return given;
    }
    PlanSpec p = PlanSpec.reference(method, arch, options, shape);
    if (diagonal != null) {
      if (!(method == PlanMethod.SKETCH && shape.length == 3)) {
        throw new UsageException("--diagonal is an option of the CNTK sketch of images, not of the "
            + (method == PlanMethod.SKETCH ? "sketch of points" : "subspace embedding")
            + " (drop it)");
      }
      boolean exact = exactDiagonal(diagonal);
      // the reference plan has the exact diagonal wherever these images allow it
      if (exact && !p.exactDiagonal()) {
        throw new UsageException("--diagonal exact: " + ExactDiagonal.unavailable(arch, shape[0],
            shape[1], shape[2]) + " (--diagonal sketched, the default for these images)");
      }
      p = p.withExactDiagonal(exact);
    }
    if (adapt && method == PlanMethod.SKETCH) {
      p = p.adaptedTo(sample.get(), limit);
    }
    return p.withStandardization(stats);
  }

  /** @return whether a {@code --diagonal} value asks for the exact diagonal */
  private static boolean exactDiagonal(String value) {
    return switch (value.toLowerCase(java.util.Locale.ROOT)) {
      case "exact" -> true;
      case "sketched" -> false;
      default -> throw new UsageException("--diagonal must be 'exact' or 'sketched', got '" + value
          + "'");
    };
  }

  /**
   * Writes the plan with {@code --save-plan}, or says on {@code err} what was fitted to the data and
   * is lost without it.
   *
   * @param err where notes go
   * @param p the plan used
   * @param fittedDim whether the dimension was chosen from the data ({@code --epsilon})
   * @throws IOException on write errors
   */
  void save(PrintWriter err, PlanSpec p, boolean fittedDim) throws IOException {
    if (savePlan != null) {
      try (AtomicOutput output = new AtomicOutput()) {
        try (OutputStream os = output.open(savePlan)) {
          PlanFile.write(p, os);
        }
        output.commit();
      }
      err.println("nke: wrote the plan " + savePlan + " (" + p.describe() + "); --plan " + savePlan
          + " gives other files the same features");
      return;
    }
    List<String> fitted = new ArrayList<>();
    if (p.adapted() && plan == null) {
      fitted.add("block widths (--adapt)");
    }
    if (p.standardization() != null && plan == null) {
      fitted.add("channel statistics (--standardize)");
    }
    if (fittedDim) {
      fitted.add("the dimension (--epsilon)");
    }
    if (!fitted.isEmpty()) {
      err.println("nke: " + String.join(", ", fitted) + " fitted to this file: features of other "
          + "files compose with these only through the same plan; add --save-plan FILE here and "
          + "--plan FILE there");
    }
  }
}
