package org.nke.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.nke.krr.EnsembleKind;
import org.nke.krr.FeatureEnsemblePosterior;
import org.nke.krr.FeatureRidge;
import org.nke.krr.SketchInference;
import org.nke.krr.SketchModel;
import org.nke.krr.Targets;

/**
 * The executor side of {@link NeuralKernelRidgeModel#transform}: features of a block of rows, scores
 * {@code Φ(x)ᵀW} ({@code FeatureRidge.scores}, as {@code SketchModel.scores} computes them) and the
 * decoded prediction appended to each row; with a posterior, the mean at a finite time and each
 * row's variance ({@code FeatureEnsemblePosterior.AtTime}, as {@code SketchModel.predict}).
 */
final class ScoreRows implements Function2<Integer, Iterator<Row>, Iterator<Row>> {
  private static final long serialVersionUID = 1L;

  /**
   * What executors need of a model (broadcast once per transform).
   *
   * @param spec the plan's description
   * @param weights {@code W}, {@code p × c}
   * @param classification the task
   * @param classes sorted classes
   * @param mean training mean (regression)
   * @param at the posterior at the model's time, prepared for variances when they are asked for;
   *     {@code null} for the ridge predictor without variances
   * @param finite whether the time is finite (the mean is then the posterior's, not {@code ΦᵀW})
   * @param twin the NNGP twin plan of an NTK posterior whose variances are asked for, or
   *     {@code null}
   * @param variance whether to add each row's posterior variance
   */
  record Scorer(SketchSpec spec, double[][] weights, boolean classification, double[] classes,
      double mean, FeatureEnsemblePosterior.AtTime at, boolean finite, SketchSpec twin,
      boolean variance) implements Serializable {
    static Scorer of(SketchModel m, double time, boolean variance) {
      SketchSpec spec = NeuralKernelRidgeModel.spec(m);
      boolean finite = time != Double.POSITIVE_INFINITY;
      FeatureEnsemblePosterior.AtTime at = null;
      SketchSpec twin = null;
      if (finite || variance) {
        // the per-time products once, on the driver, instead of in every task
        at = m.posterior().at(time);
        if (variance) {
          at.prepared();
          if (m.posterior().kind() == EnsembleKind.NTK) {
            twin = new SketchSpec(spec.architecture(), SketchInference.nngpTwin(m.plan()).options(),
                spec.inputDim(), spec.sample());
          }
        }
      }
      return new Scorer(spec, m.weights(), m.targets().classification(), m.targets().classes(),
          m.targets().mean(), at, finite, twin, variance);
    }
  }

  private final Broadcast<Scorer> scorer;
  private final int field;
  private final String column;
  private final String backend;
  private final int threads;
  private final int blockSize;
  private final boolean raw;

  ScoreRows(Broadcast<Scorer> scorer, int field, String column, String backend, int threads,
      int blockSize, boolean raw) {
    this.scorer = scorer;
    this.field = field;
    this.column = column;
    this.backend = backend;
    this.threads = threads;
    this.blockSize = blockSize;
    this.raw = raw;
  }

  @Override
  public Iterator<Row> call(Integer partition, Iterator<Row> rows) {
    Scorer s = scorer.value();
    Targets targets = new Targets(s.classification(), s.classes(), s.mean(), new double[0][0]);
    long[] seen = {0};
    return Blocks.flatMap(rows, blockSize, block -> {
      double[][] x = PointColumn.points(block, field, column, s.spec().inputDim(), partition, seen);
      double[][] f = ExecutorResources.features(s.spec(), backend, threads, x);
      double[][] scores = s.finite() ? s.at().mean(f) : FeatureRidge.scores(f, s.weights());
      double[] variances = !s.variance() ? null : s.at().variance(f, s.twin() == null ? null
          : ExecutorResources.features(s.twin(), backend, threads, x));
      double[] predicted = targets.decode(scores);
      List<Row> out = new ArrayList<>(x.length);
      for (int i = 0; i < x.length; i++) {
        List<Object> extra = new ArrayList<>(3);
        extra.add(predicted[i]);
        if (raw) {
          extra.add(Vectors.dense(scores[i]));
        }
        if (variances != null) {
          extra.add(variances[i]);
        }
        out.add(PointColumn.appended(block.get(i), extra.toArray()));
      }
      return out;
    });
  }
}
