package org.nke.sketch;

import org.nke.hermite.HermiteSource;

/**
 * Random features of one activation layer for general activations and inputs of any norm (Han et al.
 * 2022, §4; {@code shared/spec/maths.md}). With the exact pre-activation variance {@code k(x)} from the
 * diagonal recursion, {@code a = √k(x)}, and the unit direction {@code u = Φ_K(x) / ‖Φ_K(x)‖} of the
 * incoming NNGP features,
 *
 * <pre>{@code
 * Φ_K'(x) = [ c̃_0(a), c̃_1(a) S_1(u), c̃_2(a) S_2(u^{⊗2}), …, c̃_q(a) S_q(u^{⊗q}) ]
 * Φ_K̇(x) = [ c̃'_0(a), c̃'_1(a) S_1(u), …, c̃'_q(a) S_q(u^{⊗q}) ]
 * Φ_Θ'(x) = TS(Φ_Θ(x) ⊗ Φ_K̇(x))
 * }</pre>
 *
 * so {@code ⟨Φ_K'(x), Φ_K'(y)⟩ ≈ Σ_k c̃_k(a) c̃_k(b) ρ^k = E[φ(u)φ(v)]} and
 * {@code ⟨Φ_Θ'(x), Φ_Θ'(y)⟩ ≈ Θ(x, y) · E[φ'(u)φ'(v)]}. The coefficients are taken at each point's own
 * scale and folded ({@link HermiteSource}), {@code S_1} is the identity when the input is narrower than
 * its share (else a {@link LinearSketch}), {@code S_k} ({@code k ≥ 2}) is a {@link PolySketch}; the
 * NNGP and derivative features share the same sketches. Degree {@code k} gets a width proportional to
 * its coefficient mass.
 */
public final class ActivationSketch {
  private final HermiteSource source;
  private final int degree;
  private final int inputDim;
  private final boolean exactLinear;
  private final LinearSketch linear;
  private final PolySketch poly;
  private final int outputDim;
  private final Srht thetaTransform;
  private final Srht derivTransform;
  private final TensorSrht thetaProduct;
  private final int thetaInputDim;

  /**
   * @param source Hermite coefficients of the activation
   * @param inputDim length of the incoming NNGP features
   * @param layout the block widths
   * @param thetaInputDim length of the incoming NTK features (0 for NNGP-only sketches)
   * @param thetaOutputDim real NTK outputs (even; ignored for NNGP-only)
   * @param seed root seed
   * @param layer index of this layer (seed path)
   */
  public ActivationSketch(HermiteSource source, int inputDim, BlockLayout layout, int thetaInputDim,
      int thetaOutputDim, long seed, int layer) {
    this.source = source;
    this.degree = layout.degree();
    this.inputDim = inputDim;
    this.exactLinear = layout.exactLinear();
    this.linear = !exactLinear && layout.linearWidth() > 0
        ? new LinearSketch(inputDim, layout.linearWidth(), SketchRandom.derive(seed, layer, 1)) : null;
    this.poly = new PolySketch(inputDim, layout.polyWidths(), seed, layer, 2);
    this.outputDim = layout.total();
    this.thetaInputDim = thetaInputDim;
    if (thetaInputDim > 0) {
      this.thetaTransform = new Srht(thetaInputDim, false, SketchRandom.derive(seed, layer, 3, 0));
      this.derivTransform = new Srht(outputDim, false, SketchRandom.derive(seed, layer, 3, 1));
      this.thetaProduct = new TensorSrht(thetaOutputDim / 2, thetaTransform.size(),
          derivTransform.size(), SketchRandom.derive(seed, layer, 3, 2));
    } else {
      this.thetaTransform = null;
      this.derivTransform = null;
      this.thetaProduct = null;
    }
  }

  /** @return length of the outgoing NNGP features */
  public int outputDim() {
    return outputDim;
  }

  /** @return length of the outgoing NTK features (0 for NNGP-only) */
  public int thetaOutputDim() {
    return thetaProduct == null ? 0 : 2 * thetaProduct.outputs();
  }

  /** @return the truncation degree */
  public int degree() {
    return degree;
  }

  /**
   * Maps one point's features through the layer.
   *
   * @param phiK incoming NNGP features (length {@code inputDim}), not modified
   * @param phiT incoming NTK features or {@code null}, not modified
   * @param variance the exact pre-activation variance {@code k(x)}
   * @return {@code {Φ_K', Φ_Θ'}} ({@code Φ_Θ'} null for NNGP-only)
   */
  public double[][] apply(double[] phiK, double[] phiT, double variance) {
    double norm = 0;
    for (double v : phiK) {
      norm += v * v;
    }
    norm = Math.sqrt(norm);
    double[] u = new double[inputDim];
    if (norm > 0) {
      for (int j = 0; j < inputDim; j++) {
        u[j] = phiK[j] / norm;
      }
    }
    double a = Math.sqrt(Math.max(variance, 0));
    boolean ntk = phiT != null && thetaProduct != null;
    double[][] cd = ntk ? source.coefficientsWithDerivative(a, degree, true)
        : new double[][] {source.coefficients(a, degree, false, true), null};
    double[] c = cd[0];
    double[] d = cd[1];
    double[] k = new double[outputDim];
    double[] kd = ntk ? new double[outputDim] : null;
    // degree 0: a constant
    k[0] = c[0];
    if (ntk) {
      kd[0] = d[0];
    }
    int at = 1;
    if (degree >= 1) {
      int width;
      double[] s1;
      if (exactLinear) {
        s1 = u;
        width = inputDim;
      } else if (linear != null) {
        s1 = new double[linear.outputs()];
        linear.apply(u, 0, linear.workspace(), s1, 0, 1.0);
        width = s1.length;
      } else {
        s1 = new double[0];
        width = 0;
      }
      scaleInto(s1, width, c[1], k, at);
      if (ntk) {
        scaleInto(s1, width, d[1], kd, at);
      }
      at += width;
    }
    double[][] powers = poly.apply(u, 0);
    for (int deg = 2; deg <= degree; deg++) {
      if (powers[deg] == null) {
        continue;
      }
      scaleInto(powers[deg], powers[deg].length, c[deg], k, at);
      if (ntk) {
        scaleInto(powers[deg], powers[deg].length, d[deg], kd, at);
      }
      at += powers[deg].length;
    }
    double[] t = null;
    if (ntk) {
      double[] x = thetaTransform.workspace();
      thetaTransform.transform(phiT, 0, x);
      double[] y = derivTransform.workspace();
      derivTransform.transform(kd, 0, y);
      t = new double[2 * thetaProduct.outputs()];
      thetaProduct.product(x, y, t, 0, 1.0);
    }
    return new double[][] {k, t};
  }

  private static void scaleInto(double[] src, int len, double factor, double[] dst, int at) {
    for (int j = 0; j < len; j++) {
      dst[at + j] = factor * src[j];
    }
  }

  /** @return length of incoming NTK features this layer was built for */
  public int thetaInputDim() {
    return thetaInputDim;
  }

  /** @return length of the incoming NNGP features */
  public int inputDim() {
    return inputDim;
  }

  /** @return the Hermite coefficients of the activation */
  public HermiteSource source() {
    return source;
  }

  /** @return whether degree 1 is the normalised input itself */
  public boolean exactLinear() {
    return exactLinear;
  }

  /** @return the degree-1 sketch, or {@code null} (exact, or no degree-1 features) */
  public LinearSketch linear() {
    return linear;
  }

  /** @return the sketches of degrees 2 and up */
  public PolySketch poly() {
    return poly;
  }

  /** @return the transform of the incoming NTK features, or {@code null} (NNGP only) */
  public Srht thetaTransform() {
    return thetaTransform;
  }

  /** @return the transform of the derivative features, or {@code null} */
  public Srht derivTransform() {
    return derivTransform;
  }

  /** @return the TensorSRHT of the NTK features, or {@code null} */
  public TensorSrht thetaProduct() {
    return thetaProduct;
  }
}
