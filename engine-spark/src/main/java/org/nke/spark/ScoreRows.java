package org.nke.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.nke.krr.FeatureRidge;
import org.nke.krr.SketchModel;
import org.nke.krr.Targets;

/**
 * The executor side of {@link NeuralKernelRidgeModel#transform}: features of a block of rows, scores
 * {@code Φ(x)ᵀW} ({@code FeatureRidge.scores}, as {@code SketchModel.scores} computes them) and the
 * decoded prediction appended to each row.
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
   */
  record Scorer(SketchSpec spec, double[][] weights, boolean classification, double[] classes,
      double mean) implements Serializable {
    static Scorer of(SketchModel m) {
      return new Scorer(NeuralKernelRidgeModel.spec(m), m.weights(), m.targets().classification(),
          m.targets().classes(), m.targets().mean());
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
      double[][] scores = FeatureRidge.scores(
          ExecutorResources.features(s.spec(), backend, threads, x), s.weights());
      double[] predicted = targets.decode(scores);
      List<Row> out = new ArrayList<>(x.length);
      for (int i = 0; i < x.length; i++) {
        out.add(raw ? PointColumn.appended(block.get(i), predicted[i], Vectors.dense(scores[i]))
            : PointColumn.appended(block.get(i), predicted[i]));
      }
      return out;
    });
  }
}
