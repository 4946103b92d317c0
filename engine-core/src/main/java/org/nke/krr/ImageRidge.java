package org.nke.krr;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import org.nke.Kernels;
import org.nke.Sketches;
import org.nke.arch.Architecture;
import org.nke.error.InvalidInputException;
import org.nke.exact.ExactKernel.Kind;
import org.nke.io.ImageBatch;
import org.nke.sketch.CntkSketch;
import org.nke.sketch.PlanSpec;
import org.nke.sketch.SketchOptions;
import org.nke.spi.Backend;
import org.nke.spi.Precision;
import org.nke.spi.Progress;

/**
 * Kernel ridge regression and classification on images with a convolutional architecture: on the
 * exact CNTK ({@link ExactRidge}, ridge by leave-one-out as in {@link KernelRidge}) or on CNTK sketch
 * features ({@link KernelRidge#ridgeOnFeatures}). The model records the image shape in its info
 * ({@value #SHAPE} = {@code "H,W,C"}); its points are the training images (exact) or the images the
 * sketch plan was built from (sketch), flattened in HWC order.
 */
public final class ImageRidge {
  /** Info key of the image shape. */
  public static final String SHAPE = "image_shape";

  private ImageRidge() {
  }

  /**
   * @param model a model
   * @return whether it was fitted on images
   */
  public static boolean isImageModel(RidgeModel model) {
    return model.info().containsKey(SHAPE);
  }

  /**
   * @param model an image model
   * @return its image shape {@code {H, W, C}}
   */
  public static int[] shape(RidgeModel model) {
    return shape(model.info());
  }

  /**
   * @param info a model's info, with {@value #SHAPE}
   * @return the image shape {@code {H, W, C}}
   */
  static int[] shape(Map<String, String> info) {
    String[] p = info.get(SHAPE).split(",");
    return new int[] {Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()),
        Integer.parseInt(p[2].trim())};
  }

  private static Map<String, String> info(ImageBatch x) {
    Map<String, String> info = new LinkedHashMap<>();
    info.put(SHAPE, x.height() + "," + x.width() + "," + x.channels());
    return info;
  }

  private static void checkLabels(ImageBatch x, double[] labels) {
    if (labels.length != x.count()) {
      throw new InvalidInputException("labels must have one value per image: " + x.count()
          + " images, got " + labels.length + " labels");
    }
  }

  /**
   * Fits on the exact CNTK.
   *
   * @param arch a convolutional architecture
   * @param kind {@link Kind#NNGP} or {@link Kind#NTK}
   * @param x training images, not modified
   * @param labels one label per image
   * @param ridge relative ridge, or {@code null} to choose it by leave-one-out
   * @param backend an open backend
   * @param precision kernel precision
   * @param progress progress sink ({@code org.nke.cntk.ExactCntk#progressUnits} units)
   * @return the model
   */
  public static RidgeModel fitExact(Architecture arch, Kind kind, ImageBatch x, double[] labels,
      Double ridge, Backend backend, Precision precision, Progress progress) {
    checkLabels(x, labels);
    Targets targets = Targets.of(labels);
    var pair = Kernels.of(arch).withPrecision(precision).withProgress(progress)
        .compute(backend, x, null, kind);
    double[][] k = (kind == Kind.NTK ? pair.ntk() : pair.nngp()).toArray();
    Map<String, String> info = info(x);
    if (ridge == null) {
      progress.phase("choosing the ridge (leave-one-out)");
    }
    double lambda = ridge != null ? ridge : KernelRidge.chooseByLoo(k, labels, targets, info);
    if (ridge != null) {
      LooSelection.calibrateAt(k, labels, targets, ridge, info);
    }
    progress.phase("solving (Cholesky of " + k.length + " x " + k.length + ")");
    double[][] alpha = ExactRidge.fit(k, targets.y(), lambda);
    double train = targets.metric(targets.decode(ExactRidge.scores(k, alpha)), labels);
    info.put("train_" + targets.metricName(), String.format(Locale.ROOT, "%.6g", train));
    info.put("train_points", Integer.toString(x.count()));
    return new RidgeModel("exact", arch.describe(), kind.name().toLowerCase(Locale.ROOT),
        x.imageSize(), lambda, LooSelection.calibrated(targets, info), x.toPoints(), alpha, null, info);
  }

  /**
   * Fits on CNTK sketch features.
   *
   * @param arch a convolutional architecture
   * @param options sketch budget, seed, kind, degree
   * @param x training images, not modified
   * @param labels one label per image
   * @param ridge relative ridge, or {@code null} to choose it
   * @param backend an open backend
   * @param pool threads for the {@code O(n p²)} accumulation, or {@code null}
   * @param progress progress sink (units: images)
   * @return the model
   */
  public static RidgeModel fitSketch(Architecture arch, SketchOptions options, ImageBatch x,
      double[] labels, Double ridge, Backend backend, ForkJoinPool pool, Progress progress) {
    return fitSketch(PlanSpec.reference("sketch", arch, options, x.height(), x.width(),
        x.channels()), x, labels, ridge, backend, pool, progress);
  }

  /**
   * Fits on the features of a given CNTK sketch plan (data-free, or adapted to a sample and kept in
   * the model). The images are taken as they are: a plan's standardization, if any, is recorded in
   * the model for prediction and must already have been applied to {@code x}.
   *
   * @param spec a CNTK sketch plan of the images' shape
   * @param x training images, not modified
   * @param labels one label per image
   * @param ridge relative ridge, or {@code null} to choose it
   * @param backend an open backend
   * @param pool threads for the {@code O(n p²)} accumulation, or {@code null}
   * @param progress progress sink (units: images)
   * @return the model, holding {@code spec}
   */
  public static RidgeModel fitSketch(PlanSpec spec, ImageBatch x, double[] labels, Double ridge,
      Backend backend, ForkJoinPool pool, Progress progress) {
    spec.checkShape("the images", x.height(), x.width(), x.channels());
    checkLabels(x, labels);
    Targets targets = Targets.of(labels);
    CntkSketch plan = spec.cntkPlan();
    Map<String, String> info = info(x);
    double[] lambda = new double[1];
    double[][] w = KernelRidge.ridgeOnFeatures(x.count(), plan.outputDim(), (from, to) ->
        Sketches.features(backend, plan, x.slice(from, to), progress), labels, targets, ridge, pool,
        info, lambda);
    info.put("train_points", Integer.toString(x.count()));
    return new RidgeModel("sketch", spec.architecture(), spec.kind(), x.imageSize(), lambda[0],
        LooSelection.calibrated(targets, info), new double[0][], w, spec, info);
  }

  /**
   * Scores of new images.
   *
   * @param model an image model
   * @param x images of the model's shape, not modified
   * @param backend an open backend
   * @param precision kernel precision (exact models)
   * @param progress progress sink
   * @return scores, one row per image
   * @throws InvalidInputException if the shapes differ
   */
  public static double[][] scores(RidgeModel model, ImageBatch x, Backend backend,
      Precision precision, Progress progress) {
    int[] s = shape(model);
    if (x.height() != s[0] || x.width() != s[1] || x.channels() != s[2]) {
      throw new InvalidInputException("images must have the shape of the model's training images (H, "
          + "W, C) = (" + s[0] + ", " + s[1] + ", " + s[2] + "), got " + x.shapeString());
    }
    Architecture arch = Architecture.parse(model.architecture());
    if (!model.isSketch()) {
      ImageBatch points = ImageBatch.ofPoints(model.points(), s[0], s[1], s[2]);
      Kind kind = Kind.parse(model.kernel());
      var k = Kernels.of(arch).withPrecision(precision).withProgress(progress)
          .compute(backend, x, points, kind);
      return ExactRidge.scores((kind == Kind.NTK ? k.ntk() : k.nngp()).toArray(), model.weights());
    }
    CntkSketch plan = model.plan().cntkPlan();
    double[][] out = new double[x.count()][];
    for (int start = 0; start < x.count(); start += KernelRidge.BLOCK) {
      int end = Math.min(x.count(), start + KernelRidge.BLOCK);
      double[][] f = Sketches.features(backend, plan, x.slice(start, end), progress);
      System.arraycopy(FeatureRidge.scores(f, model.weights()), 0, out, start, end - start);
    }
    return out;
  }
}
