package org.nke.krr;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nke.ir.ChannelStats;
import org.nke.ir.ImageBatch;
import org.nke.krr.Inference.Prediction;
import org.nke.krr.Inference.Uncertainty;
import org.nke.sketch.PlanSpec;
import org.nke.spi.Backend;
import org.nke.spi.Precision;
import org.nke.spi.Progress;

/**
 * Kernel ridge regression on the CNTK sketch features of a convolutional network
 * ({@link org.nke.sketch.CntkSketch}): {@code f(x) = Φ(x)ᵀ W} ({@link FeatureRidge}).
 *
 * @param plan the CNTK sketch plan (options, image shape, adaptation images, standardization)
 * @param ridge the relative ridge {@code λ}
 * @param targets the task (its fitted targets are not kept)
 * @param weights {@code W}, {@code p × c}
 * @param info free-form facts, in insertion order (copied; the accessor's map is modifiable)
 * @param posterior the primal ensemble posterior when fitted with one ({@link SketchInference}),
 *     else {@code null}
 */
public record CntkSketchModel(PlanSpec plan, double ridge, Targets targets, double[][] weights,
    Map<String, String> info, FeatureEnsemblePosterior posterior)
    implements FeatureModel, ImageModel {
  /** Canonical constructor; copies the info map and checks that the plan is of images. */
  public CntkSketchModel {
    info = new LinkedHashMap<>(info);
    if (!plan.images()) {
      throw new IllegalArgumentException("a CNTK sketch model needs a plan of images, got "
          + plan.describe());
    }
  }

  @Override
  public int[] shape() {
    return plan.shape();
  }

  @Override
  public ChannelStats standardization() {
    return plan.standardization();
  }

  @Override
  public double[][] scores(ImageBatch x, Backend backend, Precision precision, Progress progress) {
    checkShape(x);
    return FeatureSource.of(backend, plan.cntkPlan(), x, progress).scores(x.count(), weights);
  }

  @Override
  public List<Prediction> predict(ImageBatch x, double[] times, Uncertainty uncertainty,
      Backend backend, Precision precision, Progress progress) {
    checkShape(x);
    return SketchInference.predict(this, x, times, uncertainty, backend, progress);
  }
}
