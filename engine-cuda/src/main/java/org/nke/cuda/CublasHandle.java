package org.nke.cuda;

import static jcuda.jcublas.JCublas2.cublasCreate;
import static jcuda.jcublas.JCublas2.cublasDestroy;
import static jcuda.jcublas.JCublas2.cublasDgemm;
import static jcuda.jcublas.JCublas2.cublasDgemmStridedBatched;
import static jcuda.jcublas.JCublas2.cublasGetVersion;
import static jcuda.jcublas.JCublas2.cublasSetMathMode;
import static jcuda.jcublas.JCublas2.cublasSgemm;
import static jcuda.jcublas.JCublas2.cublasSgemmStridedBatched;

import jcuda.Pointer;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasMath;
import jcuda.jcublas.cublasOperation;
import org.nke.spi.Precision;

/**
 * A cuBLAS handle ({@code cublasCreate}/{@code cublasDestroy}) on the current context, with the two
 * products the backend needs (Gram blocks and row-wise outer products). The handle is set to {@code CUBLAS_PEDANTIC_MATH}: no TF32 or other
 * reduced-precision paths (not even with {@code NVIDIA_TF32_OVERRIDE=1}), so float32 Gram blocks keep
 * float32 accuracy. Close is idempotent; use after close throws.
 */
public final class CublasHandle implements AutoCloseable {
  private final NativeHandle<cublasHandle> handle;

  private CublasHandle(cublasHandle h) {
    this.handle = new NativeHandle<>(h, x -> CudaCalls.checkCublas(cublasDestroy(x), "cublasDestroy"),
        "cuBLAS handle");
  }

  /**
   * @param context the context the handle belongs to (made current)
   * @return a new handle
   */
  public static CublasHandle create(CudaContext context) {
    context.makeCurrent();
    cublasHandle h = new cublasHandle();
    CudaCalls.checkCublas(cublasCreate(h), "cublasCreate");
    CublasHandle handle = new CublasHandle(h);
    try {
      CudaCalls.checkCublas(cublasSetMathMode(h, cublasMath.CUBLAS_PEDANTIC_MATH),
          "cublasSetMathMode CUBLAS_PEDANTIC_MATH");
    } catch (RuntimeException e) {
      handle.close();
      throw e;
    }
    return handle;
  }

  /** @return cuBLAS's version, e.g. {@code 130100} for 13.1.0 */
  public int version() {
    int[] v = new int[1];
    CudaCalls.checkCublas(cublasGetVersion(handle.get(), v), "cublasGetVersion");
    return v[0];
  }

  /**
   * The Gram block of row-major points: {@code C[i][j] = alpha · Σ_k X[i][k] Y[j][k]}, C row-major
   * {@code n × m}. Row-major {@code C} is column-major {@code Cᵀ = Y Xᵀ} ({@code m × n}, ld m); the
   * row-major {@code X} ({@code n × d}) is the column-major {@code d × n} matrix {@code Xᵀ}
   * (ld d), likewise {@code Y}; so {@code Cᵀ = op(A) op(B)} with {@code A = Yᵀ} transposed and
   * {@code B = Xᵀ} as is: {@code gemm(T, N, m, n, d, alpha, Y, d, X, d, 0, C, m)}.
   *
   * @param precision element type of all three buffers
   * @param x row points, {@code n × d} row-major; not modified
   * @param y column points, {@code m × d} row-major; not modified
   * @param c the result, {@code n × m} row-major; modified
   * @param n rows
   * @param m columns
   * @param d dimension
   * @param alpha scale, e.g. {@code 1/d}
   */
  public void gram(Precision precision, DeviceBuffer x, DeviceBuffer y, DeviceBuffer c, int n, int m,
      int d, double alpha) {
    int t = cublasOperation.CUBLAS_OP_T;
    int nn = cublasOperation.CUBLAS_OP_N;
    if (precision == Precision.F64) {
      CudaCalls.checkCublas(cublasDgemm(handle.get(), t, nn, m, n, d, Pointer.to(new double[] {alpha}),
          y.pointer(), d, x.pointer(), d, Pointer.to(new double[] {0}), c.pointer(), m),
          "cublasDgemm " + n + "x" + m + "x" + d);
    } else {
      CudaCalls.checkCublas(cublasSgemm(handle.get(), t, nn, m, n, d,
          Pointer.to(new float[] {(float) alpha}), y.pointer(), d, x.pointer(), d,
          Pointer.to(new float[] {0}), c.pointer(), m), "cublasSgemm " + n + "x" + m + "x" + d);
    }
  }

  /**
   * Row-wise outer products, {@code c[r·cStride + i·dB + j] = a[r·aStride + i] · b[r·bStride + j]}
   * for {@code r < rows}: one strided batched GEMM with {@code k = 1}. Each row's row-major
   * {@code dA × dB} block is the column-major {@code dB × dA} matrix {@code b_r a_rᵀ}: {@code A = b_r}
   * ({@code dB × 1}, ld dB), {@code B = a_rᵀ} ({@code 1 × dA}, ld 1), {@code C} ld dB; alpha 1, beta 0,
   * so every entry is the one rounded product.
   *
   * @param precision element type of all three buffers
   * @param a first factors; not modified
   * @param dA first factor length, at least 1
   * @param aStride elements from one row of {@code a} to the next
   * @param b second factors; not modified
   * @param dB second factor length, at least 1
   * @param bStride elements from one row of {@code b} to the next
   * @param c the products; modified
   * @param cStride elements from one row of {@code c} to the next, at least {@code dA·dB}
   * @param rows rows
   */
  public void outer(Precision precision, DeviceBuffer a, int dA, int aStride, DeviceBuffer b, int dB,
      int bStride, DeviceBuffer c, int cStride, int rows) {
    int nn = cublasOperation.CUBLAS_OP_N;
    String what = "gemmStridedBatched " + dA + "x" + dB + "x1, " + rows + " rows";
    if (precision == Precision.F64) {
      CudaCalls.checkCublas(cublasDgemmStridedBatched(handle.get(), nn, nn, dB, dA, 1,
          Pointer.to(new double[] {1}), b.pointer(), dB, bStride, a.pointer(), 1, aStride,
          Pointer.to(new double[] {0}), c.pointer(), dB, cStride, rows), "cublasD" + what);
    } else {
      CudaCalls.checkCublas(cublasSgemmStridedBatched(handle.get(), nn, nn, dB, dA, 1,
          Pointer.to(new float[] {1}), b.pointer(), dB, bStride, a.pointer(), 1, aStride,
          Pointer.to(new float[] {0}), c.pointer(), dB, cStride, rows), "cublasS" + what);
    }
  }

  @Override
  public void close() {
    handle.close();
  }
}
