package org.nke.hermite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nke.dual.ActivationFunction;
import org.nke.dual.DualCatalog;

/**
 * {@link FunctionHermiteSource} evaluates the activation once per mirrored pair of nodes; its
 * coefficients and folding moments must be those of the plain node-by-node quadrature bit for bit
 * (the CUDA backend's in-kernel quadrature and its parity tests rely on that order of summation),
 * also when {@code φ} and {@code φ'} come from one pass ({@code coefficientsWithDerivative}).
 */
class FunctionHermiteSourceTest {
  /** The node-by-node quadrature, {@code c_k = Σ_i w_i φ(a z_i) h_k(z_i)}, folded as the source. */
  private static double[] plain(ActivationFunction fn, double scale, int q, boolean derivative,
      boolean fold) {
    double a = Math.max(scale, 0);
    return plain(fn, a, q, derivative, fold,
        fn.smooth() ? Math.min(2.0, Math.max(0.5, 4 / Math.max(a, 1e-300))) : 0.5);
  }

  private static double[] plain(ActivationFunction fn, double a, int q, boolean derivative,
      boolean fold, double panel) {
    double[][] rule = NormalExpectation.rule(a > 1 ? 1 / a : 1, panel);
    double[] c = new double[q + 1];
    double[] h = new double[q + 1];
    double even = 0;
    double odd = 0;
    for (int i = 0; i < rule[0].length; i++) {
      double z = rule[0][i];
      double w = rule[1][i];
      double f = derivative ? fn.derivative(a * z) : fn.value(a * z);
      double g = derivative ? fn.derivative(-a * z) : fn.value(-a * z);
      even += w * 0.5 * (f * f + f * g);
      odd += w * 0.5 * (f * f - f * g);
      HermitePolynomials.evaluate(z, q, h);
      for (int k = 0; k <= q; k++) {
        c[k] += w * f * h[k];
      }
    }
    if (fold) {
      HermiteSource.fold(c, even, odd);
    }
    return c;
  }

  @ParameterizedTest
  @ValueSource(strings = {"Gelu()", "Erf()", "Tanh()", "Sin()", "Sign()", "ABRelu(-0.3, 1.2)",
      "Gaussian()"})
  void pairedNodesGiveThePlainQuadratureBitForBit(String activation) {
    ActivationFunction fn = DualCatalog.byName(activation).function().orElseThrow();
    FunctionHermiteSource source = new FunctionHermiteSource(fn);
    for (double scale : new double[] {0, 0.3, 1, 1.7, 12.5}) {
      for (int q : new int[] {0, 1, 7, 20}) {
        for (boolean derivative : new boolean[] {false, true}) {
          for (boolean fold : new boolean[] {false, true}) {
            String what = activation + " a=" + scale + " q=" + q + " derivative=" + derivative
                + " fold=" + fold;
            assertArrayEquals(plain(fn, scale, q, derivative, fold),
                source.coefficients(scale, q, derivative, fold), 0, what);
          }
        }
        for (boolean fold : new boolean[] {false, true}) {
          double[][] both = source.coefficientsWithDerivative(scale, q, fold);
          assertArrayEquals(plain(fn, scale, q, false, fold), both[0], 0, activation + " both, value");
          assertArrayEquals(plain(fn, scale, q, true, fold), both[1], 0, activation + " both, φ'");
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"Gelu()", "Erf()", "Tanh()", "Sin()", "Sigmoid()", "Softplus()", "Swish()",
      "Mish()", "Gaussian()", "Exp(a=0.5, b=0.7)"})
  void smoothActivationsLoseNothingOnTheWiderPanels(String activation) {
    // against the finest rule (panels of at most 0.5, 880 nodes)
    ActivationFunction fn = DualCatalog.byName(activation).function().orElseThrow();
    FunctionHermiteSource source = new FunctionHermiteSource(fn);
    for (double a : new double[] {0.05, 0.3, 1, 2, 3, 5, 8}) {
      for (boolean derivative : new boolean[] {false, true}) {
        double[] fine = plain(fn, a, 30, derivative, false, 0.5);
        double[] got = source.coefficients(a, 30, derivative, false);
        double norm = 0;
        for (double v : fine) {
          norm += v * v;
        }
        for (int k = 0; k <= 30; k++) {
          org.junit.jupiter.api.Assertions.assertEquals(fine[k], got[k], 1e-13 * Math.sqrt(norm),
              activation + " a=" + a + " derivative=" + derivative + " k=" + k);
        }
      }
    }
  }
}
