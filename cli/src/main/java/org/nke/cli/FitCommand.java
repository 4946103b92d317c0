package org.nke.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;
import org.nke.Kernels;
import org.nke.arch.Architecture;
import org.nke.cntk.ExactCntk;
import org.nke.exact.ExactKernel.Kind;
import org.nke.io.AtomicOutput;
import org.nke.ir.ChannelStats;
import org.nke.ir.ImageBatch;
import org.nke.krr.ExactImagesModel;
import org.nke.krr.FeatureModel;
import org.nke.krr.ModelFile;
import org.nke.krr.RidgeFit;
import org.nke.krr.RidgeModel;
import org.nke.sketch.PlanMethod;
import org.nke.sketch.PlanSpec;
import org.nke.sketch.SketchOptions;
import org.nke.spi.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code nke fit}: kernel ridge regression or classification, saved as a model file. */
@Command(name = "fit", mixinStandardHelpOptions = true,
    description = "Kernel ridge regression (integer labels: classification) on the exact kernel or "
        + "sketch features; writes MODEL (a ZIP of model.json, points.npy, weights.npy).")
final class FitCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--arch", paramLabel = "ARCH", description = "Architecture (required unless --plan).")
  String arch;

  @Option(names = "--x", required = true, paramLabel = "X", description = "Training points.")
  Path x;

  @Option(names = "--labels", paramLabel = "L",
      description = "One label per row (.csv/.npy/IDX/CIFAR), or k per row (an (n, k) .npy or "
          + "k-column .csv: multi-output regression, every method, points or images); optional for "
          + "libsvm input and CIFAR-10 batches, which carry them.")
  Path labels;

  @Option(names = "--method", defaultValue = "exact", paramLabel = "exact|sketch|subspace",
      description = "Exact kernel, sketch features, or the input-sparsity-time subspace embedding "
          + "(bias-free ReLU-family networks; dense or sparse input) (default: ${DEFAULT-VALUE}).")
  String method;

  @Option(names = "--kind", defaultValue = "ntk", paramLabel = "nngp|ntk", description = "Kernel (default: ${DEFAULT-VALUE}).")
  String kind;

  @Option(names = "--dim", defaultValue = "4096", paramLabel = "M", description = "Sketch budget (default: ${DEFAULT-VALUE}).")
  int dim;

  @Option(names = "--degree", defaultValue = "0", paramLabel = "Q", description = "Sketch Hermite degree (0: automatic).")
  int degree;

  @Option(names = "--ridge", paramLabel = "λ",
      description = "Ridge relative to the mean kernel diagonal (default: chosen by leave-one-out or held-out data).")
  Double ridge;

  @Option(names = "--epsilon", paramLabel = "ε",
      description = "subspace: choose the dimension for a (1 ± ε) spectral approximation of K + λI "
          + "(λ from --ridge, or 0.01), overriding --dim.")
  Double epsilon;

  @Option(names = "--model", required = true, paramLabel = "MODEL", description = "Output model file.")
  @Preflight.Output
  Path model;

  @Option(names = "--standardize", description = "Images: standardise each channel with the training "
      + "images' mean and standard deviation (kept in the model, applied by nke predict).")
  boolean standardize;

  @Option(names = "--pad-to", paramLabel = "SIDE", description = ImageInputs.PAD_TO_HELP)
  Integer padTo;

  @Option(names = "--uncertainty", description = "sketch: also keep the ensemble posterior in the "
      + "model (an eigenbasis, q x q; about n x q for n < q/2 training points; ntk: also the NNGP "
      + "features of the same seed), so that nke predict --time/--variance/--covariance work; "
      + "same single pass over the data.")
  boolean uncertainty;

  @Mixin
  PlanOptions plans = new PlanOptions();

  @Mixin
  CommonOptions common = new CommonOptions();

  /** The featurizer of {@code --method}. */
  private enum Method {
    EXACT, SKETCH, SUBSPACE
  }

  /** The plan given by --plan, or null. */
  private PlanSpec given;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    given = plans.given(spec);
    if (given != null) {
      arch = given.architecture();
      kind = given.kind();
      method = given.method().toString();
      dim = given.options().dim();
      degree = given.options().degree();
      common.seed = given.options().seed();
    } else if (arch == null) {
      throw new ParameterException(spec.commandLine(), "--arch is required (or --plan FILE, which "
          + "holds it)");
    }
    Kind k = switch (kind.toLowerCase(Locale.ROOT)) {
      case "ntk" -> Kind.NTK;
      case "nngp" -> Kind.NNGP;
      default -> throw new ParameterException(spec.commandLine(), "--kind must be nngp or ntk, got " + kind);
    };
    Method how = switch (method.toLowerCase(Locale.ROOT)) {
      case "exact" -> Method.EXACT;
      case "sketch" -> Method.SKETCH;
      case "subspace" -> Method.SUBSPACE;
      default -> throw new ParameterException(spec.commandLine(), "--method must be exact, sketch or "
          + "subspace, got " + method);
    };
    boolean sketch = how != Method.EXACT;
    boolean subspace = how == Method.SUBSPACE;
    if (plans.adapt && how != Method.SKETCH) {
      throw new ParameterException(spec.commandLine(), "--adapt applies to --method sketch, got "
          + "--method " + method);
    }
    if (plans.diagonal != null && how != Method.SKETCH) {
      throw new ParameterException(spec.commandLine(), "--diagonal applies to --method sketch on "
          + "images (the CNTK sketch), got --method " + method);
    }
    if (plans.savePlan != null && !sketch) {
      throw new ParameterException(spec.commandLine(), "--save-plan applies to feature models "
          + "(--method sketch or subspace), got --method exact");
    }
    if (uncertainty && how != Method.SKETCH) {
      throw new ParameterException(spec.commandLine(), "--uncertainty applies to --method sketch "
          + "(exact models predict at any --time as they are; subspace models have none), got "
          + "--method " + method);
    }
    if (ridge != null && !(ridge > 0)) {
      throw new ParameterException(spec.commandLine(), "--ridge must be positive, got " + ridge);
    }
    if (epsilon != null && !subspace) {
      throw new ParameterException(spec.commandLine(),
          "--epsilon chooses the dimension of --method subspace only");
    }
    SketchOptions options = null;
    if (sketch) {
      try {
        options = given != null ? given.options()
            : new SketchOptions(dim, common.seed, k == Kind.NTK, degree, SketchOptions.DEFAULT_TAIL);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
    }
    Architecture architecture = Architecture.parse(arch);
    if (architecture.isConvolutional()) {
      if (subspace) {
        throw new ParameterException(spec.commandLine(), "--method subspace is for fully connected "
            + "networks; a convolutional architecture uses --method exact or sketch");
      }
      return images(err, architecture, k, sketch ? options : null);
    }
    if (standardize) {
      throw new ParameterException(spec.commandLine(), "--standardize applies to images (a "
          + "convolutional architecture); standardise points beforehand");
    }
    if (padTo != null) {
      throw new ParameterException(spec.commandLine(), "--pad-to applies to images (a convolutional "
          + "architecture)");
    }
    Inputs.Loaded in = Inputs.read(err, x);
    double[][] columns = labels != null ? Inputs.labelColumns(labels, x, in.count(), "point") : null;
    double[] ys = columns != null ? Inputs.single(columns) : in.labels();
    if (ys == null && columns == null) {
      throw new ParameterException(spec.commandLine(), "--labels is required unless X is a libsvm file");
    }
    double[][] ls = columns != null ? columns : RidgeFit.column(ys);
    double[][] xs = subspace ? null : in.densify("--method " + method);
    try (Backends.Selection sel = common.open(err)) {
      long t0 = System.nanoTime();
      RidgeModel m;
      // exact: the kernel's units (rows per step, as nke kernel counts them), then named phases
      long units = sketch ? in.count() : (long) in.count()
          * (org.nke.exact.DenseNetwork.compile(architecture, in.dim()).layerSteps() + 1);
      try (ProgressBar bar = new ProgressBar(err, "fit", units, !common.quiet)) {
        if (sketch) {
          ForkJoinPool pool = new ForkJoinPool(common.backendOptions().threads());
          try {
            RidgeFit fit = fit(sel, bar).pool(pool);
            if (subspace) {
              SketchOptions o = given != null ? options : Inputs.dimensionFor(err, architecture, in,
                  options, epsilon, ridge == null ? 0.01 : ridge);
              m = fit.subspace(PlanSpec.reference(PlanMethod.SUBSPACE, architecture, o, in.dim()),
                  in.dense(), in.sparse(), ls);
            } else {
              PlanSpec p = plans.resolve(given, PlanMethod.SKETCH, architecture, options, x.toString(),
                  new int[] {in.dim()}, () -> xs, org.nke.Sketches.SAMPLE, null);
              if (uncertainty && ls[0].length > 1) {
                throw new ParameterException(spec.commandLine(), "--uncertainty takes one label "
                    + "column; " + labels + " has several (fit without --uncertainty)");
              }
              m = fit.uncertainty(uncertainty).sketch(p, xs, ls);
            }
          } finally {
            pool.shutdown();
          }
        } else {
          CommonOptions.sayEstimate(err, "exact " + kind + " kernel of " + xs.length + " x "
              + xs.length + " points", Kernels.of(architecture).withPrecision(common.precision(
              sel.backend())).estimate(sel.backend(), xs, null, k));
          m = fit(sel, bar).exact(architecture, k, xs, ls);
        }
      }
      if (in.base() != null) {
        m.info().put(Inputs.INDEX_BASE, in.base().name().toLowerCase(Locale.ROOT));
      }
      save(err, m, t0, sel, in.count());
    }
    return 0;
  }

  /** Exact CNTK or CNTK sketch ridge on images. */
  private int images(PrintWriter err, Architecture architecture, Kind k, SketchOptions options)
      throws IOException {
    ImageBatch images = ImageInputs.read(x);
    double[] batch = labels != null ? null : ImageInputs.batchLabels(err, x);
    double[][] ls = labels != null ? Inputs.labelColumns(labels, x, images.count(), "image")
        : batch != null ? RidgeFit.column(batch) : null;
    if (ls == null) {
      throw new ParameterException(spec.commandLine(), "--labels is required for images other than "
          + "CIFAR-10 batches (an IDX image file has its labels in a separate -labels-idx1-ubyte file)");
    }
    ChannelStats stats = given != null ? given.standardization()
        : standardize ? images.channelStats() : null;
    if (stats != null) {
      images = images.standardized(stats);
    }
    images = ImageInputs.padded(err, images, padTo);
    ImageBatch standardized = images;
    try (Backends.Selection sel = common.open(err)) {
      long t0 = System.nanoTime();
      RidgeModel m;
      long units = options != null ? images.count()
          : ExactCntk.progressUnits(images.count(), images.count(), true);
      try (ProgressBar bar = new ProgressBar(err, "fit", units, !common.quiet)) {
        if (options != null) {
          ForkJoinPool pool = new ForkJoinPool(common.backendOptions().threads());
          try {
            PlanSpec p = plans.resolve(given, PlanMethod.SKETCH, architecture, options, x.toString(),
                new int[] {images.height(), images.width(), images.channels()},
                () -> standardized.slice(0, Math.min(standardized.count(),
                    org.nke.sketch.CntkSketch.SAMPLE_IMAGES)).toPoints(),
                org.nke.sketch.CntkSketch.SAMPLE_IMAGES, stats);
            if (uncertainty && ls[0].length > 1) {
              throw new ParameterException(spec.commandLine(), "--uncertainty takes one label "
                  + "column; " + labels + " has several (fit without --uncertainty)");
            }
            m = fit(sel, bar).pool(pool).uncertainty(uncertainty).sketch(p, images, ls);
          } finally {
            pool.shutdown();
          }
        } else {
          CommonOptions.sayEstimate(err, "exact " + kind + " CNTK of " + images.count() + " x "
              + images.count() + " images", Kernels.of(architecture).withPrecision(common.precision(
              sel.backend())).estimate(sel.backend(), images, null, k));
          m = fit(sel, bar).exact(architecture, k, images, ls);
        }
      }
      if (stats != null && m instanceof ExactImagesModel) {
        // a feature model keeps its statistics in its plan
        m.info().put(ModelFile.STANDARDIZE, stats.format());
      }
      if (padTo != null) {
        m.info().put(ImageInputs.PAD_TO, padTo.toString());
      }
      save(err, m, t0, sel, images.count());
    }
    return 0;
  }

  /** The fit of this command's ridge, backend and precision, reporting to {@code bar}. */
  private RidgeFit fit(Backends.Selection sel, ProgressBar bar) {
    return RidgeFit.on(sel.backend()).precision(common.precision(sel.backend())).progress(bar)
        .ridge(ridge);
  }

  private void save(PrintWriter err, RidgeModel m, long t0, Backends.Selection sel, int count)
      throws IOException {
    double seconds = (System.nanoTime() - t0) / 1e9;
    m.info().put("fit_seconds", String.format(Locale.ROOT, "%.2f", seconds));
    m.info().put("backend", sel.backend().name() + " (" + sel.backend().device() + ")");
    try (AtomicOutput output = new AtomicOutput()) {
      try (OutputStream os = output.open(model)) {
        ModelFile.write(m, os);
      }
      output.commit();
    }
    err.println(String.format(Locale.ROOT, "nke: %s %s ridge on %d points (%s), ridge %.1e, %.2f s",
        m.method(), m.kernel(), count, m.targets().classification()
            ? m.targets().classes().length + " classes" : m.targets().multiOutput()
            ? "regression, " + m.targets().columns() + " outputs" : "regression", m.ridge(), seconds));
    if (m instanceof FeatureModel f) {
      err.println("nke:   plan = " + f.plan().describe());
    }
    for (Map.Entry<String, String> e : m.info().entrySet()) {
      err.println("nke:   " + e.getKey() + " = " + e.getValue());
    }
    err.println("nke: wrote " + model);
    if (m instanceof FeatureModel f && plans.savePlan != null) {
      plans.save(err, f.plan(), false);
    }
  }
}
