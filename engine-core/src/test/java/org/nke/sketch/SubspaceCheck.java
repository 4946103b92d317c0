package org.nke.sketch;

import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.nke.Kernels;
import org.nke.arch.Architecture;
import org.nke.exact.ExactKernel.Kind;
import org.nke.io.SparseMatrix;

/**
 * Spectral checks of embeddings: the eigenvalues of {@code (K + λI)^{−1/2} (Φ Φᵀ + λI) (K + λI)^{−1/2}},
 * which lie in {@code [1 − ε, 1 + ε]} exactly when {@code Φ Φᵀ + λI} is a {@code (1 ± ε)} spectral
 * approximation of {@code K + λI} (the subspace-embedding guarantee).
 */
public final class SubspaceCheck {
  private SubspaceCheck() {
  }

  /**
   * Sparse points built from {@code topics} sparse prototypes (like documents drawn from topics): each
   * point is a random combination of two prototypes plus sparse noise, so the kernel has a
   * low statistical dimension as real data does; {@code topics = 0} gives independent rows.
   */
  public static SparseMatrix topical(int n, int d, int nnz, int topics, long seed) {
    Random r = new Random(seed);
    SparseMatrix proto = sparse(Math.max(topics, 1), d, nnz, seed + 1);
    double[][] dense = new double[n][];
    SparseMatrix noise = sparse(n, d, nnz / 4, seed + 2);
    for (int i = 0; i < n; i++) {
      double[] x = noise.dense(i);
      for (int t = 0; t < 2 && topics > 0; t++) {
        int p = r.nextInt(topics);
        double w = 1 + r.nextDouble();
        for (int q = proto.indptr()[p]; q < proto.indptr()[p + 1]; q++) {
          x[proto.indices()[q]] += w * proto.values()[q];
        }
      }
      dense[i] = x;
    }
    return SparseMatrix.of(dense);
  }

  /** Random sparse points: {@code nnz} non-zeros per row at random columns, Gaussian values. */
  public static SparseMatrix sparse(int n, int d, int nnz, long seed) {
    Random r = new Random(seed);
    int[] ptr = new int[n + 1];
    int[] idx = new int[n * nnz];
    double[] val = new double[n * nnz];
    for (int i = 0; i < n; i++) {
      int[] cols = r.ints(0, d).distinct().limit(nnz).sorted().toArray();
      double scale = Math.exp(r.nextGaussian() * 0.5);
      for (int k = 0; k < nnz; k++) {
        idx[i * nnz + k] = cols[k];
        val[i * nnz + k] = scale * r.nextGaussian();
      }
      ptr[i + 1] = (i + 1) * nnz;
    }
    return new SparseMatrix(n, d, ptr, idx, val);
  }

  /**
   * @param k exact kernel
   * @param f features
   * @param lambda the ridge (absolute)
   * @return {min, max} eigenvalue of the whitened regularised sketch kernel
   */
  public static double[] spectralRange(double[][] k, double[][] f, double lambda) {
    int n = k.length;
    DMatrixRMaj a = new DMatrixRMaj(k);
    DMatrixRMaj b = new DMatrixRMaj(n, n);
    for (int i = 0; i < n; i++) {
      a.add(i, i, lambda);
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int t = 0; t < f[i].length; t++) {
          s += f[i][t] * f[j][t];
        }
        b.set(i, j, s + (i == j ? lambda : 0));
      }
    }
    CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(n, true);
    if (!chol.decompose(a)) {
      throw new IllegalStateException("K + λI not positive definite");
    }
    DMatrixRMaj l = chol.getT(null);
    DMatrixRMaj linv = new DMatrixRMaj(n, n);
    CommonOps_DDRM.invert(l, linv);
    DMatrixRMaj tmp = new DMatrixRMaj(n, n);
    DMatrixRMaj m = new DMatrixRMaj(n, n);
    CommonOps_DDRM.mult(linv, b, tmp);
    CommonOps_DDRM.multTransB(tmp, linv, m);
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, false, true);
    eig.decompose(m);
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      double v = eig.getEigenvalue(i).getReal();
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    return new double[] {lo, hi};
  }

  /**
   * @param k a kernel matrix
   * @param lambda the ridge
   * @return the statistical dimension {@code tr(K (K + λI)^{−1}) = Σ_i μ_i / (μ_i + λ)}
   */
  public static double statisticalDimension(double[][] k, double lambda) {
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(k.length, false, true);
    eig.decompose(new DMatrixRMaj(k));
    double s = 0;
    for (int i = 0; i < k.length; i++) {
      double mu = Math.max(eig.getEigenvalue(i).getReal(), 0);
      s += mu / (mu + lambda);
    }
    return s;
  }

  /**
   * Exploration: {@code SubspaceCheck n d nnz m arch ntk}.
   *
   * @param args arguments
   */
  public static void main(String[] args) {
    int n = Integer.parseInt(args[0]);
    int d = Integer.parseInt(args[1]);
    int nnz = Integer.parseInt(args[2]);
    int m = Integer.parseInt(args[3]);
    Architecture arch = Architecture.parse(args[4]);
    boolean ntk = Boolean.parseBoolean(args[5]);
    int topics = args.length > 6 ? Integer.parseInt(args[6]) : 0;
    long seed = Long.getLong("seed", 3);
    SparseMatrix x = topics > 0 ? topical(n, d, nnz, topics, seed) : sparse(n, d, nnz, seed);
    long t0 = System.nanoTime();
    int deg = args.length > 7 ? Integer.parseInt(args[7]) : 0;
    SubspaceEmbedding e = SubspaceEmbedding.build(arch, d, new SketchOptions(m, 1, ntk, deg, 1e-3));
    double tb = (System.nanoTime() - t0) / 1e9;
    t0 = System.nanoTime();
    double[][] f = new double[n][];
    java.util.stream.IntStream.range(0, n).parallel().forEach(i -> f[i] = e.features(x, i));
    double tf = (System.nanoTime() - t0) / 1e9;
    double[][] k = (ntk ? Kernels.of(arch).withBackend("cpu").compute(x.toDense(), null, Kind.NTK).ntk()
        : Kernels.of(arch).withBackend("cpu").compute(x.toDense(), null, Kind.NNGP).nngp()).toArray();
    double mean = 0;
    for (int i = 0; i < n; i++) {
      mean += k[i][i] / n;
    }
    System.out.printf("q=%d features=%d build %.2fs features %.2fs (%.0f points/s), coef %s%n",
        e.degree(), e.outputDim(), tb, tf, n / tf, java.util.Arrays.toString(e.coefficients()));
    System.out.printf("gram error %.4f floor %.4f%n", SketchAccuracy.gramError(k, f),
        SketchAccuracy.obliviousFloor(k, f[0].length));
    for (double rel : new double[] {1e-1, 1e-2, 1e-3}) {
      double[] r = spectralRange(k, f, rel * mean);
      double sd = statisticalDimension(k, rel * mean);
      double eps = Math.max(1 - r[0], r[1] - 1);
      System.out.printf("lambda %.0e x mean diag: eigenvalues in [%.4f, %.4f], s_lambda %.1f, "
          + "eps %.3f = %.2f sqrt(s/m')%n", rel, r[0], r[1], sd, eps, eps / Math.sqrt(sd / f[0].length));
    }
  }
}
