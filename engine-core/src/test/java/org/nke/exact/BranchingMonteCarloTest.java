package org.nke.exact;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nke.Kernels;
import org.nke.arch.Architecture;
import org.nke.exact.ExactKernel.Kind;
import org.nke.testing.MonteCarloCheck;

/**
 * Branching networks and LayerNorm are the infinite-width limits of random finite networks with the
 * same branches: the empirical NNGP (readout covariance over the last hidden layer) and NTK (sum over
 * every weight and bias of {@code ∂f(x)/∂θ · ∂f(y)/∂θ}, by hand-written backpropagation) of width
 * {@value #WIDTH} networks in the NTK parameterization, over {@value #SEEDS} seeds, lie within 4
 * standard errors (plus an O(1/width) bias allowance) of the exact kernels: a residual block with
 * LayerNorm, a FanInProd of two Dense branches, and a FanInConcat of branches of widths n and n/2.
 */
class BranchingMonteCarloTest {
  private static final int WIDTH = 1024;
  private static final int SEEDS = 8;

  /** One fully connected layer {@code z = σ_w W a / √n_in + σ_b b} with N(0, 1) parameters. */
  private static final class Layer {
    final double[][] w;
    final double[] b;
    final double ws;
    final double bs;

    Layer(Random r, int in, int out, double ws, double bs) {
      w = new double[out][in];
      b = new double[out];
      for (int i = 0; i < out; i++) {
        for (int j = 0; j < in; j++) {
          w[i][j] = r.nextGaussian();
        }
        b[i] = r.nextGaussian();
      }
      this.ws = ws;
      this.bs = bs;
    }

    double[] forward(double[] a) {
      double[] z = new double[w.length];
      double c = ws / Math.sqrt(a.length);
      for (int i = 0; i < z.length; i++) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
          s += w[i][j] * a[j];
        }
        z[i] = c * s + bs * b[i];
      }
      return z;
    }

    /** @return {@code ∂f/∂a} from {@code ∂f/∂z} */
    double[] backward(double[] dz, int in) {
      double[] da = new double[in];
      double c = ws / Math.sqrt(in);
      for (int i = 0; i < dz.length; i++) {
        for (int j = 0; j < in; j++) {
          da[j] += c * w[i][j] * dz[i];
        }
      }
      return da;
    }
  }

  /** Per point: the readout's input, and per layer its input {@code a} and output gradient {@code δ}. */
  private record Trace(double[] last, List<double[]> inputs, List<double[]> deltas) {
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static double[] relu(double[] z) {
    double[] o = new double[z.length];
    for (int i = 0; i < z.length; i++) {
      o[i] = Math.max(z[i], 0);
    }
    return o;
  }

  private static double[] reluBack(double[] z, double[] g) {
    double[] o = new double[z.length];
    for (int i = 0; i < z.length; i++) {
      o[i] = z[i] > 0 ? g[i] : 0;
    }
    return o;
  }

  private static double[] add(double[] a, double[] b) {
    double[] o = a.clone();
    for (int i = 0; i < o.length; i++) {
      o[i] += b[i];
    }
    return o;
  }

  /** One random network of the named kind, traced at one point. */
  private static Trace trace(String net, Layer[] l, double[] x) {
    int n = WIDTH;
    double[] h = l[0].forward(x);
    List<double[]> in = new ArrayList<>();
    List<double[]> dl = new ArrayList<>();
    switch (net) {
      case "residual" -> {
        double[] r1 = relu(h);
        double[] s = add(h, l[1].forward(r1));
        double mean = 0;
        for (double v : s) {
          mean += v / n;
        }
        double var = 0;
        for (double v : s) {
          var += (v - mean) * (v - mean) / n;
        }
        double sd = Math.sqrt(var + 1e-12);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
          y[i] = (s[i] - mean) / sd;
        }
        double[] last = relu(y);
        double[] dy = reluBack(y, l[2].backward(new double[] {1}, n));
        double mg = 0;
        double mgy = 0;
        for (int i = 0; i < n; i++) {
          mg += dy[i] / n;
          mgy += dy[i] * y[i] / n;
        }
        double[] ds = new double[n];
        for (int i = 0; i < n; i++) {
          ds[i] = (dy[i] - mg - y[i] * mgy) / sd;     // LayerNorm's backward pass
        }
        double[] dh = add(ds, reluBack(h, l[1].backward(ds, n)));
        in.addAll(List.of(x, r1, last));
        dl.addAll(List.of(dh, ds, new double[] {1}));
        return new Trace(last, in, dl);
      }
      case "product" -> {
        double[] r1 = relu(h);
        double[] a = l[1].forward(h);
        double[] b = l[2].forward(r1);
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
          p[i] = a[i] * b[i];
        }
        double[] dp = l[3].backward(new double[] {1}, n);
        double[] da = new double[n];
        double[] db = new double[n];
        for (int i = 0; i < n; i++) {
          da[i] = dp[i] * b[i];
          db[i] = dp[i] * a[i];
        }
        double[] dh = add(l[1].backward(da, n), reluBack(h, l[2].backward(db, n)));
        in.addAll(List.of(x, h, r1, p));
        dl.addAll(List.of(dh, da, db, new double[] {1}));
        return new Trace(p, in, dl);
      }
      default -> {
        double[] r1 = relu(h);
        double[] a = l[1].forward(h);
        double[] c = l[2].forward(r1);
        double[] cat = new double[a.length + c.length];
        System.arraycopy(a, 0, cat, 0, a.length);
        System.arraycopy(c, 0, cat, a.length, c.length);
        double[] dcat = l[3].backward(new double[] {1}, cat.length);
        double[] da = java.util.Arrays.copyOfRange(dcat, 0, a.length);
        double[] dc = java.util.Arrays.copyOfRange(dcat, a.length, cat.length);
        double[] dh = add(l[1].backward(da, n), reluBack(h, l[2].backward(dc, n)));
        in.addAll(List.of(x, h, r1, cat));
        dl.addAll(List.of(dh, da, dc, new double[] {1}));
        return new Trace(cat, in, dl);
      }
    }
  }

  private static Layer[] layers(String net, Random r, int d) {
    int n = WIDTH;
    return switch (net) {
      case "residual" -> new Layer[] {new Layer(r, d, n, 1.5, 0), new Layer(r, n, n, 1.5, 0),
          new Layer(r, n, 1, 1.0, 0)};
      case "product" -> new Layer[] {new Layer(r, d, n, 1.2, 0.1), new Layer(r, n, n, 0.9, 0),
          new Layer(r, n, n, 1.5, 0.3), new Layer(r, n, 1, 1.0, 0)};
      default -> new Layer[] {new Layer(r, d, n, 1.0, 0), new Layer(r, n, n, 1.3, 0),
          new Layer(r, n, n / 2, 2.0, 0), new Layer(r, 3 * n / 2, 1, 1.2, 0.2)};
    };
  }

  private static String arch(String net) {
    return switch (net) {
      case "residual" -> "Dense(W_std=1.5), FanOut(2), parallel(Identity(), serial(Relu(), "
          + "Dense(W_std=1.5))), FanInSum(), LayerNorm(), Relu(), Dense()";
      case "product" -> "Dense(W_std=1.2, b_std=0.1), FanOut(2), parallel(Dense(W_std=0.9), "
          + "serial(Relu(), Dense(W_std=1.5, b_std=0.3))), FanInProd(), Dense()";
      default -> "Dense(1024), FanOut(2), parallel(Dense(1024, W_std=1.3), serial(Relu(), "
          + "Dense(512, W_std=2.0))), FanInConcat(), Dense(1, W_std=1.2, b_std=0.2)";
    };
  }

  @ParameterizedTest
  @ValueSource(strings = {"residual", "product", "concat"})
  void empiricalKernelsOfWideBranchingNetworksApproachTheExactKernels(String net) {
    int n = 4;
    int d = 5;
    double[][] x = MonteCarloCheck.points(n, d, 77);
    KernelPair exact = Kernels.of(Architecture.parse(arch(net))).withBackend("cpu").compute(x, null,
        Kind.BOTH);
    double[][][] nngp = new double[SEEDS][n][n];
    double[][][] ntk = new double[SEEDS][n][n];
    for (int s = 0; s < SEEDS; s++) {
      Layer[] l = layers(net, new Random(500 + s), d);
      Layer readout = l[l.length - 1];
      Trace[] t = new Trace[n];
      for (int i = 0; i < n; i++) {
        t[i] = trace(net, l, x[i]);
      }
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          int last = t[i].last().length;
          nngp[s][i][j] = readout.ws * readout.ws / last * dot(t[i].last(), t[j].last())
              + readout.bs * readout.bs;
          double k = 0;
          for (int q = 0; q < l.length; q++) {
            double dd = dot(t[i].deltas().get(q), t[j].deltas().get(q));
            k += l[q].ws * l[q].ws / t[i].inputs().get(q).length
                * dot(t[i].inputs().get(q), t[j].inputs().get(q)) * dd + l[q].bs * l[q].bs * dd;
          }
          ntk[s][i][j] = k;
        }
      }
    }
    MonteCarloCheck.assertWithinStandardErrors(net + " NNGP", exact.nngp(), nngp, WIDTH);
    MonteCarloCheck.assertWithinStandardErrors(net + " NTK", exact.ntk(), ntk, WIDTH);
  }

}
