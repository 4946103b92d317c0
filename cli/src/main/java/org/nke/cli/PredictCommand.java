package org.nke.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.nke.cntk.ExactCntk;
import org.nke.io.AtomicOutput;
import org.nke.io.MatrixWriter;
import org.nke.io.OutputPaths;
import org.nke.ir.ChannelStats;
import org.nke.ir.ImageBatch;
import org.nke.krr.ExactImagesModel;
import org.nke.krr.FeatureModel;
import org.nke.krr.ImageModel;
import org.nke.krr.Inference;
import org.nke.krr.ModelFile;
import org.nke.krr.PointsModel;
import org.nke.krr.RidgeModel;
import org.nke.krr.SubspaceModel;
import org.nke.spi.Backends;
import org.nke.spi.Precision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code nke predict}: predictions of a fitted model, with accuracy or MSE when labels are given. */
@Command(name = "predict", mixinStandardHelpOptions = true,
    description = "Predictions of a model from nke fit (class labels or regression values, one per row).")
final class PredictCommand implements Callable<Integer>, Preflight.DerivedOutputs {
  @Spec
  CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "MODEL", description = "Model file from nke fit.")
  Path model;

  @Option(names = "--x", required = true, paramLabel = "X", description = "Points.")
  Path x;

  @Option(names = "--out", required = true, paramLabel = "OUT", description = "Predictions (.npy or .csv).")
  @Preflight.Output
  Path out;

  @Option(names = "--labels", paramLabel = "L", description = "True labels: report accuracy (and "
      + "with --proba the log-loss) or MSE (over all entries for k outputs) (default: the labels a "
      + "libsvm file or CIFAR-10 batch carries).")
  Path labels;

  @Option(names = "--scores", description = "Write the raw scores (one column per class, float64) "
      + "instead of labels (integers for integer classes: .npy int64, .csv without a decimal point).")
  boolean scores;

  @Option(names = "--time", split = ",", paramLabel = "T", description = "Exact models and sketch "
      + "models fitted with --uncertainty: predict the infinite ensemble of networks trained by "
      + "gradient descent for time T (default inf: the ridge predictor; units as neural-tangents': "
      + "learning rate 1 on the loss |f - y|^2 / (2 n_y), n_y training label entries); several "
      + "times, comma-separated, write one file each, with .t<T> before the extension.")
  List<String> time;

  @Preflight.Output
  @Option(names = "--covariance", paramLabel = "COV", description = "Exact models (and sketch "
      + "models fitted with --uncertainty): also write the test x test posterior covariance "
      + "(float64) of that ensemble.")
  Path covariance;

  @Preflight.Output
  @Option(names = "--variance", paramLabel = "VAR", description = "Exact models (and sketch "
      + "models fitted with --uncertainty): also write each test point's posterior variance "
      + "(float64, one per row; no test x test matrix is formed).")
  Path variance;

  @Preflight.Output
  @Option(names = "--proba", paramLabel = "P", description = "Classification models: also write "
      + "class probabilities (one column per class in the model's class order, rows summing to 1): "
      + "softmax(scores / T), T chosen by nke fit to minimise the leave-one-out log-loss; with "
      + "--time, of each time's mean scores at the same T (one file per time, as --out).")
  Path proba;

  /** Labels of a multi-output model's test points ({@code n × k}), or {@code null}. */
  private double[][] truthRows;

  @Option(names = "--pad-to", paramLabel = "SIDE", description = "Images: zero-pad each image, "
      + "centred, to SIDE x SIDE (default: as the model's training images, from its pad_to).")
  Integer padTo;

  @Mixin
  CommonOptions common = new CommonOptions();

  /** The training times asked for, or {@code null} for the plain ridge predictor. */
  private double[] times;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    times = parseTimes();
    RidgeModel m = ModelFile.read(model);
    ProbaOutput.check(spec, m, proba, model);
    if (times != null && m instanceof FeatureModel f) {
      if (covariance == null && variance == null
          && Arrays.stream(times).allMatch(Double::isInfinite) && times.length == 1) {
        times = null; // t = inf is a feature model's own ridge predictor
      } else if (f.posterior() == null) {
        List<String> asked = new java.util.ArrayList<>();
        if (time != null) {
          asked.add("--time " + String.join(",", time));
        }
        if (covariance != null) {
          asked.add("--covariance");
        }
        if (variance != null) {
          asked.add("--variance");
        }
        boolean sketch = !(m instanceof SubspaceModel);
        throw new ParameterException(spec.commandLine(), String.join(" and ", asked) + " need"
            + (asked.size() == 1 && time == null ? "s" : "") + " an exact model (nke fit --method "
            + "exact)" + (sketch ? " or a sketch model fitted with --uncertainty" : "") + "; "
            + model + " is a " + m.method() + " model" + (sketch ? " fitted without --uncertainty, "
            + "which predicts at t = inf only: refit it with nke fit --method sketch --uncertainty"
            : ", which predicts at t = inf only"));
      }
    }
    if (m instanceof ImageModel im) {
      return images(err, im);
    }
    PointsModel pm = (PointsModel) m;
    Inputs.Loaded in = Inputs.readFor(err, x, m.inputDim(), m.info());
    double[] truth = truth(m, in.count(), "point", in.labels());
    double[][] xs = m instanceof SubspaceModel ? null : in.densify("--method " + m.method());
    try (Backends.Selection sel = common.open(err)) {
      long t0 = System.nanoTime();
      double[][] s;
      try (ProgressBar bar = new ProgressBar(err, "predict", in.count() * 8L, !common.quiet)) {
        if (m instanceof SubspaceModel sub) {
          // sparse rows stay sparse: the embedding reads them in input-sparsity time
          java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(
              common.backendOptions().threads());
          try {
            s = sub.scores(in.dense(), in.sparse(), pool, bar);
          } finally {
            pool.shutdown();
          }
        } else if (times != null) {
          writeEnsemble(err, m, pm.predict(xs, times, uncertainty(), sel.backend(),
              common.precision(sel.backend()), bar), truth, t0);
          return 0;
        } else {
          s = pm.scores(xs, sel.backend(), common.precision(sel.backend()), bar);
        }
      }
      write(err, m, s, truth, t0, out, proba);
    }
    return 0;
  }

  /**
   * The test labels of {@code --labels} (one row per point or image; several columns for a
   * multi-output model, kept in {@link #truthRows}), or those the input carries.
   *
   * @return one label per row, {@code null} for several columns or none
   */
  private double[] truth(RidgeModel m, int count, String unit, double[] carried) {
    if (labels == null) {
      return carried;
    }
    truthRows = Inputs.labelColumns(labels, x, count, unit);
    double[] truth = Inputs.single(truthRows);
    if ((truth == null) != m.targets().multiOutput()) {
      int k = m.targets().classification() ? 1 : m.targets().columns();
      throw new org.nke.error.InvalidInputException(labels + " must have " + k + " column"
          + (k == 1 ? "" : "s") + " (" + model + (m.targets().classification()
              ? " is a classification model: one class label per row" : " predicts " + k
              + " output" + (k == 1 ? "" : "s")) + "), got " + truthRows[0].length);
    }
    return truth;
  }

  /** A model fitted on images (exact CNTK or CNTK sketch). */
  private int images(PrintWriter err, ImageModel m) throws IOException {
    ImageBatch images = ImageInputs.read(x);
    double[] truth = truth(m, images.count(), "image",
        labels != null ? null : ImageInputs.batchLabels(err, x));
    ChannelStats stats = m.standardization();
    if (stats != null) {
      images = images.standardized(stats);
    }
    String trained = m.info().get(ImageInputs.PAD_TO);
    if (padTo != null && trained != null && padTo != Integer.parseInt(trained)) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--pad-to must be the "
          + "model's " + trained + " (its training images were padded to that), got " + padTo);
    }
    images = ImageInputs.padded(err, images, padTo != null ? padTo
        : trained != null ? Integer.valueOf(trained) : null);
    try (Backends.Selection sel = common.open(err)) {
      long t0 = System.nanoTime();
      double[][] s;
      long units = m instanceof ExactImagesModel e
          ? ExactCntk.progressUnits(images.count(), e.images().count(), false) : images.count();
      try (ProgressBar bar = new ProgressBar(err, "predict", units, !common.quiet)) {
        if (times != null) {
          writeEnsemble(err, m, m.predict(images, times, uncertainty(), sel.backend(),
              common.precision(sel.backend()), bar), truth, t0);
          return 0;
        }
        s = m.scores(images, sel.backend(), common.precision(sel.backend()), bar);
      }
      write(err, m, s, truth, t0, out, proba);
    }
    return 0;
  }

  /**
   * @return the times of {@code --time} ({@code inf} allowed; {@code [inf]} when only an uncertainty
   *     is asked for), or {@code null} for the plain ridge predictor
   */
  private double[] parseTimes() {
    if (covariance != null && variance != null) {
      throw new ParameterException(spec.commandLine(), "give --covariance or --variance, not both "
          + "(the variance is the covariance's diagonal)");
    }
    if (time == null) {
      return covariance != null || variance != null ? new double[] {Double.POSITIVE_INFINITY} : null;
    }
    double[] t = times(time);
    for (int i = 0; i < t.length; i++) {
      if (!(t[i] >= 0)) {
        throw new ParameterException(spec.commandLine(), "--time must be >= 0 or inf, got "
            + time.get(i));
      }
      for (int j = 0; j < i; j++) {
        if (t[j] == t[i]) {
          throw new ParameterException(spec.commandLine(), "--time lists t = " + label(t[i])
              + " twice (" + time.get(j) + ", " + time.get(i) + ")");
        }
      }
    }
    if (t.length > 1) {
      for (Path p : new Path[] {out, covariance, variance}) {
        if (p != null && org.nke.io.OutputPaths.isStandardOutput(p)) {
          throw new ParameterException(spec.commandLine(), "several --time values write one file "
              + "each (name.t<T>.ext): give file names, not standard output (-)");
        }
      }
    }
    return t;
  }

  /** The values of {@code --time} ({@code NaN} for what is not a number; {@code -0} is 0). */
  private static double[] times(List<String> values) {
    double[] t = new double[values.size()];
    for (int i = 0; i < t.length; i++) {
      try {
        t[i] = org.nke.io.TextNumbers.parse(values.get(i)) + 0.0;
      } catch (NumberFormatException e) {
        t[i] = Double.NaN;
      }
    }
    return t;
  }

  /** {@code 10} → {@code "10"}, {@code 0.5} → {@code "0.5"}, {@code ∞} → {@code "inf"}. */
  static String label(double t) {
    if (Double.isInfinite(t)) {
      return "inf";
    }
    return new java.math.BigDecimal(Double.toString(t)).stripTrailingZeros().toPlainString();
  }

  private Inference.Uncertainty uncertainty() {
    return covariance != null ? Inference.Uncertainty.COVARIANCE
        : variance != null ? Inference.Uncertainty.VARIANCE : Inference.Uncertainty.NONE;
  }

  @Override
  public List<Path> outputFiles(Path declared) {
    if (time == null || time.size() < 2 || OutputPaths.isStandardOutput(declared)) {
      return List.of(declared);
    }
    // a repeated time is reported by call(), by its own message
    java.util.Set<Path> files = new java.util.LinkedHashSet<>();
    for (double t : times(time)) {
      files.add(timed(declared, Double.isNaN(t) ? "nan" : label(t)));
    }
    return List.copyOf(files);
  }

  /** {@code mean.npy} at time {@code 10} → {@code mean.t10.npy}. */
  static Path timed(Path file, String t) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String stem = dot > 0 ? name.substring(0, dot) : name;
    String ext = dot > 0 ? name.substring(dot) : "";
    return file.resolveSibling(stem + ".t" + t + ext);
  }

  /** Writes each time's mean (as {@link #write}) and its covariance or variance. */
  private void writeEnsemble(PrintWriter err, RidgeModel m, List<Inference.Prediction> ps,
      double[] truth, long t0) throws IOException {
    boolean several = ps.size() > 1;
    for (int k = 0; k < ps.size(); k++) {
      Inference.Prediction p = ps.get(k);
      String label = several ? label(p.time()) : null;
      err.println(String.format(Locale.ROOT, "nke: training time t = %s (%s ensemble)",
          Double.isInfinite(p.time()) ? "inf" : Double.toString(p.time()), m.kernel()));
      write(err, m, p.scores(), truth, t0, label == null ? out : timed(out, label),
          label == null || proba == null ? proba : timed(proba, label));
      Path extra = covariance != null ? covariance : variance;
      if (extra != null) {
        Path target = label == null ? extra : timed(extra, label);
        double[][] c = p.covariance();
        double[] v = p.variance();
        int rows = c != null ? c.length : v.length;
        try (AtomicOutput output = new AtomicOutput()) {
          try (OutputStream os = output.open(target)) {
            MatrixWriter.write(os, target, Precision.F64, rows, c != null ? rows : 1,
                (i, row) -> {
                  if (c != null) {
                    System.arraycopy(c[i], 0, row, 0, rows);
                  } else {
                    row[0] = v[i];
                  }
                });
          }
          output.commit();
        }
        err.println("nke: wrote " + target + " (" + (c != null ? "posterior covariance, " + rows
            + " x " + rows : "posterior variance, " + rows + " x 1") + ")");
      }
    }
  }

  /** Writes the predictions of scores {@code s} to {@code out}, and their probabilities to {@code p}. */
  private void write(PrintWriter err, RidgeModel m, double[][] s, double[] truth, long t0, Path out,
      Path p) throws IOException {
    if (m.targets().multiOutput()) {
      ProbaOutput.values(err, m, s, truthRows, scores, out, t0);
      return;
    }
    double[] predicted = m.targets().decode(s);
    int n = s.length;
    try (AtomicOutput output = new AtomicOutput()) {
      try (OutputStream os = output.open(out)) {
        if (scores) {
          MatrixWriter.write(os, out, Precision.F64, n, s[0].length,
              (i, row) -> System.arraycopy(s[i], 0, row, 0, row.length));
        } else if (m.targets().integerClasses()) {
          MatrixWriter.writeIntegers(os, out, Arrays.stream(predicted).mapToLong(v -> (long) v).toArray());
        } else {
          MatrixWriter.write(os, out, Precision.F64, n, 1, (i, row) -> row[0] = predicted[i]);
        }
      }
      output.commit();
    }
    err.println(String.format(Locale.ROOT, "nke: wrote %s (%d predictions, %s model) in %.2f s",
        out, n, m.method(), (System.nanoTime() - t0) / 1e9));
    if (truth != null) {
      err.println(String.format(Locale.ROOT, "nke: test %s = %.4f", m.targets().metricName(),
          m.targets().metric(predicted, truth)));
    }
    ProbaOutput.probabilities(err, m, s, truth, p);
  }
}
