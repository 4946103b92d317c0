package org.nke.cuda;

import java.util.stream.IntStream;
import org.nke.dual.BoundDual;
import org.nke.error.ResourceLimitException;
import org.nke.spi.Precision;

/**
 * The explicit CPU fallback for a dual map without a device kernel (e.g. {@code QuadratureDual}):
 * the block is copied to the host in row chunks, transformed exactly as {@code CpuBackend} does
 * (float64 arithmetic; float32 blocks converted on the way in and rounded on the way out) and copied
 * back. The backend records every use ({@link CudaBackend#fallbacks()}) and logs it; it is never
 * silent.
 */
final class CpuFallback {
  private CpuFallback() {
  }

  /**
   * @param rt the runtime
   * @param b the block; modified
   * @param bound the dual bound to the block's points
   */
  static void apply(DeviceRuntime rt, CudaKernelBlock b, BoundDual bound) {
    int chunk = HostRows.rowsPerChunk(b.cols);
    long hostBytes = (long) Math.min(chunk, b.rows) * b.cols * 8 * (b.hasNtk() ? 2 : 1) * 2;
    long heap = Runtime.getRuntime().maxMemory() - (Runtime.getRuntime().totalMemory()
        - Runtime.getRuntime().freeMemory());
    if (hostBytes > heap) {
      throw new ResourceLimitException("the CPU fallback's staging rows", hostBytes, heap,
          "give the JVM more heap (NKE_JAVA_OPTS=-Xmx...)");
    }
    for (int i0 = 0; i0 < b.rows; i0 += chunk) {
      int n = Math.min(chunk, b.rows - i0);
      double[][] k = new double[n][b.cols];
      double[][] t = b.hasNtk() ? new double[n][b.cols] : null;
      HostRows.download(rt, b.nngp, b.precision, i0, k, b.cols);
      if (t != null) {
        HostRows.download(rt, b.ntk, b.precision, i0, t, b.cols);
      }
      int base = i0;
      IntStream.range(0, n).parallel().forEach(r -> {
        int i = base + r;
        int j0 = b.symmetric ? i : 0;
        bound.applyRow(i, j0, b.cols - j0, k[r], t == null ? null : t[r], j0);
      });
      HostRows.upload(rt, b.nngp, b.precision, i0, k, b.cols);
      if (t != null) {
        HostRows.upload(rt, b.ntk, b.precision, i0, t, b.cols);
      }
    }
  }

  /**
   * The entries the CPU would hold on the diagonal after the dual map: {@code bound} applied to
   * {@code (i, i)} with the current values (for Hermite-series duals: the exact 1-D moments, not the
   * truncated series at {@code ρ = 1}).
   *
   * @param bound the binding
   * @param diag {@code K[i][i]} before the map, per point; modified: after the map
   * @param ntkDiag {@code Θ[i][i]} before the map, or {@code null}; modified: after the map
   * @param precision storage precision (float32 rounds)
   */
  static void diagonal(BoundDual bound, double[] diag, double[] ntkDiag, Precision precision) {
    double[] one = new double[1];
    double[] t = ntkDiag == null ? null : new double[1];
    for (int i = 0; i < diag.length; i++) {
      one[0] = diag[i];
      if (t != null) {
        t[0] = ntkDiag[i];
      }
      bound.applyRow(i, i, 1, one, t, 0);
      diag[i] = precision == Precision.F32 ? (float) one[0] : one[0];
      if (t != null) {
        ntkDiag[i] = precision == Precision.F32 ? (float) t[0] : t[0];
      }
    }
  }
}
