package org.nke.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;

/**
 * The executor side of {@link NeuralKernelFeatures}: a partition's rows, block by block, each with
 * its features appended (a dense vector in float64, an {@code array<float>} in float32). Holds only
 * serializable settings and the broadcast plan description, never the stage itself.
 */
final class FeatureRows implements Function2<Integer, Iterator<Row>, Iterator<Row>> {
  private static final long serialVersionUID = 1L;

  private final Broadcast<SketchSpec> spec;
  private final int field;
  private final String column;
  private final String backend;
  private final int threads;
  private final int blockSize;
  private final boolean float32;

  FeatureRows(Broadcast<SketchSpec> spec, int field, String column, String backend, int threads,
      int blockSize, boolean float32) {
    this.spec = spec;
    this.field = field;
    this.column = column;
    this.backend = backend;
    this.threads = threads;
    this.blockSize = blockSize;
    this.float32 = float32;
  }

  @Override
  public Iterator<Row> call(Integer partition, Iterator<Row> rows) {
    SketchSpec s = spec.value();
    long[] seen = {0};
    return Blocks.flatMap(rows, blockSize, block -> {
      double[][] x = PointColumn.points(block, field, column, s.inputDim(), partition, seen);
      double[][] f = ExecutorResources.features(s, backend, threads, x);
      List<Row> out = new ArrayList<>(x.length);
      for (int i = 0; i < x.length; i++) {
        out.add(PointColumn.appended(block.get(i), float32 ? toFloat(f[i]) : Vectors.dense(f[i])));
      }
      return out;
    });
  }

  private static float[] toFloat(double[] f) {
    float[] out = new float[f.length];
    for (int i = 0; i < f.length; i++) {
      out[i] = (float) f[i];
    }
    return out;
  }
}
