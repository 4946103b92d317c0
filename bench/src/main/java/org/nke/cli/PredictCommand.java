package org.nke.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.nke.io.AtomicOutput;
import org.nke.cntk.ExactCntk;
import org.nke.io.ImageBatch;
import org.nke.io.MatrixWriter;
import org.nke.krr.ImageRidge;
import org.nke.krr.KernelRidge;
import org.nke.krr.ModelFile;
import org.nke.krr.RidgeModel;
import org.nke.krr.SubspaceRidge;
import org.nke.spi.Backends;
import org.nke.spi.Precision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code nke predict}: predictions of a fitted model, with accuracy or MSE when labels are given. */
@Command(name = "predict", mixinStandardHelpOptions = true,
    description = "Predictions of a model from nke fit (class labels or regression values, one per row).")
final class PredictCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "MODEL", description = "Model file from nke fit.")
  Path model;

  @Option(names = "--x", required = true, paramLabel = "X", description = "Points.")
  Path x;

  @Option(names = "--out", required = true, paramLabel = "OUT", description = "Predictions (.npy or .csv).")
  Path out;

  @Option(names = "--labels", paramLabel = "L", description = "True labels: report accuracy or MSE "
      + "(default: the labels a libsvm file or CIFAR-10 batch carries).")
  Path labels;

  @Option(names = "--scores", description = "Write the raw scores (one column per class, float64) "
      + "instead of labels (integers for integer classes: .npy int64, .csv without a decimal point).")
  boolean scores;

  @Option(names = "--pad-to", paramLabel = "SIDE", description = "Images: zero-pad each image, "
      + "centred, to SIDE x SIDE (default: as the model's training images, from its pad_to).")
  Integer padTo;

  @Mixin
  CommonOptions common = new CommonOptions();

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    RidgeModel m = ModelFile.read(model);
    if (ImageRidge.isImageModel(m)) {
      return images(err, m);
    }
    Inputs.Loaded in = Inputs.readFor(err, x, m.inputDim(), m.info());
    double[] truth = labels != null ? Inputs.labels(labels, x, in.count(), "point") : in.labels();
    double[][] xs = m.method().equals("subspace") ? null : in.densify("--method " + m.method());
    try (Backends.Selection sel = common.open(err)) {
      long t0 = System.nanoTime();
      double[][] s;
      try (ProgressBar bar = new ProgressBar(err, "predict", in.count() * 8L, !common.quiet)) {
        if (m.method().equals("subspace")) {
          java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(
              common.backendOptions().threads());
          try {
            s = SubspaceRidge.scores(m, in.dense(), in.sparse(), pool, bar);
          } finally {
            pool.shutdown();
          }
        } else {
          s = KernelRidge.scores(m, xs, sel.backend(), common.precision(sel.backend()), bar);
        }
      }
      write(err, m, s, truth, t0);
    }
    return 0;
  }

  /** A model fitted on images (exact CNTK or CNTK sketch). */
  private int images(PrintWriter err, RidgeModel m) throws IOException {
    ImageBatch images = ImageInputs.read(x);
    double[] truth = labels != null ? Inputs.labels(labels, x, images.count(), "image")
        : ImageInputs.batchLabels(err, x);
    String stats = m.info().get(ImageInputs.STANDARDIZE);
    if (stats != null) {
      images = images.standardized(ImageInputs.decode(stats));
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
      long units = m.isSketch() ? images.count()
          : ExactCntk.progressUnits(images.count(), m.points().length, false);
      try (ProgressBar bar = new ProgressBar(err, "predict", units, !common.quiet)) {
        s = ImageRidge.scores(m, images, sel.backend(), common.precision(sel.backend()), bar);
      }
      write(err, m, s, truth, t0);
    }
    return 0;
  }

  private void write(PrintWriter err, RidgeModel m, double[][] s, double[] truth, long t0)
      throws IOException {
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
  }
}
