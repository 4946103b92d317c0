package org.nke.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.nke.Kernels;
import org.nke.arch.Architecture;
import org.nke.cntk.ExactCntk;
import org.nke.error.InvalidInputException;
import org.nke.exact.DenseNetwork;
import org.nke.exact.ExactKernel.Kind;
import org.nke.exact.KernelPair;
import org.nke.io.AtomicOutput;
import org.nke.io.InputData;
import org.nke.io.MatrixWriter;
import org.nke.ir.ChannelStats;
import org.nke.spi.Backends;
import org.nke.spi.KernelMatrix;
import org.nke.spi.Precision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code nke kernel}: the exact NNGP and/or NTK between the rows (points or images) of X and of Y;
 * the convolutional kernel (CNTK) when the architecture has Conv or pooling layers.
 */
@Command(name = "kernel", mixinStandardHelpOptions = true,
    description = {"Exact kernel matrix between the rows of X and of Y (Y defaults to X).",
        "Images (4-D .npy (n, H, W, C), CIFAR-10 .bin, IDX -ubyte[.gz]) with a Conv/pooling "
            + "architecture give the exact CNTK; with a dense architecture they are flattened."})
final class KernelCommand implements Callable<Integer>, Preflight.DerivedOutputs {
  @Spec
  CommandSpec spec;

  @Option(names = "--arch", required = true, paramLabel = "ARCH",
      description = "Architecture, e.g. \"Dense(W_std=1.5, b_std=0.1), Relu(), Dense()\".")
  String arch;

  @Option(names = "--x", required = true, paramLabel = "X",
      description = "Points (.csv, .npy (n, d); sparse .svm/.libsvm/.npz, made dense) or images "
          + "(.npy (n, H, W, C), CIFAR-10 .bin, IDX -ubyte[.gz]).")
  Path x;

  @Option(names = "--y", paramLabel = "Y", description = "Second set of points or images (default: X).")
  Path y;

  @Option(names = "--kind", defaultValue = "nngp", paramLabel = "nngp|ntk|both",
      description = "Which kernel (default: ${DEFAULT-VALUE}); both writes OUT with .nngp/.ntk before the extension.")
  String kind;

  @Option(names = "--out", required = true, paramLabel = "OUT", description = "Output .npy (default format) or .csv.")
  @Preflight.Output
  Path out;

  @Option(names = "--standardize", description = "Standardise each channel (image) or column (points) "
      + "to mean 0 and standard deviation 1, with statistics computed on X and applied to X and Y.")
  boolean standardize;

  @Option(names = "--pad-to", paramLabel = "SIDE", description = ImageInputs.PAD_TO_HELP)
  Integer padTo;

  @Mixin
  CommonOptions common = new CommonOptions();

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    Kind k;
    try {
      k = Kind.parse(kind);
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    Architecture architecture = Architecture.parse(arch);
    InputData[] read = Inputs.dense(err, x, y, "nke kernel");
    InputData xs = read[0];
    InputData ys = read[1];
    if (standardize) {
      ChannelStats stats = xs.stats();
      xs = xs.standardized(stats);
      ys = ys == null ? null : ys.standardized(stats);
      err.println("nke: standardised " + (xs.isImages() ? "each channel" : "each column") + " with the "
          + "mean and standard deviation of " + x);
    }
    if (padTo != null) {
      if (!xs.isImages() || (ys != null && !ys.isImages())) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--pad-to applies to "
            + "images, got " + (xs.isImages() ? ys : xs).describe());
      }
      xs = InputData.ofImages(ImageInputs.padded(err, xs.images(), padTo));
      ys = ys == null ? null : InputData.ofImages(ImageInputs.padded(null, ys.images(), padTo));
    }
    boolean cntk = architecture.isConvolutional();
    if (cntk && (!xs.isImages() || (ys != null && !ys.isImages()))) {
      Path which = xs.isImages() ? y : x;
      throw new InvalidInputException(which + " must hold images (a 4-D .npy (n, H, W, C), a CIFAR-10 "
          + ".bin or an IDX -ubyte file) for an architecture with Conv or pooling layers, got "
          + (xs.isImages() ? ys : xs).describe());
    }
    if (!cntk && xs.isImages()) {
      err.println("nke: " + x + " holds " + xs.describe() + "; the architecture has no Conv or "
          + "pooling layers, so each image is flattened to a vector of H*W*C = "
          + xs.images().imageSize() + " values (stax's Flatten order: h, w, c)");
    }
    String described = xs.describe();
    int rows = xs.count();
    int cols = ys == null ? rows : ys.count();
    List<Path> targets = targets(out, k);
    try (Backends.Selection sel = common.open(err)) {
      Precision p = common.precision(sel.backend());
      long t0 = System.nanoTime();
      KernelPair result;
      Kernels kernels = Kernels.of(architecture).withPrecision(p);
      String what = String.format(Locale.ROOT, "exact %s %s of %d x %d %s", kind, cntk ? "CNTK"
          : "kernel", rows, cols, xs.isImages() ? "images" : "points");
      if (cntk) {
        CommonOptions.sayEstimate(err, what, kernels.estimate(sel.backend(), xs.images(),
            ys == null ? null : ys.images(), k));
        long units = ExactCntk.progressUnits(rows, cols, ys == null);
        try (ProgressBar bar = new ProgressBar(err, "cntk", units, !common.quiet)) {
          result = kernels.withProgress(bar).withEstimate(e -> bar.message("nke: CNTK of " + described
              + ": " + e.describe() + " on " + sel.backend().device()))
              .compute(sel.backend(), xs.images(), ys == null ? null : ys.images(), k);
        }
      } else {
        double[][] xp = xs.asPoints();
        double[][] yp = ys == null ? null : ys.asPoints();
        if (yp != null && yp[0].length != xp[0].length) {
          throw new InvalidInputException(y + " must have the dimension of " + x + " (" + xp[0].length
              + " columns), got " + yp[0].length + " columns");
        }
        CommonOptions.sayEstimate(err, what, kernels.estimate(sel.backend(), xp, yp, k));
        int steps = DenseNetwork.compile(architecture, xp[0].length).layerSteps();
        try (ProgressBar bar = new ProgressBar(err, "kernel", (long) rows * (steps + 1),
            !common.quiet)) {
          result = kernels.withProgress(bar).compute(sel.backend(), xp, yp, k);
        }
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      List<KernelMatrix> mats = new ArrayList<>();
      if (result.nngp() != null) {
        mats.add(result.nngp());
      }
      if (result.ntk() != null) {
        mats.add(result.ntk());
      }
      try (AtomicOutput output = new AtomicOutput()) {
        for (int i = 0; i < mats.size(); i++) {
          KernelMatrix m = mats.get(i);
          try (OutputStream os = output.open(targets.get(i))) {
            MatrixWriter.write(os, targets.get(i), m.precision(), m.rows(), m.cols(), m::copyRow);
          }
        }
        output.commit();
      }
      for (int i = 0; i < mats.size(); i++) {
        err.println(String.format(Locale.ROOT, "nke: wrote %s (%d x %d, %s)", targets.get(i),
            mats.get(i).rows(), mats.get(i).cols(), mats.get(i).precision().dtype()));
      }
      err.println(String.format(Locale.ROOT, "nke: %s %s of %d x %d %s in %.2f s on %s (%s)",
          kind, cntk ? "CNTK" : "kernel", rows, cols, xs.isImages() ? "images" : "points", seconds,
          result.backend(), sel.backend().device()));
      if (result.errorBound() > 1e-9) {
        err.println(String.format(Locale.ROOT, "nke: warning: numerical duals are accurate to about "
            + "%.1e relative here (the Hermite series reached its maximum degree: it converges "
            + "slowly for an activation with a kink, e.g. Selu or Elu at 0, or for very large "
            + "pre-activation variances); closed-form activations are exact", result.errorBound()));
      }
    }
    return 0;
  }

  @Override
  public List<Path> outputFiles(Path declared) {
    try {
      return targets(declared, Kind.parse(kind));
    } catch (IllegalArgumentException e) {
      return List.of(declared); // a bad --kind is reported by call()
    }
  }

  /** {@code K.npy} → {@code [K.npy]}, or for both {@code [K.nngp.npy, K.ntk.npy]}. */
  static List<Path> targets(Path out, Kind kind) {
    if (kind != Kind.BOTH) {
      return List.of(out);
    }
    String name = out.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String stem = dot > 0 ? name.substring(0, dot) : name;
    String ext = dot > 0 ? name.substring(dot) : ".npy";
    Path dir = out.toAbsolutePath().getParent();
    return List.of(dir.resolve(stem + ".nngp" + ext), dir.resolve(stem + ".ntk" + ext));
  }
}
