package org.nke.spi;

/**
 * A dense kernel matrix on the host, row-major, stored as one array per row so that sizes beyond
 * {@code 2³¹} entries work. Immutable once returned by the engine.
 */
public interface KernelMatrix {
  /** @return number of rows */
  int rows();

  /** @return number of columns */
  int cols();

  /** @return the storage precision */
  Precision precision();

  /**
   * @param i row
   * @param j column
   * @return the entry
   */
  double get(int i, int j);

  /**
   * @param i row
   * @param out receives the row as doubles, length at least {@link #cols()}; modified
   */
  void copyRow(int i, double[] out);

  /** @return a copy as {@code double[rows][cols]} */
  default double[][] toArray() {
    double[][] a = new double[rows()][cols()];
    for (int i = 0; i < rows(); i++) {
      copyRow(i, a[i]);
    }
    return a;
  }

  /**
   * @param data rows, kept by reference (do not modify afterwards)
   * @return a float64 matrix
   */
  static KernelMatrix ofF64(double[][] data) {
    return new F64(data);
  }

  /**
   * @param data rows, kept by reference (do not modify afterwards)
   * @return a float32 matrix
   */
  static KernelMatrix ofF32(float[][] data) {
    return new F32(data);
  }

  /** Double-precision storage. */
  final class F64 implements KernelMatrix {
    private final double[][] data;

    F64(double[][] data) {
      this.data = data;
    }

    @Override
    public int rows() {
      return data.length;
    }

    @Override
    public int cols() {
      return data.length == 0 ? 0 : data[0].length;
    }

    @Override
    public Precision precision() {
      return Precision.F64;
    }

    @Override
    public double get(int i, int j) {
      return data[i][j];
    }

    @Override
    public void copyRow(int i, double[] out) {
      System.arraycopy(data[i], 0, out, 0, data[i].length);
    }
  }

  /** Single-precision storage. */
  final class F32 implements KernelMatrix {
    private final float[][] data;

    F32(float[][] data) {
      this.data = data;
    }

    @Override
    public int rows() {
      return data.length;
    }

    @Override
    public int cols() {
      return data.length == 0 ? 0 : data[0].length;
    }

    @Override
    public Precision precision() {
      return Precision.F32;
    }

    @Override
    public double get(int i, int j) {
      return data[i][j];
    }

    @Override
    public void copyRow(int i, double[] out) {
      float[] r = data[i];
      for (int j = 0; j < r.length; j++) {
        out[j] = r[j];
      }
    }
  }
}
