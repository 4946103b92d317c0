package org.nke.io;

import java.util.Arrays;
import org.nke.error.InvalidInputException;

/**
 * Points as sparse rows in compressed sparse row (CSR) form: row {@code i} holds the column indices
 * {@code indices[indptr[i] … indptr[i+1]−1]} (strictly increasing) and their values. Immutable once
 * built; the arrays are not copied, so do not modify them afterwards.
 *
 * @param rows number of points {@code n}
 * @param cols dimension {@code d}
 * @param indptr row pointers, length {@code n + 1}
 * @param indices column indices, 0-based
 * @param values the non-zero values
 */
public record SparseMatrix(int rows, int cols, int[] indptr, int[] indices, double[] values) {
  /**
   * Checks the structure and the values.
   *
   * @param name the source, for messages
   * @return this matrix
   * @throws InvalidInputException naming the row of the first problem
   */
  public SparseMatrix validate(String name) {
    if (rows == 0) {
      throw new InvalidInputException(name + " must contain at least one point, got none");
    }
    if (indptr.length != rows + 1 || indptr[0] != 0 || indptr[rows] != indices.length
        || indices.length != values.length) {
      throw new InvalidInputException(name + " has an inconsistent CSR structure");
    }
    for (int i = 0; i < rows; i++) {
      for (int p = indptr[i]; p < indptr[i + 1]; p++) {
        if (indices[p] < 0 || indices[p] >= cols || (p > indptr[i] && indices[p] <= indices[p - 1])) {
          throw new InvalidInputException(name + " column indices must be increasing and in [0, " + cols
              + "), got " + indices[p] + " at row " + (i + 1));
        }
        if (!Double.isFinite(values[p])) {
          throw new InvalidInputException(name + " values must be finite, got " + values[p]
              + " at row " + (i + 1) + ", column " + (indices[p] + 1));
        }
      }
    }
    return this;
  }

  /** @return number of stored non-zeros */
  public long nnz() {
    return indices.length;
  }

  /**
   * @param i a row
   * @return its number of non-zeros
   */
  public int rowNnz(int i) {
    return indptr[i + 1] - indptr[i];
  }

  /**
   * @param i a row
   * @return the squared Euclidean norm of row {@code i}
   */
  public double squaredNorm(int i) {
    double s = 0;
    for (int p = indptr[i]; p < indptr[i + 1]; p++) {
      s += values[p] * values[p];
    }
    return s;
  }

  /**
   * @param i a row
   * @return the row as a dense vector
   */
  public double[] dense(int i) {
    double[] out = new double[cols];
    for (int p = indptr[i]; p < indptr[i + 1]; p++) {
      out[indices[p]] = values[p];
    }
    return out;
  }

  /** @return all rows, dense ({@code n × d} doubles: only for small matrices) */
  public double[][] toDense() {
    double[][] out = new double[rows][];
    for (int i = 0; i < rows; i++) {
      out[i] = dense(i);
    }
    return out;
  }

  /**
   * @param x dense rows
   * @return the same points in CSR form (exact zeros dropped)
   */
  public static SparseMatrix of(double[][] x) {
    int n = x.length;
    int d = x[0].length;
    int[] indptr = new int[n + 1];
    int nnz = 0;
    for (int i = 0; i < n; i++) {
      for (double v : x[i]) {
        nnz += v != 0 ? 1 : 0;
      }
      indptr[i + 1] = nnz;
    }
    int[] idx = new int[nnz];
    double[] val = new double[nnz];
    int p = 0;
    for (double[] row : x) {
      for (int j = 0; j < d; j++) {
        if (row[j] != 0) {
          idx[p] = j;
          val[p++] = row[j];
        }
      }
    }
    return new SparseMatrix(n, d, indptr, idx, val);
  }

  /**
   * @param from first row
   * @param to end row
   * @return rows {@code from … to−1} as a new matrix (arrays copied)
   */
  public SparseMatrix slice(int from, int to) {
    int[] ptr = new int[to - from + 1];
    for (int i = from; i <= to; i++) {
      ptr[i - from] = indptr[i] - indptr[from];
    }
    return new SparseMatrix(to - from, cols, ptr, Arrays.copyOfRange(indices, indptr[from], indptr[to]),
        Arrays.copyOfRange(values, indptr[from], indptr[to]));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SparseMatrix s && s.rows == rows && s.cols == cols
        && Arrays.equals(s.indptr, indptr) && Arrays.equals(s.indices, indices)
        && Arrays.equals(s.values, values);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(indptr) * 31 + Arrays.hashCode(indices) + rows + 7 * cols;
  }

  @Override
  public String toString() {
    return "SparseMatrix[" + rows + " x " + cols + ", nnz " + indices.length + "]";
  }
}
