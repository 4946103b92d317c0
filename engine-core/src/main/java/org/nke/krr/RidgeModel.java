package org.nke.krr;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nke.sketch.PlanSpec;

/**
 * A fitted kernel ridge model: what is needed to predict, and what it was fitted with. Saved and
 * loaded by {@link ModelFile}.
 *
 * @param method {@code exact} (dual coefficients over the training points), {@code sketch} or
 *     {@code subspace} (primal weights over the features of {@code plan})
 * @param architecture the canonical architecture string
 * @param kernel {@code nngp} or {@code ntk}
 * @param inputDim input dimension {@code d} ({@code H·W·C} for images)
 * @param ridge the relative ridge {@code λ} used
 * @param targets the task: classes or regression mean (its {@code y} is not kept)
 * @param points exact: the training points; feature models: none (an empty array)
 * @param weights exact: {@code α} ({@code n × c}); feature models: {@code W} ({@code p × c})
 * @param plan feature models: everything their features depend on (options, tail tolerance,
 *     adaptation sample, standardization); {@code null} for exact models
 * @param info free-form facts (metrics, timings, sizes), in insertion order
 * @param posterior sketch models fitted with {@code --uncertainty}: the primal ensemble posterior
 *     ({@link SketchInference}); otherwise {@code null}
 */
public record RidgeModel(String method, String architecture, String kernel, int inputDim, double ridge,
    Targets targets, double[][] points, double[][] weights, PlanSpec plan,
    Map<String, String> info, FeatureEnsemblePosterior posterior) {
  /** Canonical constructor; copies the info map and checks that the method and plan agree. */
  public RidgeModel {
    info = new LinkedHashMap<>(info);
    if (method.equals("exact") != (plan == null)
        || plan != null && !plan.method().equals(method)) {
      throw new IllegalArgumentException("a " + method + " model must have "
          + (method.equals("exact") ? "no feature plan" : "a " + method + " plan") + ", got "
          + (plan == null ? "none" : "a " + plan.method() + " plan"));
    }
  }

  /**
   * A model without a stored posterior (all arguments as the canonical constructor's).
   *
   * @param method method
   * @param architecture architecture
   * @param kernel kernel
   * @param inputDim input dimension
   * @param ridge relative ridge
   * @param targets task
   * @param points training points
   * @param weights weights
   * @param plan feature plan
   * @param info facts
   */
  public RidgeModel(String method, String architecture, String kernel, int inputDim, double ridge,
      Targets targets, double[][] points, double[][] weights, PlanSpec plan,
      Map<String, String> info) {
    this(method, architecture, kernel, inputDim, ridge, targets, points, weights, plan, info, null);
  }

  /**
   * @param p the posterior of this (sketch) model
   * @return this model holding {@code p}
   */
  public RidgeModel withPosterior(FeatureEnsemblePosterior p) {
    return new RidgeModel(method, architecture, kernel, inputDim, ridge, targets, points, weights,
        plan, info, p);
  }

  /** @return whether predictions go through features ({@code sketch} or {@code subspace}) */
  public boolean isSketch() {
    return plan != null;
  }

  /** @return the sketch budget {@code m}, 0 for exact models */
  public int sketchDim() {
    return plan == null ? 0 : plan.options().dim();
  }

  /** @return the sketch seed, 0 for exact models */
  public long seed() {
    return plan == null ? 0 : plan.options().seed();
  }

  /** @return the sketch degree (0 = automatic, and for exact models) */
  public int degree() {
    return plan == null ? 0 : plan.options().degree();
  }
}
