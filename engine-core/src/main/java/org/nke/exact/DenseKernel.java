package org.nke.exact;

import org.nke.arch.Dense;
import org.nke.arch.Parameterization;
import org.nke.error.ArchException;
import org.nke.exact.DenseNetwork.Affine;
import org.nke.ir.FeatureMap;
import org.nke.ir.Window;
import org.nke.spi.Backend;
import org.nke.spi.KernelBlock;
import org.nke.spi.Progress;

/**
 * The rules of {@code Dense} (stax's {@code Dense} {@code kernel_fn}), the one home of the affine
 * update on the dense path. NTK parameterization:
 *
 * <pre>{@code K' = σ_w² K + σ_b²,   Θ' = σ_w² K + σ_w² Θ + σ_b²   (= K' + σ_w² Θ)}</pre>
 *
 * and under the standard parameterization {@code Θ' = N_in K + σ_w² Θ + [b_std given]}, with
 * {@code N_in} the width of the layer's input: both are {@code Θ' = a·K + b·Θ + c},
 * {@code K' = w²K + β²} with the coefficients of {@link #affine}. The output is Gaussian.
 */
public final class DenseKernel extends LayerKernel {
  private final Dense dense;
  private final Affine affine;
  private final int width;

  DenseKernel(Dense d, int position, int inputWidth) {
    super(position, d.describe());
    if (d.parameterization() == Parameterization.STANDARD && inputWidth < 1) {
      throw new ArchException("layer " + position + " (" + d.describe() + ") uses the standard "
          + "parameterization, which needs the width of its input: give the previous Dense a "
          + "width, e.g. Dense(512, ...)");
    }
    this.dense = d;
    this.affine = affine(d, inputWidth, position);
    this.width = d.width();
  }

  /**
   * For a network on images, where the layer acts on every pixel (a 1 × 1 Conv) and its fan-in comes
   * from the {@link ImageSignal}.
   */
  DenseKernel(Dense d, int position) {
    super(position, d.describe());
    this.dense = d;
    this.affine = null;
    this.width = d.width();
  }

  /**
   * The coefficients of a Dense layer's update {@code Θ ← a·K + b·Θ + c}, {@code K ← w²K + β²}: under
   * the NTK parameterization {@code a = w², b = w², c = β²}; under the standard one
   * {@code a = N_in, b = w², c = 1} if {@code b_std} was given, else 0.
   *
   * @param d the layer
   * @param inputWidth {@code N_in}, on images the fan-in {@code C_in·F} (used by the standard
   *     parameterization only; must then be ≥ 1)
   * @param position 1-based index of the layer, for messages
   * @return the step
   */
  public static Affine affine(Dense d, double inputWidth, int position) {
    double w2 = d.wStd() * d.wStd();
    double b2 = d.bStd() * d.bStd();
    if (d.parameterization() == Parameterization.NTK) {
      return new Affine(w2, b2, w2, w2, b2, position, d.describe());
    }
    return new Affine(w2, b2, inputWidth, w2, d.hasBias() ? 1 : 0, position, d.describe());
  }

  @Override
  protected KernelState signal(KernelState in) {
    return in.withSignal(true, width);
  }

  @Override
  protected double exact(KernelBlock block, double[] varX, double[] varY, Backend backend,
      Progress progress) {
    backend.affine(block, affine.w2(), affine.b2(), affine.ntkFromNngp(), affine.ntkFromNtk(),
        affine.ntkConstant(), progress);
    return 0;
  }

  @Override
  protected double diagonal(double variance) {
    // k ← σ_w² k + σ_b²
    return affine.selfNngp(variance);
  }

  @Override
  protected Angles angles() {
    return affine.b2() == 0 ? Angles.KEEP : Angles.LOSE;
  }

  /** @return the update's coefficients */
  Affine affine() {
    return affine;
  }

  @Override
  protected double diagonalNtk(double variance, double ntk) {
    // Θ ← a·K + b·Θ + c
    return affine.selfNtk(variance, ntk);
  }

  /** @return the affine update's count, {@link Affine#pairFlops} (2, or 6 with {@code Θ}) */
  @Override
  protected double pairFlops(boolean withNtk) {
    return affine.pairFlops(withNtk);
  }

  @Override
  protected long pointBytes(boolean withNtk) {
    return 0;
  }

  @Override
  protected FeatureMap sketch(FeatureShape in, Sketcher sketcher) {
    return sketcher.affine(where(), affine, in);
  }

  /**
   * The coefficients of a Dense layer on an image signal (a pixelwise Dense, or one after the
   * readout): {@link #affine(Dense, double, int)} with the fan-in of {@code in}'s widths.
   *
   * @param d the layer
   * @param in the signal before it
   * @param position its index
   * @return the step
   * @throws ArchException if the standard parameterization needs a width that was omitted
   */
  public static Affine affine(Dense d, ImageSignal in, int position) {
    return affine(d, fanIn(d, 1, in, "layer " + position + " (" + d.describe() + ")"), position);
  }

  @Override
  public ImageSignal imageSignal(ImageSignal in) {
    return affineSignal(dense, 1, "out_dim", in, where()).withGrid(in.grid());
  }

  @Override
  public boolean mixesPixels() {
    return false;
  }

  @Override
  public void pixelSteps(ImageSignal in, PixelProgram program) {
    program.affine(Window.pointwise(in.grid()), affine(dense, in, position()), position(),
        describe());
  }

  /**
   * The image signal after an affine layer of {@code taps} taps (a Conv's filter size, 1 for a
   * pixelwise Dense): Gaussian, of the declared width, with the fan-in checked now when the standard
   * parameterization reads it.
   */
  static ImageSignal affineSignal(Dense d, int taps, String declaredBy, ImageSignal in, String at) {
    fanIn(d, taps, in, at);
    return new ImageSignal(in.grid(), true, in.widths().declared(d.width(), declaredBy, at));
  }

  /** The fan-in {@code C_in·taps} under the standard parameterization, else 0 (unused). */
  static double fanIn(Dense d, int taps, ImageSignal in, String at) {
    return d.parameterization() == Parameterization.STANDARD ? in.widths().fanIn(taps, at) : 0;
  }
}
