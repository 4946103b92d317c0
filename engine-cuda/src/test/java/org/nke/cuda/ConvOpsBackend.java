package org.nke.cuda;

import java.util.Optional;
import org.nke.spi.Backend;
import org.nke.spi.ConvOps;
import org.nke.spi.Precision;
import org.nke.testing.DelegatingBackend;
import org.nke.testing.DelegatingConvOps;

/**
 * A backend whose CNTK primitives are given ones (e.g. {@link CudaBackend#convOps(Precision)} with
 * float32 blocks) with a chosen batch size, the rest delegated: lets tests drive {@code ExactCntk}
 * through any {@link ConvOps}.
 */
final class ConvOpsBackend extends DelegatingBackend {
  private final ConvOps ops;

  ConvOpsBackend(Backend inner, ConvOps ops, int batch) {
    super(inner);
    this.ops = new DelegatingConvOps(ops) {
      @Override
      public int preferredBatch() {
        return batch;
      }
    };
  }

  @Override
  public Optional<ConvOps> convOps() {
    return Optional.of(ops);
  }
}
