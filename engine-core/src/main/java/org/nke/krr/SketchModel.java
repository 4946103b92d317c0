package org.nke.krr;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nke.krr.Inference.Prediction;
import org.nke.krr.Inference.Uncertainty;
import org.nke.sketch.PlanSpec;
import org.nke.spi.Backend;
import org.nke.spi.Precision;
import org.nke.spi.Progress;
import org.nke.util.Checks;

/**
 * Kernel ridge regression on the dense sketch features of a fully connected network's NNGP or NTK
 * ({@link org.nke.sketch.SketchPlan}): {@code f(x) = Φ(x)ᵀ W} ({@link FeatureRidge}), the features
 * those of {@code nke features} with the same plan.
 *
 * @param plan the dense sketch plan (options, input dimension, adaptation sample)
 * @param ridge the relative ridge {@code λ}
 * @param targets the task (its fitted targets are not kept)
 * @param weights {@code W}, {@code p × c}
 * @param info free-form facts, in insertion order (copied; the accessor's map is modifiable)
 * @param posterior the primal ensemble posterior when fitted with one ({@link SketchInference}),
 *     else {@code null}
 */
public record SketchModel(PlanSpec plan, double ridge, Targets targets, double[][] weights,
    Map<String, String> info, FeatureEnsemblePosterior posterior)
    implements FeatureModel, PointsModel {
  /** Canonical constructor; copies the info map and checks that the plan is of points. */
  public SketchModel {
    info = new LinkedHashMap<>(info);
    if (plan.images()) {
      throw new IllegalArgumentException("a sketch model of points needs a plan of points, got "
          + plan.describe());
    }
  }

  @Override
  public double[][] scores(double[][] x, Backend backend, Precision precision, Progress progress) {
    Checks.sameDimension("the model's training data", inputDim(), "X", Checks.points("X", x));
    return FeatureSource.of(backend, plan.densePlan(), x, progress).scores(x.length, weights);
  }

  @Override
  public List<Prediction> predict(double[][] x, double[] times, Uncertainty uncertainty,
      Backend backend, Precision precision, Progress progress) {
    Checks.sameDimension("the model's training data", inputDim(), "X", Checks.points("X", x));
    return SketchInference.predict(this, x, times, uncertainty, backend, progress);
  }
}
