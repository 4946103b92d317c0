package org.nke.krr;

import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import org.nke.io.SparseMatrix;
import org.nke.sketch.SubspaceEmbedding;
import org.nke.spi.Progress;

/**
 * The rows a {@link SubspaceModel} is fitted on or scores: dense or sparse points, embedded by the
 * {@link SubspaceEmbedding} in parallel on the given pool.
 */
final class SubspaceRidge {
  private SubspaceRidge() {
  }

  /** Dense rows or sparse rows, exactly one of them. */
  record Rows(double[][] dense, SparseMatrix sparse) {
    int count() {
      return dense != null ? dense.length : sparse.rows();
    }

    int dim() {
      return dense != null ? dense[0].length : sparse.cols();
    }

    /** Their embedding, rows in parallel on {@code pool} (or the common pool). */
    FeatureSource source(SubspaceEmbedding e, ForkJoinPool pool, Progress progress) {
      return (from, to) -> {
        double[][] out = new double[to - from][];
        Runnable all = () -> IntStream.range(from, to).parallel().forEach(i -> {
          out[i - from] = dense != null ? e.features(dense[i]) : e.features(sparse, i);
          progress.advance(1);
        });
        if (pool == null) {
          all.run();
        } else {
          pool.submit(all).join();
        }
        return out;
      };
    }
  }
}
