package org.nke.krr;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.nke.error.InvalidInputException;
import org.nke.io.MatrixWriter;
import org.nke.io.NpyArray;
import org.nke.io.NpyReader;
import org.nke.spi.Precision;

/**
 * The model file of {@code nke fit}/{@code nke predict}: a ZIP archive with
 * <ul>
 *   <li>{@code model.json}: a flat JSON object — {@code format} ("nke-model"), {@code version} (1),
 *   {@code method}, {@code architecture}, {@code kernel}, {@code input_dim}, {@code ridge},
 *   {@code task} ("classification"/"regression"), {@code classes}, {@code target_mean},
 *   {@code sketch_dim}, {@code seed}, {@code degree}, and {@code info} (strings);</li>
 *   <li>{@code points.npy}: training points (exact) or the sketch plan's sample rows (sketch),
 *   float64;</li>
 *   <li>{@code weights.npy}: {@code α} or {@code W}, float64.</li>
 * </ul>
 * Any tool that reads ZIP, JSON and NPY (numpy: {@code np.load(zipfile.open(...))}) can use it.
 */
public final class ModelFile {
  private static final String FORMAT = "nke-model";

  private ModelFile() {
  }

  /**
   * @param model the model
   * @param out the stream (closed here)
   * @throws IOException on write errors
   */
  public static void write(RidgeModel model, OutputStream out) throws IOException {
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry("model.json"));
      zip.write(json(model).getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
      writeArray(zip, "points.npy", model.points());
      writeArray(zip, "weights.npy", model.weights());
    }
  }

  private static void writeArray(ZipOutputStream zip, String name, double[][] a) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    MatrixWriter.write(buf, Path.of(name), Precision.F64, a.length, a[0].length,
        (i, row) -> System.arraycopy(a[i], 0, row, 0, a[i].length));
    buf.writeTo(zip);
    zip.closeEntry();
  }

  private static String json(RidgeModel m) {
    StringBuilder sb = new StringBuilder("{\n");
    field(sb, "format", quote(FORMAT));
    field(sb, "version", "1");
    field(sb, "method", quote(m.method()));
    field(sb, "architecture", quote(m.architecture()));
    field(sb, "kernel", quote(m.kernel()));
    field(sb, "input_dim", Integer.toString(m.inputDim()));
    field(sb, "ridge", Double.toString(m.ridge()));
    field(sb, "task", quote(m.targets().classification() ? "classification" : "regression"));
    StringBuilder classes = new StringBuilder("[");
    for (int i = 0; i < m.targets().classes().length; i++) {
      classes.append(i > 0 ? ", " : "").append(m.targets().classes()[i]);
    }
    field(sb, "classes", classes.append(']').toString());
    field(sb, "target_mean", Double.toString(m.targets().mean()));
    field(sb, "sketch_dim", Integer.toString(m.sketchDim()));
    field(sb, "seed", Long.toString(m.seed()));
    field(sb, "degree", Integer.toString(m.degree()));
    StringBuilder info = new StringBuilder("{");
    int i = 0;
    for (Map.Entry<String, String> e : m.info().entrySet()) {
      info.append(i++ > 0 ? ", " : "").append(quote(e.getKey())).append(": ").append(quote(e.getValue()));
    }
    sb.append("  \"info\": ").append(info.append('}')).append("\n}\n");
    return sb.toString();
  }

  private static void field(StringBuilder sb, String key, String value) {
    sb.append("  \"").append(key).append("\": ").append(value).append(",\n");
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }

  /**
   * @param path a model file
   * @return the model
   * @throws InvalidInputException if the file is not an nke model
   */
  public static RidgeModel read(Path path) {
    if (!Files.isRegularFile(path)) {
      throw new InvalidInputException("cannot read model " + path + ": "
          + (Files.exists(path) ? "not a regular file" : "no such file") + " (write one with nke fit "
          + "--model " + path.getFileName() + ")");
    }
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (InputStream in = Files.newInputStream(path); ZipInputStream zip = new ZipInputStream(in)) {
      ZipEntry e;
      while ((e = zip.getNextEntry()) != null) {
        entries.put(e.getName(), zip.readAllBytes());
      }
    } catch (IOException e) {
      throw new InvalidInputException("cannot read model " + path + ": " + e.getMessage(), e);
    }
    byte[] json = entries.get("model.json");
    if (json == null || !entries.containsKey("weights.npy") || !entries.containsKey("points.npy")) {
      throw new InvalidInputException(path + " must be an nke model file (a ZIP with model.json, "
          + "points.npy and weights.npy)");
    }
    String s = new String(json, StandardCharsets.UTF_8);
    if (!FORMAT.equals(string(s, "format", path))) {
      throw new InvalidInputException(path + " must be an nke model file, got format "
          + string(s, "format", path));
    }
    double[] classes = numbers(s, "classes", path);
    boolean classification = string(s, "task", path).equals("classification");
    Targets targets = new Targets(classification, classes, number(s, "target_mean", path),
        new double[0][0]);
    Map<String, String> info = new LinkedHashMap<>();
    Matcher im = Pattern.compile("\"info\"\\s*:\\s*\\{(.*)\\}", Pattern.DOTALL).matcher(s);
    if (im.find()) {
      Matcher kv = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"")
          .matcher(im.group(1));
      while (kv.find()) {
        info.put(unquote(kv.group(1)), unquote(kv.group(2)));
      }
    }
    return new RidgeModel(string(s, "method", path), string(s, "architecture", path),
        string(s, "kernel", path), (int) number(s, "input_dim", path), number(s, "ridge", path),
        targets, array(entries.get("points.npy"), path), array(entries.get("weights.npy"), path),
        (int) number(s, "sketch_dim", path), (long) number(s, "seed", path),
        (int) number(s, "degree", path), info);
  }

  private static double[][] array(byte[] bytes, Path path) {
    try {
      NpyArray a = NpyReader.read(new ByteArrayInputStream(bytes), path.toString());
      return a.toMatrix(path.toString());
    } catch (IOException e) {
      throw new InvalidInputException("cannot read an array of model " + path, e);
    }
  }

  private static String unquote(String s) {
    return s.replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\");
  }

  private static String string(String json, String key, Path path) {
    Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
    if (!m.find()) {
      throw new InvalidInputException(path + ": model.json lacks \"" + key + "\"");
    }
    return unquote(m.group(1));
  }

  private static double number(String json, String key, Path path) {
    Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*([-+0-9.eEInfinityNa]+)").matcher(json);
    if (!m.find()) {
      throw new InvalidInputException(path + ": model.json lacks \"" + key + "\"");
    }
    return Double.parseDouble(m.group(1));
  }

  private static double[] numbers(String json, String key, Path path) {
    Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*\\[([^\\]]*)\\]").matcher(json);
    if (!m.find()) {
      throw new InvalidInputException(path + ": model.json lacks \"" + key + "\"");
    }
    String body = m.group(1).trim();
    if (body.isEmpty()) {
      return new double[0];
    }
    String[] parts = body.split(",");
    double[] out = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      out[i] = Double.parseDouble(parts[i].trim().toLowerCase(Locale.ROOT));
    }
    return out;
  }
}
