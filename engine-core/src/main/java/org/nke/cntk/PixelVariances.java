package org.nke.cntk;

import org.nke.dual.BoundDual;
import org.nke.exact.DenseNetwork;
import org.nke.ir.Grid;
import org.nke.ir.ImageBatch;
import org.nke.ir.ImageVariances;
import org.nke.ir.PixelStep.Convolution;
import org.nke.ir.PixelStep.Diagonalize;
import org.nke.ir.PixelStep.Normalize;
import org.nke.ir.PixelStep.PixelActivation;
import org.nke.ir.PixelStep.Pooling;
import org.nke.ir.PixelStep.Readout;
import org.nke.ir.PixelStep;
import org.nke.ir.Window;
import org.nke.spi.ConvOps;
import org.nke.spi.PixelBlocks;

/**
 * The exact diagonal recursion of one image on the host: the CNTK of the image with itself, carried
 * on the pixel-pair blocks the network needs ({@link CntkNetwork}: only the diagonal pairs
 * {@code (p, p)} up to the first pooling layer seen from the readout, the full {@code (H·W)²} self
 * block before it), read at every activation and LayerNorm (the variance probes):
 *
 * <pre>{@code k_a(p) = K_xx(p, p)  before probe a;   K_xx, Θ_xx at the readout}</pre>
 *
 * and through the dense layers after the readout. These are the per-pixel pre-activation variances
 * the CNTK sketch needs (a pooling layer mixes pixel pairs, so after one the diagonal alone does not
 * determine them); one self block costs as much as one image pair of the exact CNTK, a small
 * fraction of the sketch's per-image work for images up to about 64 × 64. A branching network runs
 * its fork program as the exact CNTK's {@code PairPipeline} does: a fan-out keeps its input block for
 * every branch (a copy for all but the last), a fan-in merges branch after branch into the first
 * one's block ({@link ForkFrames}). Uses {@link PixelGram}, {@link ConvBlocks}, {@link PoolBlocks}, {@link PixelDual},
 * {@link BlockJoin} and {@link SpatialReadout}, so it agrees bit for bit with the exact CNTK's own
 * diagonal recursion.
 */
public final class PixelVariances {
  private PixelVariances() {
  }

  /**
   * @param net the compiled network
   * @param image the image, {@code H·W·C} values in HWC order, not modified
   * @param withNtk whether to carry {@code Θ} too (for the readout's {@code Θ_xx})
   * @return the variances
   */
  public static ImageVariances of(CntkNetwork net, double[] image, boolean withNtk) {
    int entries = (int) net.maxBlockEntries();
    double[] k = new double[entries];
    double[] t = withNtk ? new double[entries] : null;
    double[] scratch = new double[entries];
    Grid g = net.input();
    PixelGram.compute(image, image, g.pixels(), net.channels(), net.inputDiagonal(), k);
    double[][] spatial = new double[net.activations()][];
    double readK = Double.NaN;
    double readT = Double.NaN;
    ForkFrames forks = new ForkFrames(false);
    for (PixelStep step : net.steps()) {
      double[][] kt = forks.run(step, k, t);
      if (kt != null) {
        k = kt[0];
        t = kt[1];
      } else if (step instanceof Convolution c) {
        ConvBlocks.apply(k, t, scratch, c);
      } else if (step instanceof Pooling p) {
        PoolBlocks.apply(k, t, scratch, p);
      } else if (step instanceof Diagonalize d) {
        SpatialReadout.diagonalize(k, d.grid().pixels());
        if (t != null) {
          SpatialReadout.diagonalize(t, d.grid().pixels());
        }
      } else if (step instanceof PixelActivation a) {
        int pixels = a.grid().pixels();
        double[] v = new double[pixels];
        SpatialReadout.diagonal(k, pixels, a.diagonal(), v);
        spatial[a.index()] = v;
        BoundDual bound = a.dual().bind(v, v, withNtk);
        PixelDual.apply(bound, 0, 0, k, t, pixels, a.diagonal());
      } else if (step instanceof Normalize n) {
        int pixels = n.grid().pixels();
        double[] v = new double[pixels];
        SpatialReadout.diagonal(k, pixels, n.diagonal(), v);
        spatial[n.index()] = v;
        double[] s = n.scales(v);
        BlockJoin.normalize(k, pixels, n.diagonal(), s, 0, s, 0);
        if (t != null) {
          BlockJoin.normalize(t, pixels, n.diagonal(), s, 0, s, 0);
        }
      } else if (step instanceof Readout r) {
        int n = r.grid().pixels();
        readK = r.flatten() ? SpatialReadout.flatten(k, n, r.diagonal())
            : SpatialReadout.globalAverage(k, n);
        if (t != null) {
          readT = r.flatten() ? SpatialReadout.flatten(t, n, r.diagonal())
              : SpatialReadout.globalAverage(t, n);
        }
      } else {
        throw new IllegalStateException("no host variance rule for " + step);
      }
    }
    return finish(net, spatial, readK, withNtk ? readT : Double.NaN);
  }

  /**
   * The variances of a batch of images by the same self recursion on a backend's CNTK primitives
   * ({@code PairPipeline.runSelf}, the exact CNTK's diagonal recursion): every image with itself in
   * one slot of {@code blocks}. On the CPU backend it equals {@link #of(CntkNetwork, double[],
   * boolean)} without the NTK; a device backend keeps the blocks in device memory. The duals are
   * bound to the variances of the whole batch, as in the exact CNTK (series duals choose their
   * degree from them, so those results agree to about 1e−15 across batch sizes).
   *
   * @param net the compiled network
   * @param ops the backend's CNTK primitives
   * @param blocks at least {@code x.count()} slots of {@link CntkNetwork#maxBlockEntries()} entries,
   *     from {@code ops}; modified. NNGP-only blocks suffice for the variances; blocks with the NTK
   *     give the readout's and the output's {@code Θ_xx} too
   * @param x the images, not modified
   * @return per image, its variances ({@code ntk} and {@code outputNtk} NaN without NTK blocks)
   */
  public static ImageVariances[] of(CntkNetwork net, ConvOps ops, PixelBlocks blocks, ImageBatch x) {
    int count = x.count();
    int[] images = new int[count];
    for (int k = 0; k < count; k++) {
      images[k] = k;
    }
    double[][][] pre = new double[net.activations()][count][];
    double[] readout;
    double[] readoutNtk;
    try (PairPipeline pipe = new PairPipeline(net, ops, blocks)) {
      pipe.runSelf(count, x, images, pre);
      readout = pipe.nngp().clone();
      readoutNtk = pipe.ntk() == null ? null : pipe.ntk().clone();
    }
    ImageVariances[] out = new ImageVariances[count];
    for (int k = 0; k < count; k++) {
      double[][] spatial = new double[net.activations()][];
      for (int a = 0; a < spatial.length; a++) {
        spatial[a] = pre[a][k];
      }
      out[k] = finish(net, spatial, readout[k], readoutNtk == null ? Double.NaN : readoutNtk[k]);
    }
    return out;
  }

  private static ImageVariances finish(CntkNetwork net, double[][] spatial, double readK, double readT) {
    int tailActivations = (int) net.tail().stream()
        .filter(s -> s instanceof DenseNetwork.Activation).count();
    double[] tail = new double[tailActivations];
    double[] out = PairPipeline.selfTail(net.tail(), readK, readT, tail);
    return new ImageVariances(spatial, tail, readK, readT, out[0], out[1]);
  }

  /**
   * The diagonal recursion with every pooling layer treated as if its pixels were perfectly
   * correlated, {@code k'(P) ≈ Σ_{p∈P} k(p)/F} (an upper bound by Cauchy–Schwarz, exact for
   * constant images) and GlobalAvgPool likewise: {@code O(H·W·F)} per layer instead of
   * {@code O((H·W)²)}, for choosing a sketch's block widths on images too large for {@link #of}.
   *
   * @param net the compiled network
   * @param image the image, not modified
   * @return approximate variances (the NTK always carried)
   */
  public static ImageVariances approximate(CntkNetwork net, double[] image) {
    Grid g = net.input();
    double[] k = new double[g.pixels()];
    PixelGram.compute(image, image, g.pixels(), net.channels(), true, k);
    double[] t = new double[k.length];
    double[][] spatial = new double[net.activations()][];
    double readK = Double.NaN;
    double readT = Double.NaN;
    ForkFrames forks = new ForkFrames(true);
    for (PixelStep step : net.steps()) {
      double[][] kt = forks.run(step, k, t);
      if (kt != null) {
        k = kt[0];
        t = kt[1];
      } else if (step instanceof Convolution c) {
        Window w = c.window();
        double[] nk = windowSum(k, w);
        double[] nt = windowSum(t, w);
        double f = w.size();
        for (int p = 0; p < nk.length; p++) {
          nt[p] = c.ntkFromNngp() / f * nk[p] + (c.ntkZero() ? 0 : c.ntkFromNtk() / f * nt[p])
              + c.ntkConstant();
          nk[p] = c.w2() / f * nk[p] + c.b2();
        }
        k = nk;
        t = nt;
      } else if (step instanceof Pooling p) {
        k = windowSum(k, p.window());
        t = windowSum(t, p.window());
        for (int q = 0; q < k.length; q++) {
          k[q] /= p.window().size();
          t[q] /= p.window().size();
        }
      } else if (step instanceof PixelActivation a) {
        spatial[a.index()] = k.clone();
        for (int p = 0; p < k.length; p++) {
          t[p] *= a.dual().derivative(k[p], k[p], k[p]);
          k[p] = a.dual().diagonal(k[p]);
        }
      } else if (step instanceof Normalize n) {
        spatial[n.index()] = k.clone();
        double[] s = n.scales(k);
        k = k.clone();
        t = t.clone();
        BlockJoin.normalize(k, k.length, true, s, 0, s, 0);
        BlockJoin.normalize(t, t.length, true, s, 0, s, 0);
      } else if (step instanceof Readout) {
        readK = SpatialReadout.flatten(k, k.length, true);
        readT = SpatialReadout.flatten(t, t.length, true);
      } else if (!(step instanceof Diagonalize)) {
        // (the approximation carries only diagonals: keeping them changes nothing)
        throw new IllegalStateException("no approximate variance rule for " + step);
      }
    }
    return finish(net, spatial, readK, readT);
  }

  /** {@code out(P) = Σ_δ v(P·s + δ − pad)}, out-of-image taps zero. */
  private static double[] windowSum(double[] v, Window w) {
    Grid in = w.in();
    Grid out = w.out();
    double[] o = new double[out.pixels()];
    for (int ph = 0; ph < out.height(); ph++) {
      for (int pw = 0; pw < out.width(); pw++) {
        double s = 0;
        for (int a = 0; a < w.height(); a++) {
          int ih = ph * w.strideHeight() + a - w.padTop();
          for (int b = 0; b < w.width(); b++) {
            int iw = pw * w.strideWidth() + b - w.padLeft();
            if (ih >= 0 && ih < in.height() && iw >= 0 && iw < in.width()) {
              s += v[ih * in.width() + iw];
            }
          }
        }
        o[ph * out.width() + pw] = s;
      }
    }
    return o;
  }
}
