package org.nke.exact;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.nke.arch.LayerNorm;
import org.nke.error.ArchException;
import org.nke.ir.FeatureMap;
import org.nke.ir.Normalization;
import org.nke.ir.PixelStep.Normalize;
import org.nke.spi.Backend;
import org.nke.spi.KernelBlock;
import org.nke.spi.Progress;

/**
 * The rules of {@code LayerNorm(axis=-1, eps)} on points (neural-tangents {@code stax.LayerNorm}'s
 * {@code kernel_fn}: {@code nngp /= √prod12}, {@code ntk /= √prod12}, {@code cov1 /= √prod11} with
 * {@code prod12 = (eps + cov1) ⊗ (eps + cov2)}):
 *
 * <pre>{@code K'(x, y) = K(x, y) / √((K(x,x) + eps)(K(y,y) + eps)),   Θ'(x, y) = Θ(x, y) / √(same),
 * k'(x) = k(x) / √((k(x) + eps)²)}</pre>
 *
 * In the infinite-width limit the centring has no effect and the normalisation's Jacobian projects out
 * one direction of infinitely many, so the NTK scales like the NNGP. As in stax the input must be
 * Gaussian and stays so. On points only the channel axis ({@code -1}, or {@code 1}) is supported.
 *
 * <p>On images {@code (n, H, W, C)} every carried pixel pair {@code (p, q)} is divided by
 * {@code √(s_x(p)·s_y(q))}: over the channel axis {@code s(p) = eps + K(p, p)} (each pixel's
 * variance), over {@code axis=(1, 2, 3)} the mean of that over the image's pixels
 * ({@link org.nke.ir.PixelStep.Normalize#scales}).
 */
final class LayerNormKernel extends LayerKernel {
  private final LayerNorm layer;
  private final double eps;

  LayerNormKernel(LayerNorm n, int position) {
    super(position, n.describe());
    this.layer = n;
    this.eps = n.eps();
  }

  @Override
  protected KernelState signal(KernelState in) {
    if (!layer.isChannelAxis() && !layer.axes().equals(List.of(1))) {
      throw new ArchException(where() + " normalises over axes " + layer.axes() + ", which points "
          + "(n, d) do not have: use LayerNorm() (axis=-1) on points");
    }
    requireGaussian(in.gaussian());
    return in;
  }

  @Override
  protected double exact(KernelBlock block, double[] varX, double[] varY, Backend backend,
      Progress progress) {
    double[] sx = scales(varX);
    backend.normalize(block, new Normalization(sx, varY == varX ? sx : scales(varY)));
    progress.advance(block.rows());
    return 0;
  }

  private double[] scales(double[] v) {
    double[] s = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      s[i] = v[i] + eps;
    }
    return s;
  }

  @Override
  protected double diagonal(double variance) {
    double s = variance + eps;
    return Normalization.divide(variance, s, s);
  }

  @Override
  protected Angles angles() {
    return Angles.LOSE;
  }

  @Override
  protected double diagonalNtk(double variance, double ntk) {
    double s = variance + eps;
    return Normalization.divide(ntk, s, s);
  }

  /** @return {@link Normalization#FLOPS} per kernel carried */
  @Override
  protected double pairFlops(boolean withNtk) {
    return Normalization.FLOPS * (withNtk ? 2 : 1);
  }

  /** @return 8: one scale per point */
  @Override
  protected long pointBytes(boolean withNtk) {
    return 8;
  }

  @Override
  protected FeatureMap sketch(FeatureShape in, Sketcher sketcher) {
    return sketcher.normalize(where(), eps, in);
  }

  @Override
  public ImageSignal imageSignal(ImageSignal in) {
    perImage();
    requireGaussian(in.gaussian());
    return in;
  }

  /** stax's rule, on vectors and images alike: the input must be Gaussian. */
  private void requireGaussian(boolean gaussian) {
    if (!gaussian) {
      throw new ArchException(where() + " must follow Dense or Conv (or a FanInSum of them): its "
          + "input must be Gaussian (stax's rule)");
    }
  }

  @Override
  public boolean mixesPixels() {
    return false;
  }

  @Override
  public void pixelSteps(ImageSignal in, PixelProgram program) {
    program.add(new Normalize(in.grid(), program.diagonal(), perImage(), eps, program.probe(),
        position(), describe()));
  }

  /**
   * @return whether on images it normalises each image ({@code axis=(1, 2, 3)}) rather than each
   *     pixel (the channel axis, {@code -1} or {@code 3})
   * @throws ArchException for other axes
   */
  private boolean perImage() {
    Set<Integer> axes = new TreeSet<>();
    for (int a : layer.axes()) {
      axes.add(a < 0 ? a + 4 : a);
    }
    if (axes.equals(Set.of(3))) {
      return false;
    } else if (axes.equals(Set.of(1, 2, 3))) {
      return true;
    }
    throw new ArchException(where() + " normalises over axes " + layer.axes() + ": on images (n, H, "
        + "W, C) the convolutional kernel supports the channel axis (axis=-1, each pixel) and "
        + "axis=(1, 2, 3) (each image)");
  }
}
