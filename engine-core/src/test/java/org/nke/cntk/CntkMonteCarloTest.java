package org.nke.cntk;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nke.Kernels;
import org.nke.arch.Activation;
import org.nke.arch.Architecture;
import org.nke.arch.AvgPool;
import org.nke.arch.Conv;
import org.nke.arch.Dense;
import org.nke.arch.GlobalAvgPool;
import org.nke.arch.Layer;
import org.nke.arch.Padding;
import org.nke.dual.ActivationFunction;
import org.nke.exact.ExactKernel.Kind;
import org.nke.exact.KernelPair;
import org.nke.ir.ImageBatch;
import org.nke.spi.KernelMatrix;
import org.nke.testing.MonteCarloCheck;

/**
 * The exact CNTK is the infinite-channel limit of random finite CNNs: the empirical NNGP (readout
 * covariance over the last hidden layer) and the empirical NTK (sum over all parameters of
 * {@code ∂f(x)/∂θ · ∂f(y)/∂θ}, by backpropagation) of {@value #CHANNELS}-channel CNNs in the NTK
 * parameterization, averaged over {@value #SEEDS} seeds, lie within 4 standard errors (plus a small
 * O(1/channels) bias allowance) of the exact kernels on a few 8 × 8 × 3 images. The CNN is written
 * here from stax's {@code apply_fn} conventions (weights N(0, 1), scaled by {@code σ_w/√fan_in}; biases
 * scaled by {@code σ_b}).
 */
class CntkMonteCarloTest {
  private static final int CHANNELS = 256;
  private static final int SEEDS = 8;

  @ParameterizedTest
  @ValueSource(strings = {
      "Conv(256, (3, 3), padding='SAME', W_std=1.5, b_std=0.1), Relu(), AvgPool((2, 2), strides=(2, 2)), "
          + "Conv(256, (3, 3), padding='SAME', W_std=1.5, b_std=0.1), Relu(), Flatten(), "
          + "Dense(1, W_std=1.2, b_std=0.1)",
      "Conv(256, (3, 3), W_std=1.4, b_std=0.2), Erf(), Conv(256, (3, 3), padding='SAME', W_std=1.3), "
          + "Relu(), GlobalAvgPool(), Dense(1, W_std=1.1)"})
  void empiricalKernelsOfWideCnnsApproachTheExactCntk(String source) {
    Architecture arch = Architecture.parse(source);
    ImageBatch x = ExactCntkTest.images(21, 3, 8, 8, 3);
    KernelPair exact = Kernels.of(arch).withBackend("cpu").compute(x, null, Kind.BOTH);
    int n = x.count();
    double[][][] nngp = new double[SEEDS][n][n];
    double[][][] ntk = new double[SEEDS][n][n];
    for (int s = 0; s < SEEDS; s++) {
      Cnn net = new Cnn(arch, new Random(500 + s));
      List<double[]> grads = new ArrayList<>();
      List<double[]> features = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        double[][] img = new double[64][3];
        for (int p = 0; p < 64; p++) {
          for (int c = 0; c < 3; c++) {
            img[p][c] = x.get(i, p / 8, p % 8, c);
          }
        }
        double[][] g = new double[1][];
        features.add(net.gradient(img, g));
        grads.add(g[0]);
      }
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          nngp[s][i][j] = net.readoutW2 / features.get(i).length * dot(features.get(i), features.get(j))
              + net.readoutB2;
          ntk[s][i][j] = dot(grads.get(i), grads.get(j));
        }
      }
    }
    MonteCarloCheck.assertWithinStandardErrors("NNGP", exact.nngp(), nngp, CHANNELS);
    MonteCarloCheck.assertWithinStandardErrors("NTK", exact.ntk(), ntk, CHANNELS);
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int k = 0; k < a.length; k++) {
      s += a[k] * b[k];
    }
    return s;
  }

  /** A random finite CNN (square odd or even filters, stride 1, 2 × 2 pools) with backpropagation. */
  private static final class Cnn {
    final List<Layer> layers;
    final List<double[][][][]> weights = new ArrayList<>();
    final List<double[]> biases = new ArrayList<>();
    final double[] readout;
    final double readoutB;
    final double readoutW2;
    final double readoutB2;
    final boolean gap;

    Cnn(Architecture arch, Random rnd) {
      layers = arch.layers();
      int cin = 3;
      Dense last = null;
      boolean g = false;
      for (Layer l : layers) {
        if (l instanceof Conv c) {
          double[][][][] w = new double[c.filterHeight()][c.filterWidth()][cin][CHANNELS];
          for (double[][][] a : w) {
            for (double[][] b : a) {
              for (double[] i : b) {
                for (int o = 0; o < CHANNELS; o++) {
                  i[o] = rnd.nextGaussian();
                }
              }
            }
          }
          double[] b = new double[CHANNELS];
          for (int o = 0; o < CHANNELS; o++) {
            b[o] = rnd.nextGaussian();
          }
          weights.add(w);
          biases.add(b);
          cin = CHANNELS;
        } else if (l instanceof Dense d) {
          last = d;
        } else if (l instanceof GlobalAvgPool) {
          g = true;
        }
      }
      gap = g;
      int d = gap ? CHANNELS : 16 * CHANNELS;
      readout = new double[d];
      for (int k = 0; k < d; k++) {
        readout[k] = rnd.nextGaussian();
      }
      readoutB = rnd.nextGaussian();
      readoutW2 = last.wStd() * last.wStd();
      readoutB2 = last.bStd() * last.bStd();
    }

    /**
     * @param img {@code [pixel][channel]} of an 8 × 8 image
     * @param grad receives the gradient of the output with respect to all parameters
     * @return the last hidden layer's features (the readout's input)
     */
    double[] gradient(double[][] img, double[][] grad) {
      List<double[][]> inputs = new ArrayList<>();
      List<int[]> grids = new ArrayList<>();
      double[][] a = img;
      int side = 8;
      int conv = 0;
      for (Layer l : layers) {
        inputs.add(a);
        grids.add(new int[] {side});
        if (l instanceof Conv c) {
          int lo = c.padding() == Padding.SAME ? (c.filterHeight() - 1) / 2 : 0;
          int out = c.padding() == Padding.SAME ? side : side - c.filterHeight() + 1;
          a = convForward(a, side, out, lo, weights.get(conv), biases.get(conv), c);
          side = out;
          conv++;
        } else if (l instanceof Activation act) {
          ActivationFunction phi = act.dual().function().orElseThrow();
          double[][] z = a;
          a = new double[z.length][z[0].length];
          for (int p = 0; p < z.length; p++) {
            for (int o = 0; o < z[0].length; o++) {
              a[p][o] = phi.value(z[p][o]);
            }
          }
        } else if (l instanceof AvgPool) {
          int out = side / 2;
          double[][] pooled = new double[out * out][a[0].length];
          for (int p = 0; p < out * out; p++) {
            for (int q = 0; q < 4; q++) {
              double[] src = a[(2 * (p / out) + q / 2) * side + 2 * (p % out) + q % 2];
              for (int o = 0; o < src.length; o++) {
                pooled[p][o] += src[o] / 4;
              }
            }
          }
          a = pooled;
          side = out;
        }
      }
      double[] v = gap ? new double[CHANNELS] : new double[a.length * CHANNELS];
      for (int p = 0; p < a.length; p++) {
        for (int o = 0; o < CHANNELS; o++) {
          if (gap) {
            v[o] += a[p][o] / a.length;
          } else {
            v[p * CHANNELS + o] = a[p][o];
          }
        }
      }
      // Backward: g = ∂f/∂(current activations); parameter gradients collected in order.
      List<double[]> parts = new ArrayList<>();
      double scale = Math.sqrt(readoutW2 / v.length);
      double[] gr = new double[v.length];
      for (int k = 0; k < v.length; k++) {
        gr[k] = scale * v[k];
      }
      parts.add(gr);
      parts.add(new double[] {Math.sqrt(readoutB2)});
      double[][] g = new double[a.length][CHANNELS];
      for (int p = 0; p < a.length; p++) {
        for (int o = 0; o < CHANNELS; o++) {
          g[p][o] = scale * readout[gap ? o : p * CHANNELS + o] / (gap ? a.length : 1);
        }
      }
      conv = weights.size();
      for (int li = layers.size() - 1; li >= 0; li--) {
        Layer l = layers.get(li);
        double[][] in = inputs.get(li);
        int inSide = grids.get(li)[0];
        if (l instanceof Conv c) {
          conv--;
          int lo = c.padding() == Padding.SAME ? (c.filterHeight() - 1) / 2 : 0;
          g = convBackward(in, inSide, g, lo, weights.get(conv), c, parts);
        } else if (l instanceof Activation act) {
          ActivationFunction phi = act.dual().function().orElseThrow();
          for (int p = 0; p < g.length; p++) {
            for (int o = 0; o < g[0].length; o++) {
              g[p][o] *= phi.derivative(in[p][o]);
            }
          }
        } else if (l instanceof AvgPool) {
          double[][] up = new double[inSide * inSide][g[0].length];
          int out = inSide / 2;
          for (int p = 0; p < out * out; p++) {
            for (int q = 0; q < 4; q++) {
              double[] dst = up[(2 * (p / out) + q / 2) * inSide + 2 * (p % out) + q % 2];
              for (int o = 0; o < dst.length; o++) {
                dst[o] += g[p][o] / 4;
              }
            }
          }
          g = up;
        }
      }
      int total = parts.stream().mapToInt(x -> x.length).sum();
      double[] all = new double[total];
      int at = 0;
      for (double[] part : parts) {
        System.arraycopy(part, 0, all, at, part.length);
        at += part.length;
      }
      grad[0] = all;
      return v;
    }

    private static double[][] convForward(double[][] in, int side, int out, int lo, double[][][][] w,
        double[] b, Conv c) {
      int f = c.filterHeight();
      int cin = in[0].length;
      double norm = c.wStd() / Math.sqrt(f * f * cin);
      double[][] z = new double[out * out][CHANNELS];
      for (int p = 0; p < out * out; p++) {
        double[] zp = z[p];
        for (int da = 0; da < f; da++) {
          int h = p / out + da - lo;
          for (int db = 0; db < f; db++) {
            int x = p % out + db - lo;
            if (h < 0 || h >= side || x < 0 || x >= side) {
              continue;
            }
            double[] src = in[h * side + x];
            for (int i = 0; i < cin; i++) {
              double s = norm * src[i];
              double[] wi = w[da][db][i];
              for (int o = 0; o < CHANNELS; o++) {
                zp[o] += wi[o] * s;
              }
            }
          }
        }
        for (int o = 0; o < CHANNELS; o++) {
          zp[o] += c.bStd() * b[o];
        }
      }
      return z;
    }

    /** Adds the weight and bias gradients to {@code parts}; returns ∂f/∂input. */
    private static double[][] convBackward(double[][] in, int side, double[][] g, int lo,
        double[][][][] w, Conv c, List<double[]> parts) {
      int f = c.filterHeight();
      int cin = in[0].length;
      int out = (int) Math.round(Math.sqrt(g.length));
      double norm = c.wStd() / Math.sqrt(f * f * cin);
      double[] gw = new double[f * f * cin * CHANNELS];
      double[] gb = new double[CHANNELS];
      double[][] gin = new double[side * side][cin];
      for (int p = 0; p < out * out; p++) {
        double[] gp = g[p];
        for (int o = 0; o < CHANNELS; o++) {
          gb[o] += c.bStd() * gp[o];
        }
        for (int da = 0; da < f; da++) {
          int h = p / out + da - lo;
          for (int db = 0; db < f; db++) {
            int x = p % out + db - lo;
            if (h < 0 || h >= side || x < 0 || x >= side) {
              continue;
            }
            double[] src = in[h * side + x];
            double[] dst = gin[h * side + x];
            for (int i = 0; i < cin; i++) {
              double[] wi = w[da][db][i];
              int base = ((da * f + db) * cin + i) * CHANNELS;
              double s = norm * src[i];
              double back = 0;
              for (int o = 0; o < CHANNELS; o++) {
                gw[base + o] += s * gp[o];
                back += wi[o] * gp[o];
              }
              dst[i] += norm * back;
            }
          }
        }
      }
      parts.add(gw);
      parts.add(gb);
      return gin;
    }
  }
}
