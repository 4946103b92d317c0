package org.nke.spi;

import java.util.List;
import java.util.Optional;
import org.nke.dual.DualActivation;
import org.nke.ir.Join;
import org.nke.ir.Normalization;

/**
 * The heavy primitives of kernel computation. The orchestration (walking the architecture, the
 * diagonal recursion, validation) lives once in engine-core ({@code org.nke.exact.ExactKernel}); a
 * backend only transforms {@link KernelBlock}s. Implementations: {@code org.nke.cpu.CpuBackend}
 * (the reference) and {@code org.nke.cuda.CudaBackend}.
 */
public interface Backend extends AutoCloseable {
  /** @return the backend's name, e.g. {@code cpu} */
  String name();

  /** @return the device it runs on, e.g. {@code "2 CPU threads"} */
  String device();

  /** @return the precision used when none is asked for */
  Precision defaultPrecision();

  /**
   * Allocates a block and fills it with the input kernel {@code K⁰ = X Yᵀ / d} ({@code Θ⁰ = 0}).
   *
   * @param x row points, {@code n × d}, not modified
   * @param y column points, {@code m × d}, not modified; {@code null} or {@code x} itself for X = Y
   * @param withNtk whether to carry the NTK
   * @param precision storage precision
   * @param progress progress sink (units: rows)
   * @return the block
   */
  KernelBlock inputKernel(double[][] x, double[][] y, boolean withNtk, Precision precision,
      Progress progress);

  /**
   * Whether this backend can carry the pair angles through a bias-free network of angle-form duals
   * ({@link DualActivation#carriesAngles()}): the input angles come from the points
   * ({@code 2 atan2(‖x̂ − ŷ‖, ‖x̂ + ŷ‖)}, {@code org.nke.dual.ArcCosineAngle}), bias-free affine
   * layers keep them, and activations update them in angle form, so that near-collinear pairs keep
   * full accuracy. A backend without it computes the angles from the rounded correlations.
   *
   * @return {@code true} if {@link #inputKernel(double[][], double[][], boolean, boolean, Precision,
   *     Progress)} honours {@code withAngles} (float64 blocks)
   */
  default boolean carriesAngles() {
    return false;
  }

  /**
   * @return whether this backend's {@link KernelBlock}s live in the Java heap (the CPU's), so that a
   *     network's working blocks (a fan-out's copies) count against it; a device backend keeps them
   *     in its own memory and only the result comes back to the heap
   */
  default boolean blocksOnHeap() {
    return true;
  }

  /**
   * {@link #inputKernel(double[][], double[][], boolean, Precision, Progress)}, optionally with the
   * pair angles. A block with angles accepts only bias-free affine updates ({@code β² = 0}) and duals
   * that {@link DualActivation#carriesAngles() carry angles}.
   *
   * @param x row points, not modified
   * @param y column points, not modified; {@code null} or {@code x} itself for X = Y
   * @param withNtk whether to carry the NTK
   * @param withAngles whether to carry the pair angles (ignored where {@link #carriesAngles()} is
   *     false or the precision is not float64)
   * @param precision storage precision
   * @param progress progress sink (units: rows)
   * @return the block
   */
  default KernelBlock inputKernel(double[][] x, double[][] y, boolean withNtk, boolean withAngles,
      Precision precision, Progress progress) {
    return inputKernel(x, y, withNtk, precision, progress);
  }

  /**
   * The affine (Dense) update, with the old {@code K} on the right-hand sides:
   * {@code Θ ← a·K + b·Θ + c} (when the block has an NTK), then {@code K ← w²·K + β²}.
   *
   * @param block the block; modified
   * @param w2 {@code σ_w²}
   * @param b2 {@code σ_b²}
   * @param ntkFromNngp {@code a}
   * @param ntkFromNtk {@code b}
   * @param ntkConstant {@code c}
   * @param progress progress sink (units: rows)
   */
  void affine(KernelBlock block, double w2, double b2, double ntkFromNngp, double ntkFromNtk,
      double ntkConstant, Progress progress);

  /**
   * The activation update {@code K ← E[φ(u)φ(v)]}, {@code Θ ← Θ·E[φ'(u)φ'(v)]}, with the pre-activation
   * variances of the row and column points.
   *
   * @param block the block; modified
   * @param dual the dual activation
   * @param varX variances of the row points, not modified
   * @param varY variances of the column points, not modified (may be {@code varX})
   * @param progress progress sink (units: rows)
   * @return a bound on the relative error this step introduced (0 for closed forms)
   */
  double activation(KernelBlock block, DualActivation dual, double[] varX, double[] varY,
      Progress progress);

  /**
   * A new block holding a copy of {@code block}'s kernels (NNGP and NTK, not angles): the start of a
   * branch of a fan-out, which then changes it independently of the original.
   *
   * @param block the block, not modified
   * @return the copy (the caller closes it)
   */
  KernelBlock copy(KernelBlock block);

  /**
   * Merges a branch into an accumulator entry by entry by {@code join}'s rule ({@link Join}: the
   * fan-in layers). Both blocks have the same shape, symmetry, precision and kernels.
   *
   * @param target the accumulator; modified
   * @param source the branch, not modified
   * @param join the rule
   */
  void accumulate(KernelBlock target, KernelBlock source, Join join);

  /**
   * Divides entry {@code (i, j)} of K and Θ by {@code √(scaleX[i] · scaleY[j])} (LayerNorm,
   * {@link Normalization}).
   *
   * @param block the block; modified
   * @param scales the per-point scales, not modified
   */
  void normalize(KernelBlock block, Normalization scales);

  /**
   * @param block the block
   * @param ntk whether to scan the NTK (else the NNGP)
   * @return {@code i * cols + j} of the first non-finite entry, or −1
   */
  long firstNonFinite(KernelBlock block, boolean ntk);

  /**
   * Copies a result to the host (full matrix, symmetric blocks mirrored).
   *
   * @param block the block
   * @param ntk the NTK (else the NNGP)
   * @return the matrix
   */
  KernelMatrix read(KernelBlock block, boolean ntk);

  /**
   * Sketch features of a block of points (NNGP or NTK, as the plan says). Every point's features
   * depend only on the plan and the point, so blocks may be computed in any order and split across
   * threads or machines. A backend without a device implementation returns {@code null}, and the
   * caller falls back to the CPU explicitly (see {@code org.nke.Sketches}).
   *
   * @param plan the compiled sketch (all random draws)
   * @param points the points, rows, not modified
   * @param progress progress sink (units: points)
   * @return one feature row per point, or {@code null} if this backend cannot compute sketches
   */
  default double[][] features(org.nke.sketch.SketchPlan plan, double[][] points, Progress progress) {
    return null;
  }

  /**
   * CNTK sketch features of a batch of images (NNGP or NTK, as the plan says); like
   * {@link #features(org.nke.sketch.SketchPlan, double[][], Progress)}, every image's features depend
   * only on the plan and the image, and a backend without an implementation returns {@code null}
   * (the caller falls back to the CPU explicitly, see {@code org.nke.Sketches}).
   *
   * @param plan the compiled CNTK sketch
   * @param images images of the plan's shape, not modified
   * @param progress progress sink (units: images)
   * @return one feature row per image, or {@code null} if this backend cannot compute them
   */
  default double[][] features(org.nke.sketch.CntkSketch plan, org.nke.ir.ImageBatch images,
      Progress progress) {
    return null;
  }

  /**
   * {@link #features(org.nke.sketch.SketchPlan, double[][], Progress)} in a given storage precision.
   * A backend that computes sketches in float64 only returns {@code null} for float32 (the caller
   * then computes float64 features, explicitly).
   *
   * @param plan the compiled sketch
   * @param points the points, rows, not modified
   * @param precision float64, or float32 (half the memory and traffic, about 1e-5 relative)
   * @param progress progress sink (units: points)
   * @return one feature row per point, or {@code null} if this backend cannot compute them so
   */
  default double[][] features(org.nke.sketch.SketchPlan plan, double[][] points,
      Precision precision, Progress progress) {
    return precision == Precision.F64 ? features(plan, points, progress) : null;
  }

  /**
   * {@link #features(org.nke.sketch.CntkSketch, org.nke.ir.ImageBatch, Progress)} in a given storage
   * precision; {@code null} where this backend cannot compute them so (as above).
   *
   * @param plan the compiled CNTK sketch
   * @param images images of the plan's shape, not modified
   * @param precision float64 or float32
   * @param progress progress sink (units: images)
   * @return one feature row per image, or {@code null}
   */
  default double[][] features(org.nke.sketch.CntkSketch plan, org.nke.ir.ImageBatch images,
      Precision precision, Progress progress) {
    return precision == Precision.F64 ? features(plan, images, progress) : null;
  }

  /**
   * The operations this backend ran on the CPU for want of a device implementation, one line each,
   * in order (for run reports; DJL's hybrid engine). The CPU backend has none.
   *
   * @return the fallbacks so far, a copy
   */
  default List<String> fallbacks() {
    return List.of();
  }

  @Override
  void close();

  /**
   * The primitives of the exact convolutional kernels (CNTK), a separate interface so that backends
   * gain them independently of the dense primitives.
   *
   * @return this backend's CNTK primitives, or empty if it has none (the CNTK then runs on the CPU
   *     backend, and the result names that fallback)
   */
  default Optional<ConvOps> convOps() {
    return Optional.empty();
  }
}
