package org.nke.spark;

import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.sql.Row;

/**
 * A block of validated training points with their labels and global row numbers (0-based).
 *
 * @param rows global row numbers
 * @param x points, {@code b × d}
 * @param labels labels
 */
record PointBlock(long[] rows, double[][] x, double[] labels) implements Serializable {
  /**
   * The per-partition blocking of the fit's second pass.
   *
   * @param offsets global number of each partition's first row (from the first pass)
   * @param pointField index of the points column
   * @param labelField index of the label column
   * @param pointColumn name of the points column, for messages
   * @param labelColumn name of the label column, for messages
   * @param dim the input dimension
   * @param size rows per block
   * @return {@code (partition, rows) → blocks}
   */
  static Function2<Integer, Iterator<Row>, Iterator<PointBlock>> blocks(long[] offsets,
      int pointField, int labelField, String pointColumn, String labelColumn, int dim, int size) {
    return (partition, rows) -> {
      long[] next = {offsets[partition]};
      Iterator<List<Row>> blocks = Blocks.of(rows, size);
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return blocks.hasNext();
        }

        @Override
        public PointBlock next() {
          List<Row> b = blocks.next();
          long[] idx = new long[b.size()];
          double[][] x = new double[b.size()][];
          double[] y = new double[b.size()];
          for (int i = 0; i < idx.length; i++) {
            idx[i] = next[0]++;
            String where = "row " + (idx[i] + 1);
            x[i] = PointColumn.point(b.get(i), pointField, pointColumn, dim, where);
            y[i] = PointColumn.label(b.get(i), labelField, labelColumn, where);
          }
          return new PointBlock(idx, x, y);
        }
      };
    };
  }

}
