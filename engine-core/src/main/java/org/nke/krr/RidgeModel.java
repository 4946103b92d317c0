package org.nke.krr;

import java.util.Locale;
import java.util.Map;
import org.nke.exact.ExactKernel.Kind;

/**
 * A fitted kernel ridge model: what is needed to predict, and what it was fitted with. One type per
 * featurizer, each holding everything its features depend on:
 * <ul>
 *   <li>{@link ExactPointsModel}: the exact kernel of a fully connected network (dual coefficients
 *   over the training points);</li>
 *   <li>{@link ExactImagesModel}: the exact CNTK of a convolutional network (over the training
 *   images);</li>
 *   <li>{@link SketchModel}, {@link CntkSketchModel}, {@link SubspaceModel}: primal weights over the
 *   features of a {@link org.nke.sketch.PlanSpec} ({@link FeatureModel}).</li>
 * </ul>
 * Models of points ({@link PointsModel}) and of images ({@link ImageModel}) predict with
 * {@code scores} and, where it applies, {@code predict} at finite training times. Fitted by
 * {@link RidgeFit}; saved and loaded by {@link ModelFile}.
 */
public sealed interface RidgeModel permits ExactModel, FeatureModel, PointsModel, ImageModel {
  /** @return the canonical architecture string */
  String architecture();

  /** @return the kernel: {@link Kind#NNGP} or {@link Kind#NTK} */
  Kind kind();

  /** @return input dimension {@code d} ({@code H·W·C} for images) */
  int inputDim();

  /** @return the relative ridge {@code λ} used */
  double ridge();

  /** @return the task: classes or regression means (and, for exact models, the fitted targets) */
  Targets targets();

  /** @return exact models: {@code α} ({@code n × c}); feature models: {@code W} ({@code p × c}) */
  double[][] weights();

  /** @return free-form facts (metrics, timings, sizes), in insertion order; modifiable */
  Map<String, String> info();

  /** @return the method's name in a model file and in messages: exact, sketch or subspace */
  String method();

  /** @return the kernel's name, {@code nngp} or {@code ntk} */
  default String kernel() {
    return kind().name().toLowerCase(Locale.ROOT);
  }
}
