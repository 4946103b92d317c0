package org.nke.krr;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipOutputStream;
import org.nke.error.InvalidInputException;
import org.nke.exact.ExactKernel.Kind;
import org.nke.io.FlatJson;
import org.nke.ir.ChannelStats;
import org.nke.ir.ImageBatch;
import org.nke.sketch.PlanFile;
import org.nke.sketch.PlanMethod;
import org.nke.sketch.PlanSpec;
import org.nke.sketch.SketchOptions;

/**
 * The model file of {@code nke fit}/{@code nke predict}: a ZIP archive ({@link FlatJson}) with
 * <ul>
 *   <li>{@code model.json}: a flat JSON object — {@code format} ("nke-model"), {@code version} (2; 3
 *   for a plan with the CNTK sketch's exact diagonal, so that an older nke refuses it by name),
 *   {@code method}, {@code architecture}, {@code kernel}, {@code input_dim}, {@code ridge},
 *   {@code task} ("classification"/"regression"), {@code classes}, {@code target_mean} (the first
 *   column's for several), {@code target_means} (multi-output regression: one mean per column),
 *   {@code temperature} (classification: the softmax temperature of class probabilities, when fitted
 *   with one), for feature
 *   models the plan ({@code sketch_dim}, {@code seed}, {@code degree}, {@code tail_tolerance},
 *   {@code plan_shape}, {@code plan_widths} ("reference" or "sample"), and for standardised images
 *   {@code standardize_mean}, {@code standardize_std}), and {@code info} (strings);</li>
 *   <li>{@code points.npy}: the training points (exact models), float64;</li>
 *   <li>{@code targets.npy}: the training targets as fitted (exact models; centred, one-hot for
 *   classes), for predictions at finite training times ({@link Inference});</li>
 *   <li>{@code sample.npy}: the rows a feature plan's widths were adapted to (when they were);</li>
 *   <li>{@code weights.npy}: {@code α} or {@code W}, float64;</li>
 *   <li>sketch models fitted with {@code --uncertainty}: the ensemble posterior
 *   ({@link SketchInference}): {@code posterior_scalars.npy} ({@code n_y}, the absolute ridge),
 *   {@code posterior_values.npy} ({@code 1 × q}), {@code posterior_vectors.npy} ({@code q × q}),
 *   {@code posterior_targets.npy} ({@code q × k}) and, for ntk, {@code posterior_cross.npy}
 *   ({@code q × p}).</li>
 * </ul>
 * Version 1 files (before plans were data-free: a sketch model's {@code points.npy} held its plan
 * sample, the tail tolerance was the default, image statistics were in {@code info.standardize})
 * still load and predict as they did.
 */
public final class ModelFile {
  private static final String FORMAT = "nke-model";
  /**
   * Model info key of image standardisation statistics ({@code ChannelStats.format}): exact image
   * models keep them there; version 1 feature models did too (now they are in the plan).
   */
  public static final String STANDARDIZE = "standardize";

  private ModelFile() {
  }

  /**
   * @param model the model
   * @param out the stream (closed here)
   * @throws IOException on write errors
   */
  public static void write(RidgeModel model, OutputStream out) throws IOException {
    try (ZipOutputStream zip = FlatJson.zip(out)) {
      FlatJson.putText(zip, "model.json", json(model));
      if (model instanceof ExactModel e) {
        FlatJson.putArray(zip, "points.npy", e.trainingPoints());
        if (model.targets().y().length == model.weights().length) {
          FlatJson.putArray(zip, "targets.npy", model.targets().y());
        }
      } else if (model instanceof FeatureModel f && f.plan().adapted()) {
        FlatJson.putArray(zip, "sample.npy", f.plan().sample());
      }
      FlatJson.putArray(zip, "weights.npy", model.weights());
      if (model instanceof FeatureModel f && f.posterior() != null) {
        SketchInference.write(zip, f.posterior());
      }
    }
  }

  private static String json(RidgeModel m) {
    StringBuilder sb = new StringBuilder("{\n");
    FlatJson.field(sb, "format", FlatJson.quote(FORMAT));
    // version 3: a plan with the CNTK sketch's exact diagonal, which a reader of version 2 would
    // silently ignore (and predict on features the weights were not fitted to)
    FlatJson.field(sb, "version", m instanceof FeatureModel f && f.plan().exactDiagonal() ? "3" : "2");
    FlatJson.field(sb, "method", FlatJson.quote(m.method()));
    FlatJson.field(sb, "architecture", FlatJson.quote(m.architecture()));
    FlatJson.field(sb, "kernel", FlatJson.quote(m.kernel()));
    FlatJson.field(sb, "input_dim", Integer.toString(m.inputDim()));
    FlatJson.field(sb, "ridge", Double.toString(m.ridge()));
    FlatJson.field(sb, "task", FlatJson.quote(m.targets().classification() ? "classification"
        : "regression"));
    FlatJson.field(sb, "classes", FlatJson.array(m.targets().classes()));
    FlatJson.field(sb, "target_mean", Double.toString(m.targets().mean()));
    if (m.targets().multiOutput()) {
      FlatJson.field(sb, "target_means", FlatJson.array(m.targets().means()));
    }
    if (!Double.isNaN(m.targets().temperature())) {
      FlatJson.field(sb, "temperature", Double.toString(m.targets().temperature()));
    }
    if (m instanceof FeatureModel f) {
      PlanFile.planFields(sb, f.plan());
    }
    sb.append("  \"info\": ").append(FlatJson.object(m.info())).append("\n}\n");
    return sb.toString();
  }

  /**
   * @param path a model file
   * @return the model
   * @throws InvalidInputException if the file is not an nke model
   */
  public static RidgeModel read(Path path) {
    Map<String, byte[]> entries = FlatJson.entries(path, "model", "write one with nke fit --model "
        + path.getFileName());
    byte[] json = entries.get("model.json");
    if (json == null || !entries.containsKey("weights.npy")) {
      throw new InvalidInputException(path + " must be an nke model file (a ZIP with model.json and "
          + "weights.npy)");
    }
    String s = new String(json, StandardCharsets.UTF_8);
    int version = FlatJson.checkFormat(s, FORMAT, 3, path);
    double[] classes = FlatJson.numbers(s, "classes", path);
    boolean classification = FlatJson.string(s, "task", path).equals("classification");
    double[][] fitted = entries.containsKey("targets.npy") ? array(entries, "targets.npy", path)
        : new double[0][0];
    // the optional fields are looked for before the free-form info object
    String head = s.contains("\"info\"") ? s.substring(0, s.indexOf("\"info\"")) : s;
    double[] means = classification ? new double[0] : FlatJson.optNumbers(head, "target_means")
        .orElse(new double[] {FlatJson.number(s, "target_mean", path)});
    Targets targets = new Targets(classification, classes, means, fitted,
        FlatJson.optNumber(head, "temperature").orElse(Double.NaN));
    Map<String, String> info = FlatJson.strings(s, "info");
    String method = FlatJson.string(s, "method", path);
    String architecture = FlatJson.string(s, "architecture", path);
    String kernel = FlatJson.string(s, "kernel", path);
    int inputDim = (int) FlatJson.number(s, "input_dim", path);
    double ridge = FlatJson.number(s, "ridge", path);
    double[][] weights = array(entries, "weights.npy", path);
    switch (method) {
      case "exact" -> {
        Kind kind = Kind.parse(kernel);
        double[][] points = array(entries, "points.npy", path);
        if (!info.containsKey(ImageRidge.SHAPE)) {
          return new ExactPointsModel(architecture, kind, ridge, targets, points, weights, info);
        }
        int[] hwc = ImageRidge.shape(info);
        return new ExactImagesModel(architecture, kind, ridge, targets,
            ImageBatch.ofPoints(points, hwc[0], hwc[1], hwc[2]), weights, info);
      }
      case "sketch" -> {
        // version 1 sketch models kept their plan sample as points.npy
        PlanSpec plan = plan(s, version, method, inputDim, info, entries, path,
            version >= 2 ? new double[0][] : array(entries, "points.npy", path));
        FeatureEnsemblePosterior posterior = SketchInference.read(entries, kernel, path);
        return plan.images() ? new CntkSketchModel(plan, ridge, targets, weights, info, posterior)
            : new SketchModel(plan, ridge, targets, weights, info, posterior);
      }
      case "subspace" -> {
        return new SubspaceModel(plan(s, version, method, inputDim, info, entries, path,
            new double[0][]), ridge, targets, weights, info);
      }
      default -> throw new InvalidInputException(path + " must hold a model of method exact, sketch "
          + "or subspace, got " + method);
    }
  }

  /** A feature model's plan: from its fields (version 2), or as version 1 rebuilt it. */
  private static PlanSpec plan(String s, int version, String method, int inputDim,
      Map<String, String> info, Map<String, byte[]> entries, Path path, double[][] v1Sample) {
    String architecture = FlatJson.string(s, "architecture", path);
    String kernel = FlatJson.string(s, "kernel", path);
    if (version >= 2) {
      return PlanFile.planFrom(s, method, architecture, kernel,
          entries.containsKey("sample.npy") ? array(entries, "sample.npy", path) : new double[0][],
          path);
    }
    SketchOptions o = new SketchOptions((int) FlatJson.number(s, "sketch_dim", path),
        (long) FlatJson.number(s, "seed", path), kernel.equals("ntk"),
        (int) FlatJson.number(s, "degree", path), SketchOptions.DEFAULT_TAIL);
    int[] shape = info.containsKey(ImageRidge.SHAPE) ? ImageRidge.shape(info) : new int[] {inputDim};
    ChannelStats stats = info.containsKey(STANDARDIZE) && shape.length == 3
        ? ChannelStats.parse(info.get(STANDARDIZE)) : null;
    return new PlanSpec(PlanMethod.parse(method), architecture, o, shape, v1Sample, stats, false);
  }

  private static double[][] array(Map<String, byte[]> entries, String name, Path path) {
    byte[] b = entries.get(name);
    if (b == null) {
      throw new InvalidInputException(path + " must hold " + name + " (an nke model file)");
    }
    return FlatJson.matrix(b, path);
  }
}
