package org.nke.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.nke.error.InvalidInputException;

/**
 * Reads a numeric CSV file (rows = points, comma-separated, or white-space-separated as
 * {@code np.savetxt} writes by default; optionally gzipped as {@code .csv.gz}); numbers follow
 * {@link TextNumbers}' strict grammar. A first line that is not entirely numeric is taken as a header and skipped. Blank lines and lines
 * starting with {@code #} are ignored. Every problem is reported with the file, the line and the
 * column: empty file, ragged row, unparseable or non-finite value.
 */
public final class CsvReader {
  private CsvReader() {
  }

  /**
   * @param path the file
   * @return the rows
   * @throws InvalidInputException for bad content
   */
  public static double[][] read(Path path) {
    String name = path.toString();
    try (InputStream raw = Files.newInputStream(path);
        InputStream in = name.endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8),
            1 << 16)) {
      return read(r, name);
    } catch (IOException e) {
      throw new InvalidInputException("cannot read " + name + ": " + e.getMessage(), e);
    }
  }

  /**
   * @param r the text
   * @param name file name for messages
   * @return the rows
   * @throws IOException on read errors
   */
  public static double[][] read(BufferedReader r, String name) throws IOException {
    List<double[]> rows = new ArrayList<>();
    String line;
    int lineNo = 0;
    int width = -1;
    int firstDataLine = 0;
    boolean headerChecked = false;
    while ((line = r.readLine()) != null) {
      lineNo++;
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("#")) {
        continue;
      }
      String[] fields = TextNumbers.split(t);
      if (!headerChecked) {
        headerChecked = true;
        if (isHeader(fields)) {
          continue;
        }
      }
      if (width < 0) {
        width = fields.length;
        firstDataLine = lineNo;
      } else if (fields.length != width) {
        throw new InvalidInputException(name + " rows must all have " + width + " values (as line "
            + firstDataLine + "), got " + fields.length + " at line " + lineNo);
      }
      double[] row = new double[width];
      for (int j = 0; j < width; j++) {
        String f = fields[j].strip();
        double v;
        try {
          v = TextNumbers.parse(f);
        } catch (NumberFormatException e) {
          throw new InvalidInputException(name + " values must be numbers, got '" + f + "' at line "
              + lineNo + ", column " + (j + 1), e);
        }
        if (!Double.isFinite(v)) {
          throw new InvalidInputException(name + " values must be finite, got " + f + " at line "
              + lineNo + ", column " + (j + 1));
        }
        row[j] = v;
      }
      rows.add(row);
    }
    if (rows.isEmpty()) {
      throw new InvalidInputException(name + " must contain at least one row of numbers, got "
          + (lineNo == 0 ? "an empty file" : "none"));
    }
    return rows.toArray(new double[0][]);
  }

  /** A header has at least one field that is not a number (nan and inf count as numbers). */
  private static boolean isHeader(String[] fields) {
    for (String f : fields) {
      String s = f.strip();
      if (s.isEmpty()) {
        continue;
      }
      if (!TextNumbers.isNumber(s)) {
        return true;
      }
    }
    return false;
  }
}
