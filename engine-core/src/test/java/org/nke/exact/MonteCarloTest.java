package org.nke.exact;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nke.Kernels;
import org.nke.arch.Activation;
import org.nke.arch.Architecture;
import org.nke.dual.ActivationFunction;
import org.nke.exact.ExactKernel.Kind;
import org.nke.testing.MonteCarloCheck;

/**
 * The exact kernels are the infinite-width limits of random finite networks: the empirical NNGP
 * (readout covariance over the last hidden layer) and the empirical NTK (sum over all parameters of
 * {@code ∂f(x)/∂θ · ∂f(y)/∂θ}, by backpropagation) of width-2000 networks in the NTK
 * parameterization, averaged over 8 seeds, lie within 4 standard errors (plus a small O(1/width) bias
 * allowance) of the exact kernels — for a closed-form (ReLU, Erf) and a numerical (Tanh) activation.
 */
class MonteCarloTest {
  private static final int WIDTH = 2000;
  private static final int SEEDS = 8;
  private static final double W1 = 1.5;
  private static final double B1 = 0.1;
  private static final double W2 = 1.5;
  private static final double B2 = 0.1;
  private static final double W3 = 1.5;

  @ParameterizedTest
  @ValueSource(strings = {"Relu()", "Erf()", "Tanh()"})
  void empiricalKernelsOfWideNetworksApproachTheExactKernels(String act) {
    String source = String.format(Locale.ROOT, "Dense(W_std=%s, b_std=%s), %s, Dense(W_std=%s, b_std=%s), %s, "
        + "Dense(W_std=%s)", W1, B1, act, W2, B2, act, W3);
    Architecture arch = Architecture.parse(source);
    ActivationFunction phi = ((Activation) arch.layers().get(1)).dual().function().orElseThrow();
    int n = 4;
    int d = 5;
    double[][] x = MonteCarloCheck.points(n, d, 2024);
    KernelPair exact = Kernels.of(arch).withBackend("cpu").compute(x, null, Kind.BOTH);
    double[][][] nngp = new double[SEEDS][n][n];
    double[][][] ntk = new double[SEEDS][n][n];
    for (int s = 0; s < SEEDS; s++) {
      network(new Random(100 + s), phi, x, nngp[s], ntk[s]);
    }
    MonteCarloCheck.assertWithinStandardErrors(act + " NNGP", exact.nngp(), nngp, WIDTH);
    MonteCarloCheck.assertWithinStandardErrors(act + " NTK", exact.ntk(), ntk, WIDTH);
  }

  /** One random network; fills the empirical NNGP and NTK between all pairs of points. */
  private static void network(Random rnd, ActivationFunction phi, double[][] x, double[][] nngp,
      double[][] ntk) {
    int n = x.length;
    int d = x[0].length;
    double[][] w1 = gaussian(rnd, WIDTH, d);
    double[] b1 = gaussian(rnd, 1, WIDTH)[0];
    double[][] w2 = gaussian(rnd, WIDTH, WIDTH);
    double[] b2 = gaussian(rnd, 1, WIDTH)[0];
    double[] w3 = gaussian(rnd, 1, WIDTH)[0];
    double[][] a1 = new double[n][WIDTH];
    double[][] a2 = new double[n][WIDTH];
    double[][] d1 = new double[n][WIDTH];
    double[][] d2 = new double[n][WIDTH];
    for (int p = 0; p < n; p++) {
      double[] h1 = new double[WIDTH];
      for (int i = 0; i < WIDTH; i++) {
        h1[i] = W1 / Math.sqrt(d) * dot(w1[i], x[p]) + B1 * b1[i];
        a1[p][i] = phi.value(h1[i]);
      }
      double[] h2 = new double[WIDTH];
      for (int i = 0; i < WIDTH; i++) {
        h2[i] = W2 / Math.sqrt(WIDTH) * dot(w2[i], a1[p]) + B2 * b2[i];
        a2[p][i] = phi.value(h2[i]);
        // δ2 = ∂f/∂h2 = W3/√N w3 ∘ φ'(h2)
        d2[p][i] = W3 / Math.sqrt(WIDTH) * w3[i] * phi.derivative(h2[i]);
      }
      // δ1 = (W2/√N W2ᵀ δ2) ∘ φ'(h1)
      double[] back = new double[WIDTH];
      for (int i = 0; i < WIDTH; i++) {
        double di = d2[p][i];
        double[] row = w2[i];
        for (int j = 0; j < WIDTH; j++) {
          back[j] += row[j] * di;
        }
      }
      for (int j = 0; j < WIDTH; j++) {
        d1[p][j] = W2 / Math.sqrt(WIDTH) * back[j] * phi.derivative(h1[j]);
      }
    }
    for (int p = 0; p < n; p++) {
      for (int q = 0; q < n; q++) {
        double aa2 = dot(a2[p], a2[q]);
        double aa1 = dot(a1[p], a1[q]);
        double dd2 = dot(d2[p], d2[q]);
        double dd1 = dot(d1[p], d1[q]);
        double xx = dot(x[p], x[q]);
        nngp[p][q] = W3 * W3 / WIDTH * aa2;
        ntk[p][q] = W3 * W3 / WIDTH * aa2                       // readout weights
            + W2 * W2 / WIDTH * dd2 * aa1 + B2 * B2 * dd2          // layer 2 weights, biases
            + W1 * W1 / d * dd1 * xx + B1 * B1 * dd1;              // layer 1 weights, biases
      }
    }
  }

  private static double[][] gaussian(Random rnd, int rows, int cols) {
    double[][] m = new double[rows][cols];
    for (double[] r : m) {
      for (int j = 0; j < cols; j++) {
        r[j] = rnd.nextGaussian();
      }
    }
    return m;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int k = 0; k < a.length; k++) {
      s += a[k] * b[k];
    }
    return s;
  }
}
