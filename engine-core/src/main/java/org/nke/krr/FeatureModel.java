package org.nke.krr;

import org.nke.exact.ExactKernel.Kind;
import org.nke.sketch.PlanSpec;

/**
 * A model on the features of a plan: primal weights {@code W} ({@code p × c}) and
 * {@code f(x) = Φ(x)ᵀ W}, with {@code Φ} the plan's features ({@link FeatureRidge}).
 */
public sealed interface FeatureModel extends RidgeModel
    permits SketchModel, CntkSketchModel, SubspaceModel {
  /** @return everything the features depend on (options, shape, adaptation sample, standardization) */
  PlanSpec plan();

  /**
   * @return the primal ensemble posterior of a sketch model fitted with it
   *     ({@link RidgeFit#uncertainty}), or {@code null}
   */
  default FeatureEnsemblePosterior posterior() {
    return null;
  }

  @Override
  default String architecture() {
    return plan().architecture();
  }

  @Override
  default Kind kind() {
    return plan().options().ntk() ? Kind.NTK : Kind.NNGP;
  }

  @Override
  default int inputDim() {
    return plan().inputSize();
  }

  /** @return the plan's method: {@code sketch} (points or images) or {@code subspace} */
  @Override
  default String method() {
    return plan().method().toString();
  }
}
