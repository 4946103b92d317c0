package org.nke.krr;

import java.util.ArrayList;
import java.util.List;
import org.nke.Kernels;
import org.nke.arch.Architecture;
import org.nke.error.InvalidInputException;
import org.nke.error.ResourceLimitException;
import org.nke.exact.DenseNetwork;
import org.nke.exact.ExactKernel.Kind;
import org.nke.exact.ExactKernel;
import org.nke.exact.KernelPair;
import org.nke.ir.ImageBatch;
import org.nke.ir.InputKernel;
import org.nke.spi.Backend;
import org.nke.spi.Precision;
import org.nke.spi.Progress;
import org.nke.util.Checks;

/**
 * Predictions of an exact model at finite training times, with uncertainty: the mean and the
 * covariance of the infinite ensemble of networks trained by gradient descent on the MSE loss for a
 * time {@code t} (neural-tangents' {@code gradient_descent_mse_ensemble}, learning rate 1;
 * {@code shared/spec/cli.md}, "Inference"; formulas and derivation in {@link EnsemblePosterior} and
 * {@code docs/formulas.md}). With {@code K_r = K_dd + λ·mean(diag K_dd)·I} (the model's ridge) and
 * {@code n_y} training label entries:
 *
 * <pre>{@code
 * mean       μ_t = D_td D_r⁻¹ (I − exp(−t D_r / n_y)) y        (D = K for nngp models, Θ for ntk)
 * nngp model Σ_t = K_tt − K_td K_r⁻¹ (I − exp(−2t K_r / n_y)) K_dt
 * ntk model  Σ_t = K_tt − B K_dt − K_td Bᵀ + B K_dd Bᵀ,  B = Θ_td Θ_r⁻¹ (I − exp(−t Θ_r / n_y))
 * }</pre>
 *
 * The targets {@code y} are the model's: regression labels centred by their training mean, classes
 * one-hot and centred ({@link Targets}); the scores returned are on that scale, as
 * {@link PointsModel#scores}'s, so {@code t = ∞} gives today's ridge scores and {@code t = 0} gives 0
 * (the training mean, once decoded). The covariance is the same for every output column. Sketch
 * models fitted with their posterior go to {@link SketchInference} (the same quantities with the
 * sketch kernels, in the primal).
 */
public final class Inference {
  /** What uncertainty to compute besides the mean. */
  public enum Uncertainty {
    /** The mean only. */
    NONE,
    /** The variance of each test point (the diagonal of the covariance, without forming it). */
    VARIANCE,
    /** The test × test covariance. */
    COVARIANCE
  }

  /**
   * The prediction at one training time.
   *
   * @param time the training time {@code t} ({@code +∞}: the ridge predictor)
   * @param scores the mean {@code μ_t}, one row per test point, one column per target column
   * @param variance {@code diag Σ_t}, or {@code null}
   * @param covariance {@code Σ_t}, or {@code null}
   */
  public record Prediction(double time, double[][] scores, double[] variance,
      double[][] covariance) {
  }

  /** Exact kernels of the model's network between its training data and test data. */
  private interface Pairs {
    /**
     * Kernels among the training data ({@code false, true}), between test and training data
     * ({@code true, true}) or among the test data ({@code true, false}).
     */
    KernelPair compute(boolean testSide, boolean trainSide, Kind kind);

    /** The NNGP self-kernel of each test point. */
    double[] testDiagonal();

    int tests();
  }

  private Inference() {
  }

  /**
   * {@link ExactPointsModel#predict}.
   *
   * @param model an exact model of points
   * @param x test points of the model's dimension, not modified
   * @param times training times, each {@code ≥ 0} or {@code +∞}
   * @param uncertainty what to compute besides the mean
   * @param backend an open backend
   * @param precision kernel precision
   * @param progress progress sink
   * @return one prediction per time, in the given order
   */
  static List<Prediction> predict(ExactPointsModel model, double[][] x, double[] times,
      Uncertainty uncertainty, Backend backend, Precision precision, Progress progress) {
    Checks.sameDimension("the model's training data", model.inputDim(), "X", Checks.points("X", x));
    Architecture arch = Architecture.parse(model.architecture());
    double[][] train = model.points();
    return predict(model, times, uncertainty, new Pairs() {
      @Override
      public KernelPair compute(boolean testSide, boolean trainSide, Kind kind) {
        return ExactKernel.compute(arch, testSide ? x : train, testSide && trainSide ? train : null,
            kind, backend, precision, progress);
      }

      @Override
      public double[] testDiagonal() {
        // the diagonal recursion the exact kernel takes its diagonal from: O(L) per point, where a
        // one-point kernel per test point rebuilt the activations' tables each time
        return DenseNetwork.compile(arch, x[0].length).diagonals(InputKernel.variances(x), precision)
            .output();
      }

      @Override
      public int tests() {
        return x.length;
      }
    });
  }

  /**
   * {@link ExactImagesModel#predict}.
   *
   * @param model an exact model of images
   * @param x test images of the model's shape, not modified
   * @param times training times, each {@code ≥ 0} or {@code +∞}
   * @param uncertainty what to compute besides the mean
   * @param backend an open backend
   * @param precision kernel precision
   * @param progress progress sink
   * @return one prediction per time, in the given order
   */
  static List<Prediction> predict(ExactImagesModel model, ImageBatch x, double[] times,
      Uncertainty uncertainty, Backend backend, Precision precision, Progress progress) {
    model.checkShape(x);
    Kernels kernels = Kernels.of(model.architecture()).withPrecision(precision).withProgress(progress);
    ImageBatch train = model.images();
    return predict(model, times, uncertainty, new Pairs() {
      @Override
      public KernelPair compute(boolean testSide, boolean trainSide, Kind kind) {
        return kernels.compute(backend, testSide ? x : train, testSide && trainSide ? train : null,
            kind);
      }

      @Override
      public double[] testDiagonal() {
        Kernels quiet = Kernels.of(model.architecture()).withPrecision(precision);
        double[] d = new double[x.count()];
        for (int i = 0; i < x.count(); i++) {
          d[i] = quiet.compute(backend, x.select(i), null, Kind.NNGP).nngp().get(0, 0);
        }
        return d;
      }

      @Override
      public int tests() {
        return x.count();
      }
    });
  }

  private static List<Prediction> predict(ExactModel model, double[] times,
      Uncertainty uncertainty, Pairs pairs) {
    for (double t : times) {
      if (!(t >= 0)) {
        throw new InvalidInputException("training times must be >= 0 (or inf), got " + t);
      }
    }
    int m = pairs.tests();
    if (uncertainty == Uncertainty.COVARIANCE) {
      checkCovarianceMemory(m, times.length);
    }
    boolean ntk = model.kind() == Kind.NTK;
    // an ntk model's posterior takes both kernels (the NNGP comes with the NTK's recursion)
    boolean needNngp = ntk;
    Kind kinds = ntk ? Kind.BOTH : Kind.NNGP;
    KernelPair dd = pairs.compute(false, true, kinds);
    double[][] y = model.targets().y().length == model.weights().length ? model.targets().y()
        : recoveredTargets(model, ntk ? dd.ntk().toArray() : dd.nngp().toArray());
    EnsemblePosterior posterior = ntk
        ? EnsemblePosterior.ntk(dd.ntk().toArray(), dd.nngp().toArray(), y, model.ridge())
        : EnsemblePosterior.nngp(dd.nngp().toArray(), y, model.ridge());
    dd = null;
    KernelPair td = pairs.compute(true, true, kinds);
    double[][] testTrain = (ntk ? td.ntk() : td.nngp()).toArray();
    double[][] nngpTestTrain = needNngp ? td.nngp().toArray() : ntk ? null : testTrain;
    td = null;
    double[][] testTest = uncertainty == Uncertainty.COVARIANCE
        ? pairs.compute(true, false, Kind.NNGP).nngp().toArray() : null;
    double[] testDiagonal = uncertainty == Uncertainty.VARIANCE ? pairs.testDiagonal() : null;
    List<Prediction> out = new ArrayList<>();
    for (double t : times) {
      out.add(new Prediction(t, posterior.mean(t, testTrain),
          testDiagonal == null ? null : posterior.variance(t, testTrain, nngpTestTrain, testDiagonal),
          testTest == null ? null : posterior.covariance(t, testTrain, nngpTestTrain, testTest)));
    }
    return out;
  }

  /**
   * @param m the number of test points
   * @param times the number of training times
   * @throws ResourceLimitException if the {@code m × m} test covariances would not fit in the heap
   */
  static void checkCovarianceMemory(int m, int times) {
    long covBytes = 8L * m * m * (2 + times);
    long free = Runtime.getRuntime().maxMemory() - (Runtime.getRuntime().totalMemory()
        - Runtime.getRuntime().freeMemory());
    if ((long) m * m > Integer.MAX_VALUE / 2 || covBytes > free) {
      throw new ResourceLimitException("the " + m + " x " + m + " test covariance (float64, "
          + times + " time(s))", covBytes, free, "ask for the variance of each test point "
          + "instead (--variance), which needs " + m + " numbers per time");
    }
  }

  /**
   * The training targets of a model file written before they were stored (version 1):
   * {@code y = K_r α}, exact up to the rounding of the solve that gave {@code α}.
   */
  private static double[][] recoveredTargets(ExactModel model, double[][] kdd) {
    int n = kdd.length;
    double shift = model.ridge() * ExactRidge.diagonalScale(kdd);
    double[][] alpha = model.weights();
    int c = alpha[0].length;
    double[][] y = new double[n][c];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double k = kdd[i][j] + (i == j ? shift : 0);
        for (int t = 0; t < c; t++) {
          y[i][t] += k * alpha[j][t];
        }
      }
    }
    return y;
  }
}
