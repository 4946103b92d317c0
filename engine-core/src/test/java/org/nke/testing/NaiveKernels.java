package org.nke.testing;

import org.nke.arch.Activation;
import org.nke.arch.Architecture;
import org.nke.arch.Dense;
import org.nke.arch.Layer;
import org.nke.arch.Parameterization;
import org.nke.dual.ActivationFunction;
import org.nke.dual.DualActivation;

/**
 * Deliberately naive references for dense networks: a per-pair loop over the layers, with no
 * blocking, no diagonal caching and no backend. {@link #kernels} uses the library's dual maps (it
 * checks the orchestration); {@link #integrated} evaluates every Gaussian expectation by
 * {@link ReferenceIntegrals} from the pointwise activations (it checks everything).
 */
public final class NaiveKernels {
  private NaiveKernels() {
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int k = 0; k < a.length; k++) {
      s += a[k] * b[k];
    }
    return s / a.length;
  }

  /**
   * @param arch a dense architecture
   * @param x a point
   * @param y a point
   * @return {NNGP, NTK} at {@code (x, y)}
   */
  public static double[] kernels(Architecture arch, double[] x, double[] y) {
    return walk(arch, x, y, null);
  }

  /**
   * @param arch a dense architecture
   * @param x a point
   * @param y a point
   * @param ref the integrator
   * @return {NNGP, NTK} at {@code (x, y)}, all expectations integrated numerically
   */
  public static double[] integrated(Architecture arch, double[] x, double[] y, ReferenceIntegrals ref) {
    return walk(arch, x, y, ref);
  }

  private static double[] walk(Architecture arch, double[] x, double[] y, ReferenceIntegrals ref) {
    double kxx = dot(x, x);
    double kyy = dot(y, y);
    double kxy = dot(x, y);
    double t = 0;
    int width = x.length;
    for (Layer layer : arch.layers()) {
      if (layer instanceof Dense d) {
        double w2 = d.wStd() * d.wStd();
        double b2 = d.bStd() * d.bStd();
        if (d.parameterization() == Parameterization.NTK) {
          t = w2 * kxy + b2 + w2 * t;
        } else {
          t = width * kxy + w2 * t + (d.hasBias() ? 1 : 0);
        }
        kxx = w2 * kxx + b2;
        kyy = w2 * kyy + b2;
        kxy = w2 * kxy + b2;
        width = d.width();
      } else if (layer instanceof Activation a) {
        DualActivation dual = a.dual();
        double nxx;
        double nyy;
        double nxy;
        double dot;
        if (ref == null) {
          nxx = dual.value(kxx, kxx, kxx);
          nyy = dual.value(kyy, kyy, kyy);
          nxy = dual.value(kxx, kyy, kxy);
          dot = dual.derivative(kxx, kyy, kxy);
        } else {
          ActivationFunction f = dual.function().orElseThrow();
          nxx = ref.expectation(z -> f.value(z) * f.value(z), kxx);
          nyy = ref.expectation(z -> f.value(z) * f.value(z), kyy);
          nxy = ref.expectation(f::value, f::value, kxx, kyy, kxy);
          dot = ref.expectation(f::derivative, f::derivative, kxx, kyy, kxy);
        }
        t *= dot;
        kxx = nxx;
        kyy = nyy;
        kxy = nxy;
      }
    }
    return new double[] {kxy, t};
  }
}
