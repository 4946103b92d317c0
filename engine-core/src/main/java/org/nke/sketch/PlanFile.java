package org.nke.sketch;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipOutputStream;
import org.nke.error.InvalidInputException;
import org.nke.io.FlatJson;
import org.nke.ir.ChannelStats;

/**
 * The plan file of {@code nke features --save-plan}/{@code --plan}: a ZIP archive
 * ({@link FlatJson}) with {@code plan.json} — {@code format} ("nke-plan"), {@code version} (1; 2 for
 * a plan with the exact diagonal, so that an older nke, which would ignore the field and make other
 * features, refuses it by name),
 * {@code method}, {@code architecture}, {@code kernel}, {@code sketch_dim}, {@code seed},
 * {@code degree}, {@code tail_tolerance}, {@code plan_shape}, {@code plan_widths} ("reference" or
 * "sample"), {@code standardize_mean}/{@code standardize_std} for standardised images and
 * {@code diagonal} ("exact", for a CNTK sketch with {@link CntkSketch#exactDiagonal()}; absent:
 * "sketched", as in every file written before it existed) — and,
 * for adapted widths, {@code sample.npy}. The same fields describe the plan inside a model file.
 */
public final class PlanFile {
  private static final String FORMAT = "nke-plan";

  private PlanFile() {
  }

  /**
   * @param plan the plan
   * @param out the stream (closed here)
   * @throws IOException on write errors
   */
  public static void write(PlanSpec plan, OutputStream out) throws IOException {
    try (ZipOutputStream zip = FlatJson.zip(out)) {
      StringBuilder sb = new StringBuilder("{\n");
      FlatJson.field(sb, "format", FlatJson.quote(FORMAT));
      FlatJson.field(sb, "version", plan.exactDiagonal() ? "2" : "1");
      FlatJson.field(sb, "method", FlatJson.quote(plan.method().toString()));
      FlatJson.field(sb, "architecture", FlatJson.quote(plan.architecture()));
      FlatJson.field(sb, "kernel", FlatJson.quote(plan.kind()));
      planFields(sb, plan);
      sb.append("  \"description\": ").append(FlatJson.quote(plan.describe())).append("\n}\n");
      FlatJson.putText(zip, "plan.json", sb.toString());
      if (plan.adapted()) {
        FlatJson.putArray(zip, "sample.npy", plan.sample());
      }
    }
  }

  /**
   * @param path a plan file
   * @return the plan
   * @throws InvalidInputException if the file is not an nke plan
   */
  public static PlanSpec read(Path path) {
    Map<String, byte[]> entries = FlatJson.entries(path, "plan", "write one with nke features "
        + "--save-plan " + path.getFileName());
    byte[] json = entries.get("plan.json");
    if (json == null) {
      throw new InvalidInputException(path + " must be an nke plan file (a ZIP with plan.json), "
          + "written by nke features --save-plan");
    }
    String s = new String(json, StandardCharsets.UTF_8);
    FlatJson.checkFormat(s, FORMAT, 2, path);
    byte[] sample = entries.get("sample.npy");
    return planFrom(s, FlatJson.string(s, "method", path), FlatJson.string(s, "architecture", path),
        FlatJson.string(s, "kernel", path),
        sample == null ? new double[0][] : FlatJson.matrix(sample, path), path);
  }

  /**
   * Writes the fields every plan shares (in plan and model files).
   *
   * @param sb the JSON being written, modified
   * @param plan the plan
   */
  public static void planFields(StringBuilder sb, PlanSpec plan) {
    SketchOptions o = plan.options();
    FlatJson.field(sb, "sketch_dim", Integer.toString(o.dim()));
    FlatJson.field(sb, "seed", Long.toString(o.seed()));
    FlatJson.field(sb, "degree", Integer.toString(o.degree()));
    FlatJson.field(sb, "tail_tolerance", Double.toString(o.tailTolerance()));
    int[] shape = plan.shape();
    double[] sh = new double[shape.length];
    for (int i = 0; i < shape.length; i++) {
      sh[i] = shape[i];
    }
    FlatJson.field(sb, "plan_shape", FlatJson.array(sh));
    FlatJson.field(sb, "plan_widths", FlatJson.quote(plan.adapted() ? "sample" : "reference"));
    ChannelStats st = plan.standardization();
    if (st != null) {
      FlatJson.field(sb, "standardize_mean", FlatJson.array(st.mean()));
      FlatJson.field(sb, "standardize_std", FlatJson.array(st.std()));
    }
    if (plan.exactDiagonal()) {
      FlatJson.field(sb, "diagonal", FlatJson.quote("exact"));
    }
  }

  /**
   * Reads the fields of {@link #planFields}.
   *
   * @param json the JSON text
   * @param method the method
   * @param architecture the architecture
   * @param kernel {@code nngp} or {@code ntk}
   * @param sample the adaptation sample (empty: reference widths)
   * @param path the file, for messages
   * @return the plan
   * @throws InvalidInputException if a field is missing or inconsistent
   */
  public static PlanSpec planFrom(String json, String method, String architecture, String kernel,
      double[][] sample, Path path) {
    try {
      SketchOptions o = new SketchOptions((int) FlatJson.number(json, "sketch_dim", path),
          (long) FlatJson.number(json, "seed", path), kernel.equals("ntk"),
          (int) FlatJson.number(json, "degree", path),
          FlatJson.number(json, "tail_tolerance", path));
      double[] sh = FlatJson.numbers(json, "plan_shape", path);
      int[] shape = new int[sh.length];
      for (int i = 0; i < sh.length; i++) {
        shape[i] = (int) sh[i];
      }
      boolean adapted = FlatJson.string(json, "plan_widths", path).equals("sample");
      if (adapted != (sample.length > 0)) {
        throw new InvalidInputException(path + ": plan_widths says " + (adapted ? "sample" : "reference")
            + " but the file " + (adapted ? "lacks" : "has") + " sample.npy");
      }
      ChannelStats stats = FlatJson.optNumbers(json, "standardize_mean").isPresent()
          ? new ChannelStats(FlatJson.numbers(json, "standardize_mean", path),
              FlatJson.numbers(json, "standardize_std", path)) : null;
      String diagonal = FlatJson.optString(json, "diagonal").orElse("sketched");
      if (!diagonal.equals("exact") && !diagonal.equals("sketched")) {
        throw new InvalidInputException(path + ": diagonal must be \"exact\" or \"sketched\", got \""
            + diagonal + "\"");
      }
      return new PlanSpec(PlanMethod.parse(method), architecture, o, shape, sample, stats,
          diagonal.equals("exact"));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(path + " holds an inconsistent plan: " + e.getMessage(), e);
    }
  }
}
