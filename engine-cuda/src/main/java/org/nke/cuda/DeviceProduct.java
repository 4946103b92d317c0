package org.nke.cuda;

import org.nke.sketch.FeatureOps;
import org.nke.sketch.TensorProduct;
import org.nke.sketch.TensorSrht;
import org.nke.spi.Precision;

/**
 * A product fan-in (FanInProd, {@link FeatureOps.Product}) on rows of device features: the dense
 * sketch's merge of two points' rows and the CNTK sketch's per-pixel merge (one row per pixel),
 * {@code Φ_K = T(Φ_K,acc ⊗ Φ_K,i)}, {@code Φ_Θ = [T'(Φ_Θ,acc ⊗ Φ_K,i), T''(Φ_K,acc ⊗ Φ_Θ,i)]}. Each
 * {@link TensorProduct} {@code T} is either exact, the row-wise Kronecker product {@code a ⊗ b} (one
 * strided batched GEMM with {@code k = 1}, {@link DeviceRuntime#outer}: every entry the one rounded
 * product, as the CPU's), or a TensorSRHT: both factors' randomised spectra
 * ({@link SketchLayer#realSpectrum}: signs, padding, batched R2C) and the sampled frequency pairs
 * ({@link SrhtKernels#product}), the launchers of the activation sketch's NTK product. The draws
 * (signs, frequency tables) are uploaded once, at construction.
 */
final class DeviceProduct {
  private final FeatureOps.Product product;
  private final DeviceRuntime rt;
  private final SrhtKernels kernels;
  private final Precision p;
  private final Factor nngp;
  private final Factor thetaLeft;
  private final Factor thetaRight;

  /** One tensor product with its draws on the device ({@code null} buffers when exact). */
  private record Factor(TensorProduct tp, DeviceBuffer leftSigns, DeviceBuffer rightSigns,
      DeviceBuffer leftFreq, DeviceBuffer rightFreq) {
  }

  /**
   * @param product the merge
   * @param rt the device
   * @param kernels the srht launchers
   * @param p precision of the features
   * @param draws owns the uploaded draws
   */
  DeviceProduct(FeatureOps.Product product, DeviceRuntime rt, SrhtKernels kernels, Precision p,
      DeviceArena draws) {
    this.product = product;
    this.rt = rt;
    this.kernels = kernels;
    this.p = p;
    this.nngp = factor(product.nngp(), draws);
    this.thetaLeft = factor(product.thetaLeft(), draws);
    this.thetaRight = factor(product.thetaRight(), draws);
  }

  private Factor factor(TensorProduct tp, DeviceArena draws) {
    if (tp == null || tp.exact()) {
      return tp == null ? null : new Factor(tp, null, null, null, null);
    }
    TensorSrht ts = tp.sketch();
    return new Factor(tp, draws.upload(tp.left().signs(), p, "tensor product signs"),
        draws.upload(tp.right().signs(), p, "tensor product signs"),
        DevicePatch.ints(rt, draws, ts.left(), "tensor product frequencies"),
        DevicePatch.ints(rt, draws, ts.right(), "tensor product frequencies"));
  }

  /**
   * Device values one row needs while the merge runs beyond its two inputs: the outputs and the
   * largest factor's spectra (padded input and half spectrum of each side), for batch sizing.
   *
   * @param product the merge
   * @return values per row
   */
  static long valuesPerRow(FeatureOps.Product product) {
    long scratch = 0;
    for (TensorProduct tp : sketched(product)) {
      long a = tp.left().size();
      long b = tp.right().size();
      scratch = Math.max(scratch, Math.max(a, b) + a + b + 4);
    }
    return product.nngpDim() + product.ntkDim() + scratch;
  }

  /**
   * @param product the merge
   * @return the most values one row contributes to one batched FFT of the merge
   */
  static long fftPerRow(FeatureOps.Product product) {
    long n = 0;
    for (TensorProduct tp : sketched(product)) {
      n = Math.max(n, Math.max(tp.left().size(), tp.right().size()));
    }
    return n;
  }

  /** @return the merge's TensorSRHT products (not the exact ones, which need no spectra) */
  private static java.util.List<TensorProduct> sketched(FeatureOps.Product product) {
    return java.util.stream.Stream.of(product.nngp(), product.thetaLeft(), product.thetaRight())
        .filter(tp -> tp != null && !tp.exact()).toList();
  }

  /**
   * Merges a branch into the accumulator, row by row.
   *
   * @param accK the accumulator's NNGP rows ({@code dimA} of the NNGP product each), not modified
   * @param accT its NTK rows, or {@code null} (an NNGP plan), not modified
   * @param inK the branch's NNGP rows, not modified
   * @param inT its NTK rows, or {@code null}, not modified
   * @param rows rows (points, or images × pixels)
   * @param out owns the outputs
   * @return {@code {Φ_K, Φ_Θ}} ({@code Φ_Θ} {@code null} for an NNGP plan), contiguous rows of
   *     {@link FeatureOps.Product#nngpDim} and {@link FeatureOps.Product#ntkDim}
   */
  DeviceBuffer[] apply(DeviceBuffer accK, DeviceBuffer accT, DeviceBuffer inK, DeviceBuffer inT,
      int rows, DeviceArena out) {
    int dK = product.nngpDim();
    DeviceBuffer k = out.allocate(Math.max(1L, (long) rows * dK) * p.bytes(),
        "product NNGP features");
    apply(nngp, accK, inK, new SrhtKernels.Rows(k, dK), rows);
    DeviceBuffer t = null;
    if (thetaLeft != null && accT != null) {
      int dT = product.ntkDim();
      t = out.allocate(Math.max(1L, (long) rows * dT) * p.bytes(), "product NTK features");
      apply(thetaLeft, accT, inK, new SrhtKernels.Rows(t, dT), rows);
      apply(thetaRight, accK, inT, new SrhtKernels.Rows(CudaSketchOps.column(t,
          thetaLeft.tp().width(), p), dT), rows);
    }
    rt.synchronize("a product fan-in");
    return new DeviceBuffer[] {k, t};
  }

  /** {@code T(a ⊗ b)} into {@code dst} (contiguous factor rows of {@code dimA}, {@code dimB}). */
  private void apply(Factor f, DeviceBuffer a, DeviceBuffer b, SrhtKernels.Rows dst, int rows) {
    TensorProduct tp = f.tp();
    int dA = tp.dimA();
    int dB = tp.dimB();
    if (tp.width() == 0) {
      return;
    }
    if (tp.exact()) {
      rt.outer(p, a, dA, dA, b, dB, dB, dst.buffer(), dst.stride(), rows);
      return;
    }
    try (DeviceArena scratch = new DeviceArena(rt)) {
      SrhtKernels.Spectrum x = SketchLayer.realSpectrum(rt, kernels, p, tp.left(), f.leftSigns(),
          new SrhtKernels.Rows(a, dA), rows, scratch);
      SrhtKernels.Spectrum y = SketchLayer.realSpectrum(rt, kernels, p, tp.right(), f.rightSigns(),
          new SrhtKernels.Rows(b, dB), rows, scratch);
      TensorSrht ts = tp.sketch();
      kernels.product(p, dst, null, x, y, f.leftFreq(), f.rightFreq(), ts.outputs(), ts.scale(),
          SrhtKernels.Coefficients.NONE, rows);
      // the scratch arena is freed on return: no kernel may still be reading it
      rt.synchronize("a tensor product of a fan-in");
    }
  }
}
