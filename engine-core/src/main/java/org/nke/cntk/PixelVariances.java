package org.nke.cntk;

import org.nke.cntk.CntkNetwork.Convolution;
import org.nke.cntk.CntkNetwork.Diagonalize;
import org.nke.cntk.CntkNetwork.Nonlinearity;
import org.nke.cntk.CntkNetwork.Pooling;
import org.nke.cntk.CntkNetwork.Readout;
import org.nke.cntk.CntkNetwork.Step;
import org.nke.dual.BoundDual;
import org.nke.exact.DenseNetwork;

/**
 * The exact diagonal recursion of one image on the host: the CNTK of the image with itself, carried
 * on the pixel-pair blocks the network needs ({@link CntkNetwork}: only the diagonal pairs
 * {@code (p, p)} up to the first pooling layer seen from the readout, the full {@code (H·W)²} self
 * block before it), read at every activation:
 *
 * <pre>{@code k_a(p) = K_xx(p, p)  before spatial activation a;   K_xx, Θ_xx at the readout}</pre>
 *
 * and through the dense layers after the readout. These are the per-pixel pre-activation variances
 * the CNTK sketch needs (a pooling layer mixes pixel pairs, so after one the diagonal alone does not
 * determine them); one self block costs as much as one image pair of the exact CNTK, a small
 * fraction of the sketch's per-image work for images up to about 64 × 64. Uses {@link PixelGram},
 * {@link ConvKernel}, {@link PoolKernel}, {@link PixelDual} and {@link SpatialReadout}, so it agrees
 * bit for bit with the exact CNTK's own diagonal recursion.
 */
public final class PixelVariances {
  private PixelVariances() {
  }

  /**
   * The variances of one image.
   *
   * @param spatial per spatial activation (in order), the variance of every pixel of its grid
   * @param tail per activation after the readout, the pre-activation variance
   * @param nngp the readout's {@code K_xx} (after Flatten or GlobalAvgPool)
   * @param ntk the readout's {@code Θ_xx}, or NaN when not computed
   */
  public record Result(double[][] spatial, double[] tail, double nngp, double ntk) {
  }

  /**
   * @param net the compiled network
   * @param image the image, {@code H·W·C} values in HWC order, not modified
   * @param withNtk whether to carry {@code Θ} too (for the readout's {@code Θ_xx})
   * @return the variances
   */
  public static Result of(CntkNetwork net, double[] image, boolean withNtk) {
    int entries = (int) net.maxBlockEntries();
    double[] k = new double[entries];
    double[] t = withNtk ? new double[entries] : null;
    double[] scratch = new double[entries];
    Grid g = net.input();
    PixelGram.compute(image, image, g.pixels(), net.channels(), net.inputDiagonal(), k);
    double[][] spatial = new double[net.activations()][];
    double readK = Double.NaN;
    double readT = Double.NaN;
    for (Step step : net.steps()) {
      if (step instanceof Convolution c) {
        ConvKernel.apply(k, t, scratch, c);
      } else if (step instanceof Pooling p) {
        PoolKernel.apply(k, t, scratch, p);
      } else if (step instanceof Diagonalize d) {
        SpatialReadout.diagonalize(k, d.grid().pixels());
        if (t != null) {
          SpatialReadout.diagonalize(t, d.grid().pixels());
        }
      } else if (step instanceof Nonlinearity a) {
        int pixels = a.grid().pixels();
        double[] v = new double[pixels];
        SpatialReadout.diagonal(k, pixels, a.diagonal(), v);
        spatial[a.index()] = v;
        BoundDual bound = a.dual().bind(v, v, withNtk);
        PixelDual.apply(bound, 0, 0, k, t, pixels, a.diagonal());
      } else if (step instanceof Readout r) {
        int n = r.grid().pixels();
        readK = r.flatten() ? SpatialReadout.flatten(k, n, r.diagonal())
            : SpatialReadout.globalAverage(k, n);
        if (t != null) {
          readT = r.flatten() ? SpatialReadout.flatten(t, n, r.diagonal())
              : SpatialReadout.globalAverage(t, n);
        }
      }
    }
    int tailActivations = (int) net.tail().stream()
        .filter(s -> s instanceof DenseNetwork.Nonlinear).count();
    double[] tail = new double[tailActivations];
    PairPipeline.selfTail(net.tail(), readK, withNtk ? readT : Double.NaN, tail);
    return new Result(spatial, tail, readK, readT);
  }
}
