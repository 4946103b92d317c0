package org.nke.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;
import org.nke.Kernels;
import org.nke.arch.Architecture;
import org.nke.bench.DemoData;
import org.nke.bench.report.Charts;
import org.nke.bench.report.LineChart;
import org.nke.exact.ExactKernel.Kind;
import org.nke.io.AtomicOutput;
import org.nke.krr.ExactRidge;
import org.nke.krr.RidgeFit;
import org.nke.krr.RidgeModel;
import org.nke.krr.SketchModel;
import org.nke.krr.Targets;
import org.nke.sketch.PlanMethod;
import org.nke.sketch.PlanSpec;
import org.nke.sketch.SketchOptions;
import org.nke.spi.Backends;
import org.nke.spi.KernelMatrix;
import org.nke.spi.Precision;
import org.nke.spi.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code nke demo}: exact NTK against NTK sketches of growing size on the bundled Fashion-MNIST subset
 * — test accuracy of kernel ridge classification, Gram error, time — as a table and a PNG plot.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Exact NTK vs NTK sketches on bundled Fashion-MNIST images: accuracy, Gram error, "
        + "time; writes nke-demo.md and nke-demo.png.")
final class DemoCommand implements Callable<Integer> {
  /** The demo network: two GeLU hidden layers. */
  static final String ARCH = "Dense(W_std=1.5, b_std=0.1), Gelu(), Dense(W_std=1.5, b_std=0.1), "
      + "Gelu(), Dense(W_std=1.5)";
  /** Points of the training set used to measure the Gram error. */
  static final int ERROR_POINTS = 1000;

  @Spec
  CommandSpec spec;

  @Option(names = "--dims", split = ",", defaultValue = "256,1024,4096", paramLabel = "M,M,...",
      description = "Sketch budgets (default: ${DEFAULT-VALUE}).")
  int[] dims;

  @Option(names = "--out-dir", defaultValue = ".", paramLabel = "DIR",
      description = "Where to write nke-demo.md and nke-demo.png (default: current directory).")
  Path outDir;

  @Mixin
  CommonOptions common = new CommonOptions();

  /** One row of the result table. */
  record Row(String method, int features, double seconds, double gramError, double accuracy) {
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    for (int m : dims) {
      if (m < 64 || m % 2 != 0) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
            "--dims: each sketch dimension must be even and at least 64, got " + m);
      }
    }
    DemoData data = DemoData.load();
    Architecture arch = Architecture.parse(ARCH);
    out.println("nke demo: kernel ridge classification of Fashion-MNIST (" + data.trainX().length
        + " training / " + data.testX().length + " test images, 784 pixels), NTK of");
    out.println("  " + ARCH);
    List<Row> rows = new ArrayList<>();
    try (Backends.Selection sel = common.open(err);
        ProgressBar bar = new ProgressBar(err, "demo", 2 + dims.length, !common.quiet)) {
      if (sel.backend().name().equals("cpu")) {
        out.println("  running on the CPU (" + sel.backend().device() + "); no GPU backend is available here");
      } else {
        out.println("  running on " + sel.backend().name() + " (" + sel.backend().device() + ")");
      }
      Precision p = Precision.F64;
      long t0 = System.nanoTime();
      RidgeModel chooser = RidgeFit.on(sel.backend()).precision(p).exact(arch, Kind.NTK,
          subsetForRidge(data), RidgeFit.column(subsetLabels(data)));
      double ridge = chooser.ridge();
      out.println(String.format(Locale.ROOT, "  ridge %.0e (relative to the mean kernel diagonal), chosen "
          + "by exact leave-one-out on 1,500 training images in %.1f s; every method below uses it",
          ridge, (System.nanoTime() - t0) / 1e9));
      t0 = System.nanoTime();
      Targets targets = Targets.of(data.trainY());
      KernelMatrix ktrain = Kernels.of(arch).withPrecision(p).compute(sel.backend(), data.trainX(),
          null, Kind.NTK).ntk();
      double[][] k = ktrain.toArray();
      double[][] alpha = ExactRidge.fit(k, targets.y(), ridge);
      double[][] ktest = Kernels.of(arch).withPrecision(p).compute(sel.backend(), data.testX(),
          data.trainX(), Kind.NTK).ntk().toArray();
      double acc = targets.metric(targets.decode(ExactRidge.scores(ktest, alpha)), data.testY());
      rows.add(new Row("exact NTK", 0, (System.nanoTime() - t0) / 1e9, 0, acc));
      bar.advance(2);
      ForkJoinPool pool = new ForkJoinPool(common.backendOptions().threads());
      try {
        for (int m : dims) {
          long t1 = System.nanoTime();
          SketchModel model = RidgeFit.on(sel.backend()).pool(pool).ridge(ridge).sketch(
              PlanSpec.reference(PlanMethod.SKETCH, arch, SketchOptions.of(m, common.seed, true),
                  data.trainX()[0].length), data.trainX(), RidgeFit.column(data.trainY()));
          double[][] scores = model.scores(data.testX(), sel.backend(), p, Progress.NONE);
          double seconds = (System.nanoTime() - t1) / 1e9;
          double sacc = targets.metric(targets.decode(scores), data.testY());
          double gram = gramError(arch, m, data, k);
          rows.add(new Row("NTK sketch m=" + m, Integer.parseInt(model.info().get("features")),
              seconds, gram, sacc));
          bar.advance(1);
        }
      } finally {
        pool.shutdown();
      }
    }
    String table = table(rows);
    out.print(table);
    write(rows, table);
    out.println("wrote " + outDir.resolve("nke-demo.md") + " and " + outDir.resolve("nke-demo.png"));
    return 0;
  }

  private static double[][] subsetForRidge(DemoData d) {
    return java.util.Arrays.copyOf(d.trainX(), 1500);
  }

  private static double[] subsetLabels(DemoData d) {
    return java.util.Arrays.copyOf(d.trainY(), 1500);
  }

  /** Relative Frobenius error of the sketch's Gram matrix on the first training points. */
  private double gramError(Architecture arch, int m, DemoData data, double[][] k) {
    int n = Math.min(ERROR_POINTS, k.length);
    double[][] pts = java.util.Arrays.copyOf(data.trainX(), n);
    double[][] f = org.nke.Sketches.of(arch).withDim(m).withSeed(common.seed).withBackend("cpu")
        .features(org.nke.Sketches.of(arch).withDim(m).withSeed(common.seed).plan(data.trainX(), true),
            pts);
    double[][] exact = new double[n][];
    for (int i = 0; i < n; i++) {
      exact[i] = java.util.Arrays.copyOf(k[i], n);
    }
    return org.nke.sketch.GramError.relative(exact, f, null);
  }

  private static String table(List<Row> rows) {
    StringBuilder sb = new StringBuilder();
    sb.append("\n| method | features | kernel + fit + predict (s) | Gram rel. error | test accuracy |\n");
    sb.append("|---|---:|---:|---:|---:|\n");
    for (Row r : rows) {
      sb.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %s | %.2f%% |%n", r.method(),
          r.features() == 0 ? "—" : Integer.toString(r.features()), r.seconds(),
          r.features() == 0 ? "0 (exact)" : String.format(Locale.ROOT, "%.4f", r.gramError()),
          100 * r.accuracy()));
    }
    return sb.toString();
  }

  private void write(List<Row> rows, String table) throws IOException {
    List<Row> sketches = rows.subList(1, rows.size());
    double[] m = sketches.stream().mapToDouble(r -> dims[sketches.indexOf(r)]).toArray();
    LineChart error = Charts.chart("NTK sketch: Gram error", "sketch dimension m", "relative Frobenius error",
        true, true);
    Charts.series(error, "sketch", m, sketches.stream().mapToDouble(Row::gramError).toArray(), false);
    double[] ref = new double[m.length];
    for (int i = 0; i < m.length; i++) {
      ref[i] = sketches.get(0).gramError() * Math.sqrt(m[0] / m[i]);
    }
    Charts.series(error, "1/√m", m, ref, true);
    LineChart accuracy = Charts.chart("Test accuracy (Fashion-MNIST subset)", "sketch dimension m",
        "accuracy (%)", true, false);
    Charts.series(accuracy, "sketch", m, sketches.stream().mapToDouble(r -> 100 * r.accuracy()).toArray(),
        false);
    double[] exact = new double[m.length];
    java.util.Arrays.fill(exact, 100 * rows.get(0).accuracy());
    Charts.series(accuracy, "exact NTK", m, exact, true);
    try (AtomicOutput output = new AtomicOutput()) {
      try (OutputStream os = output.open(outDir.resolve("nke-demo.png"))) {
        Charts.writePng(List.of(error, accuracy), os);
      }
      try (OutputStream os = output.open(outDir.resolve("nke-demo.md"))) {
        os.write(("# nke demo\n\n" + ARCH + "\n" + table).getBytes(StandardCharsets.UTF_8));
      }
      output.commit();
    }
  }
}
