package org.nke.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.nke.error.InvalidInputException;

/**
 * Validation of the input columns at the Spark boundary, with the project's message shape
 * ({@code <what> must be <constraint>, got <value> at <where>}) and the column and row named. A
 * point column holds a Spark ML vector or an array of numbers, possibly nested (an image
 * {@code H × W × C} as {@code array<array<array<float>>>} is flattened in row-major order); a label
 * column holds numbers. Bad rows are errors, never dropped.
 */
public final class PointColumn {
  private PointColumn() {
  }

  /**
   * @param schema the input schema
   * @param column the points column
   * @throws InvalidInputException if the column is missing or of another type
   */
  public static void checkPoints(StructType schema, String column) {
    DataType t = field(schema, column).dataType();
    if (!isPointType(t)) {
      throw new InvalidInputException("column '" + column + "' must be a vector or an array of "
          + "numbers, got " + t.simpleString());
    }
  }

  /**
   * @param schema the input schema
   * @param column the label column
   * @throws InvalidInputException if the column is missing or not numeric
   */
  public static void checkLabels(StructType schema, String column) {
    DataType t = field(schema, column).dataType();
    if (!(t instanceof NumericType)) {
      throw new InvalidInputException("column '" + column + "' must hold numbers (labels), got "
          + t.simpleString());
    }
  }

  /**
   * @param schema the input schema
   * @param column a column that is about to be added
   * @throws InvalidInputException if it exists already
   */
  public static void checkAbsent(StructType schema, String column) {
    if (Arrays.asList(schema.fieldNames()).contains(column)) {
      throw new InvalidInputException("output column '" + column + "' must not exist in the input, "
          + "got it among " + Arrays.toString(schema.fieldNames()));
    }
  }

  private static StructField field(StructType schema, String column) {
    if (!Arrays.asList(schema.fieldNames()).contains(column)) {
      throw new InvalidInputException("column '" + column + "' must exist in the input, got columns "
          + Arrays.toString(schema.fieldNames()));
    }
    return schema.apply(column);
  }

  private static boolean isPointType(DataType t) {
    if (t.sameType(SQLDataTypes.VectorType())) {
      return true;
    }
    return t instanceof ArrayType a && (a.elementType() instanceof NumericType
        || isPointType(a.elementType()) && !a.elementType().sameType(SQLDataTypes.VectorType()));
  }

  /**
   * Reads one point.
   *
   * @param row the row
   * @param field the column's index in the row
   * @param column the column's name, for messages
   * @param dim the expected dimension, or −1 for any
   * @param where the row, for messages (e.g. {@code "row 17"})
   * @return the point, finite, of length {@code dim}
   * @throws InvalidInputException for a null, a non-finite value or another dimension
   */
  public static double[] point(Row row, int field, String column, int dim, String where) {
    Object v = row.get(field);
    if (v == null) {
      throw new InvalidInputException("column '" + column + "' must hold a point, got null at "
          + where);
    }
    double[] x;
    if (v instanceof Vector vec) {
      x = vec.toArray();
    } else {
      List<Double> out = new ArrayList<>();
      flatten(v, out, column, where);
      x = new double[out.size()];
      for (int j = 0; j < x.length; j++) {
        x[j] = out.get(j);
      }
    }
    if (x.length == 0 || dim >= 0 && x.length != dim) {
      throw new InvalidInputException("column '" + column + "' must hold points of dimension "
          + (dim >= 0 ? dim : "at least 1") + ", got " + x.length + " values at " + where);
    }
    for (int j = 0; j < x.length; j++) {
      if (!Double.isFinite(x[j])) {
        throw new InvalidInputException("column '" + column + "' values must be finite, got " + x[j]
            + " at " + where + ", element " + (j + 1));
      }
    }
    return x;
  }

  /**
   * The points of a block of one partition's rows, numbered on from {@code seen} in messages.
   *
   * @param block rows
   * @param field index of the points column
   * @param column its name, for messages
   * @param dim the dimension every point must have
   * @param partition the partition, for messages
   * @param seen rows of the partition read so far; advanced by the block's size
   * @return one point per row
   */
  static double[][] points(List<Row> block, int field, String column, int dim, int partition,
      long[] seen) {
    double[][] x = new double[block.size()][];
    for (int i = 0; i < x.length; i++) {
      seen[0]++;
      x[i] = point(block.get(i), field, column, dim, "row " + seen[0] + " of partition " + partition);
    }
    return x;
  }

  /**
   * @param row a row
   * @param extra values of the columns to add after its own
   * @return the row with them appended
   */
  public static Row appended(Row row, Object... extra) {
    Object[] v = new Object[row.size() + extra.length];
    for (int j = 0; j < row.size(); j++) {
      v[j] = row.get(j);
    }
    System.arraycopy(extra, 0, v, row.size(), extra.length);
    return org.apache.spark.sql.RowFactory.create(v);
  }

  private static void flatten(Object v, List<Double> out, String column, String where) {
    if (v instanceof Number n) {
      out.add(n.doubleValue());
    } else if (v instanceof scala.collection.Iterable<?> it) {
      scala.collection.Iterator<?> i = it.iterator();
      while (i.hasNext()) {
        flattenElement(i.next(), out, column, where);
      }
    } else if (v instanceof Iterable<?> it) {
      for (Object e : it) {
        flattenElement(e, out, column, where);
      }
    } else {
      throw new InvalidInputException("column '" + column + "' must hold numbers, got "
          + v.getClass().getSimpleName() + " at " + where);
    }
  }

  private static void flattenElement(Object e, List<Double> out, String column, String where) {
    if (e == null) {
      throw new InvalidInputException("column '" + column + "' must not hold null elements, got one "
          + "at " + where + ", element " + (out.size() + 1));
    }
    flatten(e, out, column, where);
  }

  /**
   * Reads one label.
   *
   * @param row the row
   * @param field the column's index in the row
   * @param column the column's name, for messages
   * @param where the row, for messages
   * @return the label, finite
   * @throws InvalidInputException for a null or a non-finite label
   */
  public static double label(Row row, int field, String column, String where) {
    Object v = row.get(field);
    double y = v instanceof Number n ? n.doubleValue() : Double.NaN;
    if (v == null || !Double.isFinite(y)) {
      throw new InvalidInputException("column '" + column + "' labels must be finite numbers, got "
          + v + " at " + where);
    }
    return y;
  }
}
