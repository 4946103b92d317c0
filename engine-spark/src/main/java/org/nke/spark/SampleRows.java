package org.nke.spark;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.nke.Sketches;
import org.nke.error.InvalidInputException;

/**
 * The rows a sketch plan is built from: the first {@link Sketches#SAMPLE} rows of the data, in
 * partition order ({@code Dataset.take}), exactly the rows {@code Sketches.plan} and
 * {@code RidgeFit.sketch} use for the same data in one process.
 */
final class SampleRows {
  private SampleRows() {
  }

  /**
   * @param data the data
   * @param column the points column
   * @return the first rows' points, validated (finite, one dimension), at least one
   * @throws InvalidInputException naming the column and row of the first bad point, or for no rows
   */
  static double[][] take(Dataset<?> data, String column) {
    List<Row> rows = data.select(column).takeAsList(Sketches.SAMPLE);
    if (rows.isEmpty()) {
      throw new InvalidInputException("column '" + column + "' must contain at least one point, got "
          + "an empty dataset");
    }
    double[][] x = new double[rows.size()][];
    for (int i = 0; i < x.length; i++) {
      x[i] = PointColumn.point(rows.get(i), 0, column, i == 0 ? -1 : x[0].length, "row " + (i + 1));
    }
    return x;
  }
}
