package org.nke.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import org.nke.io.AtomicOutput;
import org.nke.io.MatrixWriter;
import org.nke.krr.RidgeModel;
import org.nke.krr.SoftmaxCalibration;
import org.nke.krr.Targets;
import org.nke.spi.Precision;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * What {@code nke predict} writes besides class labels: class probabilities ({@code --proba}, the
 * softmax of the ridge scores at the model's LOO-fitted temperature, or with {@code --time} of the
 * ensemble's mean scores at each time, at the same temperature) with the test log-loss, and the
 * {@code n × k} values of a multi-output regression model with its MSE over all entries.
 */
final class ProbaOutput {
  private ProbaOutput() {
  }

  /**
   * Usage checks of {@code --proba} before any work.
   *
   * @param spec the command, for errors
   * @param m the model
   * @param proba the {@code --proba} file, or {@code null}
   * @param modelFile the model's path, for messages
   */
  static void check(CommandSpec spec, RidgeModel m, Path proba, Path modelFile) {
    if (proba == null) {
      return;
    }
    if (!m.targets().classification()) {
      throw new ParameterException(spec.commandLine(), "--proba needs a classification model; "
          + modelFile + " is a regression model (its predictions are values, not classes)");
    }
    if (Double.isNaN(m.targets().temperature())) {
      throw new ParameterException(spec.commandLine(), "--proba needs the softmax temperature that "
          + "nke fit chooses by leave-one-out; " + modelFile + " has none (fitted by an older nke or "
          + "in a distributed fit): refit it with nke fit");
    }
  }

  /**
   * Writes the probabilities when asked for (the model was checked by {@link #check}), with the test
   * log-loss when labels are given.
   *
   * @param err messages
   * @param m a classification model
   * @param s its scores of the test points
   * @param truth the test labels, or {@code null}
   * @param proba the {@code --proba} file, or {@code null}
   * @throws IOException on write errors
   */
  static void probabilities(PrintWriter err, RidgeModel m, double[][] s, double[] truth, Path proba)
      throws IOException {
    Targets t = m.targets();
    if (proba == null) {
      return;
    }
    double[][] p = t.probabilities(s);
    write(proba, p);
    err.println(String.format(Locale.ROOT, "nke: wrote %s (class probabilities, %d x %d, "
        + "softmax of the scores at temperature %.4g)", proba, p.length, p[0].length,
        t.temperature()));
    if (truth != null && truth.length == p.length) {
      err.println(String.format(Locale.ROOT, "nke: test log-loss = %.4f",
          SoftmaxCalibration.logLoss(p, t.classIndices(truth))));
    }
  }

  /**
   * Writes a multi-output regression model's values ({@code n × k}, or the raw scores) and reports
   * the MSE over all entries when labels are given.
   *
   * @param err messages
   * @param m a multi-output model
   * @param s its scores
   * @param truth the test labels ({@code n × k}), or {@code null}
   * @param raw whether to write the raw (centred) scores
   * @param out the output file
   * @param t0 when prediction started ({@link System#nanoTime})
   * @throws IOException on write errors
   */
  static void values(PrintWriter err, RidgeModel m, double[][] s, double[][] truth, boolean raw,
      Path out, long t0) throws IOException {
    double[][] v = raw ? s : m.targets().values(s);
    write(out, v);
    err.println(String.format(Locale.ROOT, "nke: wrote %s (%d predictions of %d outputs, %s model) "
        + "in %.2f s", out, v.length, v[0].length, m.method(), (System.nanoTime() - t0) / 1e9));
    if (truth != null) {
      err.println(String.format(Locale.ROOT, "nke: test MSE = %.4f (over all %d x %d entries)",
          Targets.mse(m.targets().values(s), truth), v.length, v[0].length));
    }
  }

  private static void write(Path target, double[][] v) throws IOException {
    try (AtomicOutput output = new AtomicOutput()) {
      try (OutputStream os = output.open(target)) {
        MatrixWriter.write(os, target, Precision.F64, v.length, v[0].length,
            (i, row) -> System.arraycopy(v[i], 0, row, 0, row.length));
      }
      output.commit();
    }
  }
}
