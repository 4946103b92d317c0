package org.nke.sketch;

import org.nke.io.SparseMatrix;

/**
 * CountSketch (Charikar, Chen &amp; Farach-Colton 2002): {@code C(x)_b = Σ_{j: h(j)=b} s(j) x_j} with a
 * random bucket {@code h(j) ∈ [0, D)} and sign {@code s(j) = ±1} per coordinate, so
 * {@code E⟨C(x), C(y)⟩ = ⟨x, y⟩}; it costs {@code O(nnz(x))}, the input-sparsity first stage of the
 * subspace embedding. Dense and sparse inputs are accumulated in the same (increasing column) order,
 * so they give bit-identical outputs.
 */
public final class CountSketch {
  private final int[] bucket;
  private final double[] sign;
  private final int outputs;

  /**
   * @param dim input dimension {@code d}
   * @param outputs {@code D}
   * @param rnd random source
   */
  public CountSketch(int dim, int outputs, SketchRandom rnd) {
    this.outputs = outputs;
    this.bucket = new int[dim];
    for (int j = 0; j < dim; j++) {
      bucket[j] = rnd.nextInt(outputs);
    }
    this.sign = rnd.signs(dim);
  }

  /** @return {@code D} */
  public int outputs() {
    return outputs;
  }

  /**
   * @param x a dense point, not modified
   * @param factor multiplies every input value
   * @param out receives {@code factor · C(x)}, length {@code D}; modified (overwritten)
   */
  public void apply(double[] x, double factor, double[] out) {
    java.util.Arrays.fill(out, 0, outputs, 0.0);
    for (int j = 0; j < x.length; j++) {
      out[bucket[j]] += sign[j] * (factor * x[j]);
    }
  }

  /**
   * @param m sparse points
   * @param row the row
   * @param factor multiplies every input value
   * @param out receives {@code factor · C(x)}, length {@code D}; modified (overwritten)
   */
  public void apply(SparseMatrix m, int row, double factor, double[] out) {
    java.util.Arrays.fill(out, 0, outputs, 0.0);
    int[] idx = m.indices();
    double[] val = m.values();
    for (int p = m.indptr()[row]; p < m.indptr()[row + 1]; p++) {
      out[bucket[idx[p]]] += sign[idx[p]] * (factor * val[p]);
    }
  }
}
