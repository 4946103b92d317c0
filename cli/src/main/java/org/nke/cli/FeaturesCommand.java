package org.nke.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import org.nke.Kernels;
import org.nke.Sketches;
import org.nke.arch.Architecture;
import org.nke.exact.ExactKernel.Kind;
import org.nke.exact.KernelPair;
import org.nke.io.AtomicOutput;
import org.nke.io.MatrixWriter;
import org.nke.io.PointStream;
import org.nke.ir.ChannelStats;
import org.nke.ir.ImageBatch;
import org.nke.sketch.CntkSketch;
import org.nke.sketch.PlanMethod;
import org.nke.sketch.PlanSpec;
import org.nke.sketch.SketchOptions;
import org.nke.sketch.SketchPlan;
import org.nke.sketch.SubspaceEmbedding;
import org.nke.spi.Backends;
import org.nke.spi.Precision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code nke features}: NNGP or NTK sketch features, streamed to the output in blocks; CNTK sketch
 * features of images for a convolutional architecture.
 */
@Command(name = "features", mixinStandardHelpOptions = true,
    description = {"Sketch features F with F Fᵀ ≈ K (NNGP: at most M features, NTK: at most 2M).",
        "Images (4-D .npy (n, H, W, C), CIFAR-10 .bin, IDX -ubyte[.gz]) with a Conv/pooling "
            + "architecture give CNTK sketch features."})
final class FeaturesCommand implements Callable<Integer> {
  /** Points per block written. */
  static final int BLOCK = 1024;
  /** Images per block written. */
  static final int IMAGE_BLOCK = 256;

  @Spec
  CommandSpec spec;

  @Option(names = "--arch", paramLabel = "ARCH", description = "Architecture (required unless --plan).")
  String arch;

  @Option(names = "--x", required = true, paramLabel = "X",
      description = "Points (.csv, .npy; sparse .svm/.libsvm/.npz: made dense for --method sketch) or "
          + "images (.npy (n, H, W, C), CIFAR-10 .bin, IDX -ubyte[.gz]).")
  Path x;

  @Option(names = "--kind", paramLabel = "nngp|ntk", description = "Which kernel (required unless --plan).")
  String kind;

  @Option(names = "--dim", paramLabel = "M",
      description = "Feature budget M (even, >= 64); required unless --method subspace --epsilon.")
  Integer dim;

  @Option(names = "--degree", defaultValue = "0", paramLabel = "Q",
      description = "Hermite truncation degree (default: chosen from the coefficients).")
  int degree;

  @Option(names = "--out", required = true, paramLabel = "OUT", description = "Output .npy or .csv.")
  @Preflight.Output
  Path out;

  @Option(names = "--method", defaultValue = "sketch", paramLabel = "sketch|subspace",
      description = "sketch: any activation, layer by layer (default); subspace: input-sparsity-time "
          + "embedding for bias-free ReLU-family networks, dense or sparse (.svm/.libsvm/.npz) input.")
  String method;

  @Option(names = "--epsilon", paramLabel = "ε",
      description = "subspace: choose the dimension for a (1 ± ε) spectral approximation of K + λI "
          + "(overrides --dim), λ from --ridge.")
  Double epsilon;

  @Option(names = "--ridge", defaultValue = "0.01", paramLabel = "λ",
      description = "subspace with --epsilon: the ridge, relative to the mean kernel diagonal (default ${DEFAULT-VALUE}).")
  double ridge;

  @Option(names = "--check", defaultValue = "0", paramLabel = "K",
      description = "Certify: exact kernel on K random points vs the sketch, relative Gram error.")
  int check;

  @Option(names = "--standardize", description = "Images: standardise each channel to mean 0 and "
      + "standard deviation 1 with the statistics of X first (as nke kernel --standardize); the "
      + "statistics are part of the plan (--save-plan).")
  boolean standardize;

  @Option(names = "--pad-to", paramLabel = "SIDE", description = ImageInputs.PAD_TO_HELP)
  Integer padTo;

  @Mixin
  PlanOptions plans = new PlanOptions();

  @Mixin
  CommonOptions common = new CommonOptions();

  /** The plan given by --plan, or null. */
  private PlanSpec given;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    given = plans.given(spec);
    if (given != null) {
      arch = given.architecture();
      kind = given.kind();
      dim = given.options().dim();
      degree = given.options().degree();
      common.seed = given.options().seed();
      method = given.method().toString();
    } else if (arch == null || kind == null) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--arch and --kind are "
          + "required (or --plan FILE, which holds them)");
    }
    if (plans.adapt && !method.equalsIgnoreCase("sketch")) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--adapt applies to "
          + "--method sketch; the subspace embedding needs no data to choose its widths");
    }
    boolean ntk = switch (kind.toLowerCase(Locale.ROOT)) {
      case "ntk" -> true;
      case "nngp" -> false;
      default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--kind must be nngp or ntk, got " + kind);
    };
    if (dim == null && (epsilon == null || !method.equalsIgnoreCase("subspace"))) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--dim M is required "
          + "(or, with --method subspace, --epsilon to choose it)");
    }
    if (epsilon != null && !method.equalsIgnoreCase("subspace")) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--epsilon chooses the dimension of --method subspace only; give --dim for " + method);
    }
    SketchOptions options;
    try {
      options = given != null ? given.options() : new SketchOptions(dim == null ? 64 : dim,
          common.seed, ntk, degree, SketchOptions.DEFAULT_TAIL);
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    if (check < 0) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--check must be >= 0");
    }
    Architecture architecture = Architecture.parse(arch);
    if (architecture.isConvolutional()) {
      if (!method.equalsIgnoreCase("sketch")) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--method " + method
            + " is for fully connected networks; a convolutional architecture uses the CNTK sketch "
            + "(--method sketch)");
      }
      return images(err, architecture, options);
    }
    if (standardize) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--standardize applies to "
          + "images (a convolutional architecture); standardise points beforehand");
    }
    if (padTo != null) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--pad-to applies to "
          + "images (a convolutional architecture)");
    }
    switch (method.toLowerCase(Locale.ROOT)) {
      case "subspace" -> {
        return subspace(err, architecture, options);
      }
      case "sketch" -> {
      }
      default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--method must be sketch or subspace, got " + method);
    }
    try (PointStream points = open(err)) {
      double[][] sample = points.next(Sketches.SAMPLE);
      PlanSpec planSpec = plans.resolve(given, PlanMethod.SKETCH, architecture, options, x.toString(),
          new int[] {points.dim()}, () -> sample, Sketches.SAMPLE, null);
      SketchPlan plan = planSpec.densePlan();
      int width = plan.outputDim();
      long n = points.count();
      if (n > Integer.MAX_VALUE) {
        throw new org.nke.error.InvalidInputException(x + " has more than 2^31 points");
      }
      try (Backends.Selection sel = common.open(err)) {
        Precision p = common.precision(sel.backend());
        long t0 = System.nanoTime();
        int k = (int) Math.min(check, n);
        int[] picks = new Random(common.seed).ints(0, (int) n).distinct().limit(k).sorted().toArray();
        double[][] checked = new double[k][];
        int found = 0;
        long offset = 0;
        try (AtomicOutput output = new AtomicOutput();
            ProgressBar bar = new ProgressBar(err, "features", n, !common.quiet)) {
          try (OutputStream os = output.open(out);
              MatrixWriter w = MatrixWriter.open(os, out, p, (int) n, width)) {
            double[][] block = sample;
            while (block.length > 0) {
              for (double[] row : Sketches.features(sel.backend(), plan, block, bar)) {
                w.writeRow(row);
              }
              while (found < k && picks[found] < offset + block.length) {
                checked[found] = block[(int) (picks[found] - offset)];
                found++;
              }
              offset += block.length;
              block = points.next(BLOCK);
            }
          }
          output.commit();
        }
        report(err, sel, p, n, width, t0, "points");
        plans.save(err, planSpec, false);
        if (k > 0) {
          long t1 = System.nanoTime();
          KernelPair exact = Kernels.of(architecture).compute(sel.backend(), checked, null,
              ntk ? Kind.NTK : Kind.NNGP);
          GramCheck.certify(err, common.backendOptions().threads(), exact, (System.nanoTime() - t1) / 1e9, Sketches.features(sel.backend(), plan,
              checked, org.nke.spi.Progress.NONE), ntk, "points");
        }
      }
    }
    return 0;
  }

  /** The points of X as a stream; a sparse file is made dense when it fits in memory. */
  private PointStream open(PrintWriter err) {
    if (!org.nke.io.SparseReaders.accepts(x)) {
      return PointStream.open(x);
    }
    double[][] rows = Inputs.read(err, x).densify("--method sketch");
    err.println("nke: " + x + " is sparse: its points were made dense for --method sketch; "
        + "--method subspace reads sparse rows in input-sparsity time (bias-free ReLU-family networks)");
    return PointStream.of(x.toString(), rows);
  }

  private void report(PrintWriter err, Backends.Selection sel, Precision p, long n, int width, long t0,
      String unit) {
    double seconds = (System.nanoTime() - t0) / 1e9;
    err.println(String.format(Locale.ROOT, "nke: wrote %s (%d x %d %s features, %s); %.2f s on %s "
        + "(%.4g %s/s)", out, n, width, kind.toLowerCase(Locale.ROOT), p.dtype(), seconds,
        sel.backend().name(), n / seconds, unit));
  }

  /** CNTK sketch features of images, in blocks of {@value #IMAGE_BLOCK}. */
  private int images(PrintWriter err, Architecture architecture, SketchOptions options)
      throws IOException {
    ImageBatch images = ImageInputs.read(x);
    ChannelStats stats = given != null ? given.standardization()
        : standardize ? images.channelStats() : null;
    if (stats != null) {
      images = images.standardized(stats);
      err.println("nke: standardised each channel with the mean and standard deviation of "
          + (given != null ? "the plan's data (" + plans.plan + ")" : x.toString()));
    }
    images = ImageInputs.padded(err, images, padTo);
    if (given != null && given.images() && given.shape()[0] == given.shape()[1]
        && images.height() < given.shape()[0] && images.width() < given.shape()[1]) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "the plan " + plans.plan
          + " is for " + given.shape()[0] + "x" + given.shape()[1] + " images, got "
          + images.height() + "x" + images.width() + ": pad them as its run did (--pad-to "
          + given.shape()[0] + ")");
    }
    ImageBatch standardized = images;
    PlanSpec planSpec = plans.resolve(given, PlanMethod.SKETCH, architecture, options, x.toString(),
        new int[] {images.height(), images.width(), images.channels()},
        () -> standardized.slice(0, Math.min(standardized.count(), CntkSketch.SAMPLE_IMAGES))
            .toPoints(), CntkSketch.SAMPLE_IMAGES, stats);
    long t0 = System.nanoTime();
    CntkSketch plan = planSpec.cntkPlan();
    int n = images.count();
    int width = plan.outputDim();
    err.println(String.format(Locale.ROOT, "nke: CNTK sketch of %s, %d features, Hermite degrees %s, "
        + "%s diagonal (plan %.2f s)", images.shapeString(), width, plan.layers().stream().map(l ->
        Integer.toString(l.degree())).toList(), plan.exactDiagonal() ? "exact" : "sketched",
        (System.nanoTime() - t0) / 1e9));
    try (Backends.Selection sel = common.open(err)) {
      Precision p = common.precision(sel.backend());
      t0 = System.nanoTime();
      try (AtomicOutput output = new AtomicOutput();
          ProgressBar bar = new ProgressBar(err, "features", n, !common.quiet)) {
        try (OutputStream os = output.open(out);
            MatrixWriter w = MatrixWriter.open(os, out, p, n, width)) {
          for (int start = 0; start < n; start += IMAGE_BLOCK) {
            ImageBatch block = images.slice(start, Math.min(n, start + IMAGE_BLOCK));
            for (double[] row : Sketches.features(sel.backend(), plan, block, bar)) {
              w.writeRow(row);
            }
          }
        }
        output.commit();
      }
      report(err, sel, p, n, width, t0, "images");
      plans.save(err, planSpec, false);
      int k = Math.min(check, n);
      if (k > 0) {
        int[] picks = new Random(common.seed).ints(0, n).distinct().limit(k).sorted().toArray();
        ImageBatch checked = images.select(picks);
        long t1 = System.nanoTime();
        KernelPair exact = Kernels.of(architecture).compute(sel.backend(), checked, null,
            options.ntk() ? Kind.NTK : Kind.NNGP);
        GramCheck.certify(err, common.backendOptions().threads(), exact, (System.nanoTime() - t1) / 1e9, Sketches.features(sel.backend(), plan,
            checked, org.nke.spi.Progress.NONE), options.ntk(), "images");
      }
    }
    return 0;
  }

  /** The input-sparsity-time embedding, for dense or sparse input held in memory. */
  private int subspace(PrintWriter err, Architecture architecture, SketchOptions options)
      throws IOException {
    // the backend asked for is opened first, so that an unknown or unavailable one fails before any
    // work; the embedding itself is CPU code, the backend computes the --check kernel
    try (Backends.Selection sel = common.open(err)) {
      return subspace(err, architecture, options, sel);
    }
  }

  private int subspace(PrintWriter err, Architecture architecture, SketchOptions options,
      Backends.Selection sel) throws IOException {
    Inputs.Loaded in = Inputs.read(err, x);
    if (given == null) {
      options = Inputs.dimensionFor(err, architecture, in, options, epsilon, ridge);
    }
    PlanSpec planSpec = plans.resolve(given, PlanMethod.SUBSPACE, architecture, options, x.toString(),
        new int[] {in.dim()}, null, 0, null);
    SubspaceEmbedding e = planSpec.embedding();
    int n = in.count();
    int k = Math.min(check, n);
    int[] picks = new Random(common.seed).ints(0, n).distinct().limit(k).sorted().toArray();
    double[][] checked = new double[k][];
    double[][] checkedFeatures = new double[k][];
    ForkJoinPool pool = new ForkJoinPool(common.backendOptions().threads());
    if (!"cpu".equals(sel.backend().name())) {
      err.println("nke: the subspace embedding's features are computed on the CPU ("
          + pool.getParallelism() + " threads): it has no device implementation");
    }
    long t0 = System.nanoTime();
    try (AtomicOutput output = new AtomicOutput();
        ProgressBar bar = new ProgressBar(err, "features", n, !common.quiet)) {
      Precision p = common.dtype == null ? Precision.F64 : common.precision(null);
      try (OutputStream os = output.open(out);
          MatrixWriter w = MatrixWriter.open(os, out, p, n, e.outputDim())) {
        int found = 0;
        for (int start = 0; start < n; start += BLOCK) {
          int from = start;
          int to = Math.min(n, start + BLOCK);
          double[][] f = new double[to - from][];
          pool.submit(() -> IntStream.range(from, to).parallel().forEach(i -> {
            f[i - from] = in.dense() != null ? e.features(in.dense()[i]) : e.features(in.sparse(), i);
            bar.advance(1);
          })).join();
          for (double[] row : f) {
            w.writeRow(row);
          }
          while (found < k && picks[found] < to) {
            checked[found] = in.dense() != null ? in.dense()[picks[found]]
                : in.sparse().dense(picks[found]);
            checkedFeatures[found] = f[picks[found] - from];
            found++;
          }
        }
      }
      output.commit();
    } finally {
      pool.shutdown();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    err.println(String.format(Locale.ROOT, "nke: wrote %s (%d x %d %s features, subspace embedding of "
        + "degree %d%s); %.2f s (%.0f points/s on the CPU)", out, n, e.outputDim(), kind.toLowerCase(Locale.ROOT),
        e.degree(), in.sparse() != null ? ", " + in.sparse().nnz() + " non-zeros" : "", seconds,
        n / seconds));
    plans.save(err, planSpec, epsilon != null && given == null);
    if (k > 0) {
      long t1 = System.nanoTime();
      KernelPair exact = Kernels.of(architecture).compute(sel.backend(), checked, null,
          options.ntk() ? Kind.NTK : Kind.NNGP);
      GramCheck.certify(err, common.backendOptions().threads(), exact, (System.nanoTime() - t1) / 1e9, checkedFeatures, options.ntk(), "points");
    }
    return 0;
  }
}
