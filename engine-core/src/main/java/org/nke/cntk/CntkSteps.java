package org.nke.cntk;

import java.util.Set;
import java.util.TreeSet;
import org.nke.arch.Dense;
import org.nke.arch.LayerNorm;
import org.nke.arch.Parameterization;
import org.nke.error.ArchException;
import org.nke.ir.Grid;
import org.nke.ir.PixelStep.Convolution;
import org.nke.ir.Window;

/** The step factories and checks of {@link CntkCompiler}, one per layer rule it reads. */
final class CntkSteps {
  private CntkSteps() {
  }

  /**
   * @return whether a LayerNorm on images normalises each image ({@code axis=(1, 2, 3)}) rather than
   *     each pixel (the channel axis, {@code -1} or {@code 3})
   */
  static boolean perImage(LayerNorm ln, String at) {
    Set<Integer> axes = new TreeSet<>();
    for (int a : ln.axes()) {
      axes.add(a < 0 ? a + 4 : a);
    }
    if (axes.equals(Set.of(3))) {
      return false;
    } else if (axes.equals(Set.of(1, 2, 3))) {
      return true;
    }
    throw new ArchException(at + " normalises over axes " + ln.axes() + ": on images (n, H, W, C) "
        + "the convolutional kernel supports the channel axis (axis=-1, each pixel) and "
        + "axis=(1, 2, 3) (each image)");
  }

  static Window window(int fh, int fw, int sh, int sw, org.nke.arch.Padding padding, Grid g,
      String at) {
    try {
      return Window.of(fh, fw, sh, sw, padding, g);
    } catch (IllegalArgumentException e) {
      throw new ArchException(at + ": " + e.getMessage());
    }
  }

  /**
   * The Conv step of a Conv or pixelwise Dense (stax {@code _Conv.kernel_fn}): {@code a = σ_w²},
   * {@code c = σ_b²} under the NTK parameterization; under the standard one {@code a} is the fan-in
   * {@code C_in·F} and {@code c} is 1 if {@code b_std} was given (else 0); always {@code b = σ_w²}.
   */
  static Convolution convolution(Window window, double fanIn, Dense affine, boolean diagonal,
      boolean ntkZero, int position, String describe) {
    double w2 = affine.wStd() * affine.wStd();
    double b2 = affine.bStd() * affine.bStd();
    boolean standard = affine.parameterization() == Parameterization.STANDARD;
    return new Convolution(window, diagonal, w2, b2, standard ? fanIn : w2, w2,
        standard ? (affine.hasBias() ? 1 : 0) : b2, ntkZero, position, describe);
  }

  static void requireGaussian(boolean gaussian, String describe, int position) {
    if (!gaussian) {
      throw new ArchException("activation " + describe + " at layer " + position + " must follow "
          + "Dense or Conv (or a pooling of them): its input must be Gaussian (stax's rule)");
    }
  }
}
