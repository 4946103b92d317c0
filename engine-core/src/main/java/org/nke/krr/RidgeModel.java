package org.nke.krr;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A fitted kernel ridge model: what is needed to predict, and what it was fitted with. Saved and
 * loaded by {@link ModelFile}.
 *
 * @param method {@code exact} (dual coefficients over the training points) or {@code sketch}
 *     (primal weights over sketch features)
 * @param architecture the canonical architecture string
 * @param kernel {@code nngp} or {@code ntk}
 * @param inputDim input dimension {@code d}
 * @param ridge the relative ridge {@code λ} used
 * @param targets the task: classes or regression mean (its {@code y} is not kept)
 * @param points exact: the training points; sketch: the rows the sketch plan was built from
 * @param weights exact: {@code α} ({@code n × c}); sketch: {@code W} ({@code p × c})
 * @param sketchDim sketch budget {@code m} (0 for exact)
 * @param seed sketch seed
 * @param degree sketch degree (0 = automatic)
 * @param info free-form facts (metrics, timings, sizes), in insertion order
 */
public record RidgeModel(String method, String architecture, String kernel, int inputDim, double ridge,
    Targets targets, double[][] points, double[][] weights, int sketchDim, long seed, int degree,
    Map<String, String> info) {
  /** Canonical constructor; copies the info map. */
  public RidgeModel {
    info = new LinkedHashMap<>(info);
  }

  /** @return whether predictions go through sketch features */
  public boolean isSketch() {
    return method.equals("sketch");
  }
}
