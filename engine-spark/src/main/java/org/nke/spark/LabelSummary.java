package org.nke.spark;

import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.sql.Row;
import org.nke.error.InvalidInputException;
import org.nke.krr.Targets;

/**
 * One partition's rows and labels, summarised in a single pass: how many rows (so that every row
 * gets its global number, as {@code zipWithIndex} would, without a second pass), whether all labels
 * are integers and which (classes), and their compensated sum (regression mean). The task is the
 * command line's ({@link Targets#of}): integer labels are classes, others regression targets. A bad
 * label is remembered, not thrown, so the driver can name its global row.
 */
final class LabelSummary implements Serializable {
  private static final long serialVersionUID = 1L;

  private long count;
  private boolean integers = true;
  private final TreeSet<Double> classes = new TreeSet<>();
  private double sum;
  private double compensation;
  private long badRow = -1;
  private String badValue;

  /** The per-partition pass: {@code (partition, rows) → one summary}. */
  static Function2<Integer, Iterator<Row>, Iterator<LabelSummary>> pass(int field) {
    return (partition, rows) -> {
      LabelSummary s = new LabelSummary();
      while (rows.hasNext()) {
        s.add(rows.next().get(field));
      }
      return List.of(s).iterator();
    };
  }

  private void add(Object v) {
    double y = v instanceof Number n ? n.doubleValue() : Double.NaN;
    if (!Double.isFinite(y)) {
      if (badRow < 0) {
        badRow = count;
        badValue = String.valueOf(v);
      }
    } else {
      if (integers && y == Math.rint(y)) {
        classes.add(y);
      } else if (integers) {
        integers = false;
        classes.clear();
      }
      // Kahan summation, as DoubleStream.average does
      double t = y - compensation;
      double s = sum + t;
      compensation = (s - sum) - t;
      sum = s;
    }
    count++;
  }

  /** @return rows in the partition */
  long count() {
    return count;
  }

  /**
   * Combines the partitions' summaries (in partition order) into the task.
   *
   * @param parts one summary per partition
   * @param column the label column, for messages
   * @return the targets' task ({@code y} holds one placeholder row)
   * @throws InvalidInputException naming the global row of the first bad label, or for no rows
   */
  static Targets targets(List<LabelSummary> parts, String column) {
    long offset = 0;
    boolean integers = true;
    TreeSet<Double> classes = new TreeSet<>();
    double sum = 0;
    double compensation = 0;
    for (LabelSummary s : parts) {
      if (s.badRow >= 0) {
        throw new InvalidInputException("column '" + column + "' labels must be finite numbers, "
            + "got " + s.badValue + " at row " + (offset + s.badRow + 1));
      }
      integers &= s.integers;
      classes.addAll(s.classes);
      double t = s.sum - compensation;
      double u = sum + t;
      compensation = (u - sum) - t;
      sum = u;
      offset += s.count;
    }
    if (offset == 0) {
      throw new InvalidInputException("column '" + column + "' must contain at least one label, got "
          + "an empty dataset");
    }
    if (integers) {
      double[] c = classes.stream().mapToDouble(Double::doubleValue).toArray();
      return new Targets(true, c, 0, new double[1][c.length]);
    }
    return new Targets(false, new double[0], sum / offset, new double[1][1]);
  }

  /**
   * @param parts one summary per partition
   * @return the global number (0-based) of each partition's first row
   */
  static long[] offsets(List<LabelSummary> parts) {
    long[] off = new long[parts.size()];
    for (int i = 1; i < off.length; i++) {
      off[i] = off[i - 1] + parts.get(i - 1).count;
    }
    return off;
  }
}
