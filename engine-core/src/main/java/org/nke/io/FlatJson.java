package org.nke.io;

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
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.nke.error.InvalidInputException;
import org.nke.spi.Precision;

/**
 * The container of nke's model and plan files: a ZIP archive of one flat JSON object (string,
 * number and number-array fields, and one string-to-string object) and float64 {@code .npy} arrays,
 * readable by any tool that reads ZIP, JSON and NPY. Writing: {@link #field}, {@link #quote},
 * {@link #putArray}; reading: {@link #entries} and the typed getters, which name the file and the
 * missing field.
 */
public final class FlatJson {
  private FlatJson() {
  }

  /**
   * Appends {@code "key": value,} and a newline.
   *
   * @param sb the JSON being written, modified
   * @param key the key
   * @param value the value, already in JSON syntax
   */
  public static void field(StringBuilder sb, String key, String value) {
    sb.append("  \"").append(key).append("\": ").append(value).append(",\n");
  }

  /**
   * @param s a string
   * @return it as a JSON string literal
   */
  public static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }

  /**
   * @param v numbers
   * @return a JSON array of them ({@link Double#toString}: exact round trip)
   */
  public static String array(double[] v) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < v.length; i++) {
      sb.append(i > 0 ? ", " : "").append(v[i]);
    }
    return sb.append(']').toString();
  }

  /**
   * Writes a ZIP entry holding a float64 {@code .npy} matrix.
   *
   * @param zip the archive
   * @param name the entry name
   * @param a the rows (at least one, all of one length), not modified
   * @throws IOException on write errors
   */
  public static void putArray(ZipOutputStream zip, String name, double[][] a) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    MatrixWriter.write(buf, Path.of(name), Precision.F64, a.length, a[0].length,
        (i, row) -> System.arraycopy(a[i], 0, row, 0, a[i].length));
    buf.writeTo(zip);
    zip.closeEntry();
  }

  /**
   * Writes a text ZIP entry.
   *
   * @param zip the archive
   * @param name the entry name
   * @param text its content (UTF-8)
   * @throws IOException on write errors
   */
  public static void putText(ZipOutputStream zip, String name, String text) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(text.getBytes(StandardCharsets.UTF_8));
    zip.closeEntry();
  }

  /**
   * @param path a ZIP file
   * @param what what it should be, for messages (e.g. {@code model})
   * @param hint how to make one, for messages
   * @return its entries by name
   * @throws InvalidInputException if it cannot be read
   */
  public static Map<String, byte[]> entries(Path path, String what, String hint) {
    if (!Files.isRegularFile(path)) {
      throw new InvalidInputException("cannot read " + what + " " + path + ": "
          + (Files.exists(path) ? "not a regular file" : "no such file") + " (" + hint + ")");
    }
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (InputStream in = Files.newInputStream(path); ZipInputStream zip = new ZipInputStream(in)) {
      ZipEntry e;
      while ((e = zip.getNextEntry()) != null) {
        entries.put(e.getName(), zip.readAllBytes());
      }
    } catch (IOException e) {
      throw new InvalidInputException("cannot read " + what + " " + path + ": " + e.getMessage(), e);
    }
    return entries;
  }

  /**
   * @param bytes a float64 or float32 {@code .npy} matrix
   * @param path the file it came from, for messages
   * @return its rows
   */
  public static double[][] matrix(byte[] bytes, Path path) {
    try {
      NpyArray a = NpyReader.read(new ByteArrayInputStream(bytes), path.toString());
      return a.toMatrix(path.toString());
    } catch (IOException e) {
      throw new InvalidInputException("cannot read an array of " + path, e);
    }
  }

  private static String unquote(String s) {
    return s.replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\");
  }

  /**
   * @param json the JSON text
   * @param key a key
   * @return its string value, if present
   */
  public static Optional<String> optString(String json, String key) {
    Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"")
        .matcher(json);
    return m.find() ? Optional.of(unquote(m.group(1))) : Optional.empty();
  }

  /**
   * @param json the JSON text
   * @param key a key
   * @param path the file, for messages
   * @return its string value
   * @throws InvalidInputException if absent
   */
  public static String string(String json, String key, Path path) {
    return optString(json, key).orElseThrow(() -> missing(key, path));
  }

  /**
   * @param json the JSON text
   * @param key a key
   * @return its number value, if present
   */
  public static Optional<Double> optNumber(String json, String key) {
    Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*([-+0-9.eEInfinityNa]+)")
        .matcher(json);
    return m.find() ? Optional.of(Double.parseDouble(m.group(1))) : Optional.empty();
  }

  /**
   * @param json the JSON text
   * @param key a key
   * @param path the file, for messages
   * @return its number value
   * @throws InvalidInputException if absent
   */
  public static double number(String json, String key, Path path) {
    return optNumber(json, key).orElseThrow(() -> missing(key, path));
  }

  /**
   * @param json the JSON text
   * @param key a key
   * @return its array of numbers, if present
   */
  public static Optional<double[]> optNumbers(String json, String key) {
    Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*\\[([^\\]]*)\\]").matcher(json);
    if (!m.find()) {
      return Optional.empty();
    }
    String body = m.group(1).trim();
    if (body.isEmpty()) {
      return Optional.of(new double[0]);
    }
    String[] parts = body.split(",");
    double[] out = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      out[i] = Double.parseDouble(parts[i].trim().toLowerCase(Locale.ROOT));
    }
    return Optional.of(out);
  }

  /**
   * @param json the JSON text
   * @param key a key
   * @param path the file, for messages
   * @return its array of numbers
   * @throws InvalidInputException if absent
   */
  public static double[] numbers(String json, String key, Path path) {
    return optNumbers(json, key).orElseThrow(() -> missing(key, path));
  }

  /**
   * @param json the JSON text
   * @param key a key whose value is an object of strings
   * @return its entries in order (empty if absent)
   */
  public static Map<String, String> strings(String json, String key) {
    Map<String, String> out = new LinkedHashMap<>();
    Matcher im = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*\\{(.*)\\}", Pattern.DOTALL)
        .matcher(json);
    if (im.find()) {
      Matcher kv = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"")
          .matcher(im.group(1));
      while (kv.find()) {
        out.put(unquote(kv.group(1)), unquote(kv.group(2)));
      }
    }
    return out;
  }

  /**
   * @param m entries
   * @return them as a JSON object of strings
   */
  public static String object(Map<String, String> m) {
    StringBuilder sb = new StringBuilder("{");
    int i = 0;
    for (Map.Entry<String, String> e : m.entrySet()) {
      sb.append(i++ > 0 ? ", " : "").append(quote(e.getKey())).append(": ").append(quote(e.getValue()));
    }
    return sb.append('}').toString();
  }

  /**
   * Checks the {@code format} and {@code version} fields of a file's JSON.
   *
   * @param json the JSON text
   * @param format the expected format (e.g. {@code nke-model})
   * @param maxVersion the newest version this nke reads (versions start at 1)
   * @param path the file, for messages
   * @return the version
   * @throws InvalidInputException if the format differs or the version is not readable
   */
  public static int checkFormat(String json, String format, int maxVersion, Path path) {
    String f = string(json, "format", path);
    if (!format.equals(f)) {
      throw new InvalidInputException(path + " must be an " + format + " file, got format " + f);
    }
    int version = (int) number(json, "version", path);
    if (version < 1 || version > maxVersion) {
      throw new InvalidInputException(path + " is an " + format + " file of version " + version
          + "; this nke reads versions 1 to " + maxVersion + " (a newer nke wrote it?)");
    }
    return version;
  }

  private static InvalidInputException missing(String key, Path path) {
    return new InvalidInputException(path + ": its JSON lacks \"" + key + "\"");
  }

  /**
   * @param out a stream (closed here)
   * @return a ZIP archive over it
   */
  public static ZipOutputStream zip(OutputStream out) {
    return new ZipOutputStream(out);
  }
}
