package org.nke.krr;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nke.arch.Architecture;
import org.nke.exact.ExactKernel;
import org.nke.exact.ExactKernel.Kind;
import org.nke.krr.Inference.Prediction;
import org.nke.krr.Inference.Uncertainty;
import org.nke.spi.Backend;
import org.nke.spi.Precision;
import org.nke.spi.Progress;
import org.nke.util.Checks;

/**
 * Kernel ridge regression on the exact NNGP or NTK of a fully connected network:
 * {@code f(x) = K(x, X) α} with {@code α = (K + λ s I)⁻¹ Y} ({@link ExactRidge}).
 *
 * @param architecture the canonical architecture string
 * @param kind {@link Kind#NNGP} or {@link Kind#NTK}
 * @param ridge the relative ridge {@code λ}
 * @param targets the task, with the fitted targets {@code Y} (empty for version 1 model files)
 * @param points the training points {@code X}, {@code n × d}
 * @param weights {@code α}, {@code n × c}
 * @param info free-form facts, in insertion order (copied; the accessor's map is modifiable)
 */
public record ExactPointsModel(String architecture, Kind kind, double ridge, Targets targets,
    double[][] points, double[][] weights, Map<String, String> info)
    implements ExactModel, PointsModel {
  /** Canonical constructor; copies the info map. */
  public ExactPointsModel {
    info = new LinkedHashMap<>(info);
  }

  @Override
  public int inputDim() {
    return points[0].length;
  }

  @Override
  public double[][] trainingPoints() {
    return points;
  }

  @Override
  public double[][] scores(double[][] x, Backend backend, Precision precision, Progress progress) {
    Checks.sameDimension("the model's training data", inputDim(), "X", Checks.points("X", x));
    var k = ExactKernel.compute(Architecture.parse(architecture), x, points, kind, backend,
        precision, progress);
    return ExactRidge.scores((kind == Kind.NTK ? k.ntk() : k.nngp()).toArray(), weights);
  }

  @Override
  public List<Prediction> predict(double[][] x, double[] times, Uncertainty uncertainty,
      Backend backend, Precision precision, Progress progress) {
    return Inference.predict(this, x, times, uncertainty, backend, precision, progress);
  }
}
