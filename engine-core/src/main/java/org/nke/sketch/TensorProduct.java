package org.nke.sketch;

/**
 * Features of a product of two kernels, {@code ⟨T(a ⊗ b), T(a' ⊗ b')⟩ ≈ ⟨a, a'⟩⟨b, b'⟩}: the exact
 * Kronecker product {@code a ⊗ b} when its {@code d_a d_b} entries fit the width, else a
 * {@link TensorSrht} of the two randomised spectra ({@link Srht}), drawn at plan time.
 */
public final class TensorProduct {
  private final int dimA;
  private final int dimB;
  private final Srht left;
  private final Srht right;
  private final TensorSrht product;

  /**
   * @param dimA length of the first factor
   * @param dimB length of the second factor
   * @param width the most real outputs (a TensorSRHT uses the largest even number ≤ it)
   * @param rnd source of the draws (unused for an exact product)
   */
  public TensorProduct(int dimA, int dimB, int width, SketchRandom rnd) {
    this.dimA = dimA;
    this.dimB = dimB;
    if ((long) dimA * dimB <= width || dimA == 0 || dimB == 0) {
      this.left = null;
      this.right = null;
      this.product = null;
    } else {
      this.left = new Srht(dimA, false, rnd);
      this.right = new Srht(dimB, false, rnd);
      this.product = new TensorSrht(Math.max(1, width / 2), left.size(), right.size(), rnd);
    }
  }

  /** @return whether the product is exact (no draws) */
  public boolean exact() {
    return product == null;
  }

  /** @return the length of the first factor */
  public int dimA() {
    return dimA;
  }

  /** @return the length of the second factor */
  public int dimB() {
    return dimB;
  }

  /** @return the first factor's randomised spectrum, or {@code null} for an exact product */
  public Srht left() {
    return left;
  }

  /** @return the second factor's randomised spectrum, or {@code null} for an exact product */
  public Srht right() {
    return right;
  }

  /** @return the TensorSRHT of the two spectra, or {@code null} for an exact product */
  public TensorSrht sketch() {
    return product;
  }

  /** @return the number of real outputs */
  public int width() {
    return product == null ? dimA * dimB : 2 * product.outputs();
  }

  /**
   * @param a the first factor, not modified
   * @param b the second factor, not modified
   * @return the product's features
   */
  public double[] apply(double[] a, double[] b) {
    double[] out = new double[width()];
    if (product == null) {
      for (int i = 0; i < dimA; i++) {
        for (int j = 0; j < dimB; j++) {
          out[i * dimB + j] = a[i] * b[j];
        }
      }
      return out;
    }
    double[] x = left.workspace();
    left.transform(a, 0, x);
    double[] y = right.workspace();
    right.transform(b, 0, y);
    product.product(x, y, out, 0, 1.0);
    return out;
  }
}
