package org.nke.cuda;

import org.nke.ir.Join;
import org.nke.spi.Precision;

/**
 * Typed launchers of the {@code block} PTX family ({@code org/nke/ptx/block.ptx}): the fan-in joins
 * ({@link Join}) and LayerNorm's normalisation, on the pair maps' launch shape
 * ({@link DualKernels#pairShape}). Both precisions compute in float64 and round once, as the CPU does.
 */
final class BlockKernels {
  private final KernelLauncher launcher;

  /** @param launcher where launches go */
  BlockKernels(KernelLauncher launcher) {
    this.launcher = launcher;
  }

  /**
   * The two blocks of a join (same shape and precision).
   *
   * @param precision element type
   * @param targetNngp the accumulator's K; modified
   * @param targetNtk its Θ or {@code null}; modified
   * @param sourceNngp the branch's K
   * @param sourceNtk its Θ or {@code null}
   * @param rows rows
   * @param cols columns
   * @param upper only {@code j ≥ i}
   */
  record Operands(Precision precision, DeviceBuffer targetNngp, DeviceBuffer targetNtk,
      DeviceBuffer sourceNngp, DeviceBuffer sourceNtk, int rows, int cols, boolean upper) {
  }

  /**
   * @param o the blocks
   * @param join the rule
   */
  void join(Operands o, Join join) {
    boolean linear = join.kind() == Join.Kind.LINEAR;
    PtxKernel k = o.precision() == Precision.F64
        ? (linear ? PtxKernel.BLOCK_LINEAR_F64 : PtxKernel.BLOCK_PRODUCT_F64)
        : (linear ? PtxKernel.BLOCK_LINEAR_F32 : PtxKernel.BLOCK_PRODUCT_F32);
    KernelArgs args = KernelArgs.of(k).ptr(o.targetNngp()).ptr(o.targetNtk()).ptr(o.sourceNngp())
        .ptr(o.sourceNtk()).u32(o.rows()).u32(o.cols()).flag(o.upper());
    if (linear) {
      args.real(join.alpha()).real(join.beta());
    }
    launcher.launch(DualKernels.pairShape(o.rows(), o.cols()), args);
  }

  /**
   * @param p element type of the block
   * @param nngp K; modified
   * @param ntk Θ or {@code null}; modified
   * @param sx float64 row scales
   * @param sy float64 column scales
   * @param rows rows
   * @param cols columns
   * @param upper only {@code j ≥ i}
   */
  void normalize(Precision p, DeviceBuffer nngp, DeviceBuffer ntk, DeviceBuffer sx, DeviceBuffer sy,
      int rows, int cols, boolean upper) {
    PtxKernel k = p == Precision.F64 ? PtxKernel.BLOCK_NORMALIZE_F64 : PtxKernel.BLOCK_NORMALIZE_F32;
    launcher.launch(DualKernels.pairShape(rows, cols), KernelArgs.of(k).ptr(nngp).ptr(ntk).ptr(sx)
        .ptr(sy).u32(rows).u32(cols).flag(upper));
  }
}
