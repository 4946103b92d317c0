package org.nke.sketch;

import org.nke.dual.DualActivation;
import org.nke.exact.DenseNetwork;
import org.nke.ir.FeatureMap;
import org.nke.ir.FeatureMerge;
import org.nke.ir.PointFeatures;

/**
 * The compiled sketch rules of the dense layers and fan-ins ({@link PlanSketcher} makes them): data a
 * device can mirror (the Dense and activation maps are what {@code CudaSketchOps} runs), each with its
 * CPU reference {@code apply}/{@code merge}. Formulas in {@code docs/formulas.md}, "Sketch joins".
 */
public final class FeatureOps {
  private FeatureOps() {
  }

  /**
   * {@code Dense}: {@code Φ_K ← [σ_w Φ_K, σ_b]}, {@code Φ_Θ ← [√a Φ_K, √b Φ_Θ, √c]} (a column only
   * where its constant is positive).
   *
   * @param step the layer's coefficients
   * @param nngpDim outgoing {@code Φ_K} width
   * @param ntkDim outgoing {@code Φ_Θ} width (0 for NNGP-only)
   */
  public record Affine(DenseNetwork.Affine step, int nngpDim, int ntkDim) implements FeatureMap {
    @Override
    public PointFeatures apply(PointFeatures in) {
      double[] phiK = in.nngp();
      double w = Math.sqrt(step.w2());
      double[] next = new double[phiK.length + (step.b2() > 0 ? 1 : 0)];
      for (int j = 0; j < phiK.length; j++) {
        next[j] = w * phiK[j];
      }
      if (step.b2() > 0) {
        next[phiK.length] = Math.sqrt(step.b2());
      }
      return new PointFeatures(next, in.ntk() == null ? null : theta(phiK, in.ntk()),
          in.variance());
    }

    /** {@code Φ_Θ ← [√a Φ_K, √b Φ_Θ, √c]} with the old {@code Φ_K}. */
    private double[] theta(double[] phiK, double[] phiT) {
      double[] t = new double[phiK.length + phiT.length + (step.ntkConstant() > 0 ? 1 : 0)];
      double sa = Math.sqrt(step.ntkFromNngp());
      double sb = Math.sqrt(step.ntkFromNtk());
      for (int j = 0; j < phiK.length; j++) {
        t[j] = sa * phiK[j];
      }
      for (int j = 0; j < phiT.length; j++) {
        t[phiK.length + j] = sb * phiT[j];
      }
      if (step.ntkConstant() > 0) {
        t[t.length - 1] = Math.sqrt(step.ntkConstant());
      }
      return t;
    }
  }

  /**
   * An activation: its {@link ActivationSketch} at the point's exact scale.
   *
   * @param sketch the layer's sketch (all draws)
   * @param dual the activation's dual
   * @param describe the layer, for notes
   */
  public record Activation(ActivationSketch sketch, DualActivation dual, String describe)
      implements FeatureMap {
    @Override
    public PointFeatures apply(PointFeatures in) {
      double[][] out = sketch.apply(in.nngp(), in.ntk(), in.variance());
      return new PointFeatures(out[0], out[1], in.variance());
    }

    @Override
    public int nngpDim() {
      return sketch.outputDim();
    }

    @Override
    public int ntkDim() {
      return sketch.thetaOutputDim();
    }
  }

  /**
   * {@code LayerNorm}: {@code Φ_K ← Φ_K / √(k + eps)}, {@code Φ_Θ ← Φ_Θ / √(k + eps)} with the point's
   * exact variance {@code k} (so that {@code ⟨Φ'(x), Φ'(y)⟩ = K(x, y)/√((k_x + eps)(k_y + eps))}).
   *
   * @param eps the layer's epsilon
   * @param nngpDim {@code Φ_K} width
   * @param ntkDim {@code Φ_Θ} width
   */
  public record Normalize(double eps, int nngpDim, int ntkDim) implements FeatureMap {
    @Override
    public PointFeatures apply(PointFeatures in) {
      double s = scale(in.variance());
      return new PointFeatures(scaled(in.nngp(), s), in.ntk() == null ? null : scaled(in.ntk(), s),
          in.variance());
    }

    /**
     * @param variance the point's {@code k} before the layer
     * @return the factor of its features, {@code 1/√(k + eps)}
     */
    public double scale(double variance) {
      return 1 / Math.sqrt(variance + eps);
    }

    private static double[] scaled(double[] x, double s) {
      double[] out = new double[x.length];
      for (int j = 0; j < x.length; j++) {
        out[j] = s * x[j];
      }
      return out;
    }
  }

  /**
   * A layer that leaves the features unchanged.
   *
   * @param nngpDim {@code Φ_K} width
   * @param ntkDim {@code Φ_Θ} width
   */
  public record Identity(int nngpDim, int ntkDim) implements FeatureMap {
    @Override
    public PointFeatures apply(PointFeatures in) {
      return in;
    }
  }

  /**
   * A re-sketch of a concatenation to the budget: {@code Φ ← S Φ} with a {@link LinearSketch}
   * ({@code E⟨SΦ(x), SΦ(y)⟩ = ⟨Φ(x), Φ(y)⟩}) for whichever of {@code Φ_K}, {@code Φ_Θ} is over its
   * width, the other unchanged.
   *
   * @param nngp the {@code Φ_K} projection, or {@code null}
   * @param ntk the {@code Φ_Θ} projection, or {@code null}
   * @param nngpDim outgoing {@code Φ_K} width
   * @param ntkDim outgoing {@code Φ_Θ} width
   */
  public record Project(LinearSketch nngp, LinearSketch ntk, int nngpDim, int ntkDim)
      implements FeatureMap {
    @Override
    public PointFeatures apply(PointFeatures in) {
      return new PointFeatures(project(nngp, in.nngp()), in.ntk() == null ? null
          : project(ntk, in.ntk()), in.variance());
    }

    private static double[] project(LinearSketch s, double[] x) {
      if (s == null) {
        return x;
      }
      double[] out = new double[s.outputs()];
      s.apply(x, 0, s.workspace(), out, 0, 1.0);
      return out;
    }
  }

  /**
   * FanInSum and FanInConcat: the features of {@code α K_acc + β K_i} are
   * {@code [√α Φ_acc, √β Φ_i]}, the same for {@code Θ} (exact: no draws).
   *
   * @param alpha the accumulator's weight
   * @param beta the branch's weight
   * @param nngpDim merged {@code Φ_K} width
   * @param ntkDim merged {@code Φ_Θ} width
   */
  public record Concatenate(double alpha, double beta, int nngpDim, int ntkDim)
      implements FeatureMerge {
    @Override
    public PointFeatures merge(PointFeatures acc, PointFeatures in) {
      return new PointFeatures(join(acc.nngp(), in.nngp()), acc.ntk() == null ? null
          : join(acc.ntk(), in.ntk()), acc.variance());
    }

    private double[] join(double[] a, double[] b) {
      double[] out = new double[a.length + b.length];
      double sa = Math.sqrt(alpha);
      double sb = Math.sqrt(beta);
      for (int j = 0; j < a.length; j++) {
        out[j] = sa * a[j];
      }
      for (int j = 0; j < b.length; j++) {
        out[a.length + j] = sb * b[j];
      }
      return out;
    }
  }

  /**
   * FanInProd: {@code K = K_acc K_i} by {@code Φ_K = T(Φ_K,acc ⊗ Φ_K,i)} and, by the product rule,
   * {@code Θ = Θ_acc K_i + K_acc Θ_i} by {@code Φ_Θ = [T'(Φ_Θ,acc ⊗ Φ_K,i), T''(Φ_K,acc ⊗ Φ_Θ,i)]},
   * each {@code T} a {@link TensorProduct} (exact where the product fits its width).
   *
   * @param nngp the NNGP product
   * @param thetaLeft {@code Θ_acc K_i}, or {@code null} (NNGP only)
   * @param thetaRight {@code K_acc Θ_i}, or {@code null}
   */
  public record Product(TensorProduct nngp, TensorProduct thetaLeft, TensorProduct thetaRight)
      implements FeatureMerge {
    @Override
    public PointFeatures merge(PointFeatures acc, PointFeatures in) {
      double[] k = nngp.apply(acc.nngp(), in.nngp());
      if (thetaLeft == null) {
        return new PointFeatures(k, null, acc.variance());
      }
      double[] left = thetaLeft.apply(acc.ntk(), in.nngp());
      double[] right = thetaRight.apply(acc.nngp(), in.ntk());
      double[] t = new double[left.length + right.length];
      System.arraycopy(left, 0, t, 0, left.length);
      System.arraycopy(right, 0, t, left.length, right.length);
      return new PointFeatures(k, t, acc.variance());
    }

    @Override
    public int nngpDim() {
      return nngp.width();
    }

    @Override
    public int ntkDim() {
      return thetaLeft == null ? 0 : thetaLeft.width() + thetaRight.width();
    }
  }
}
