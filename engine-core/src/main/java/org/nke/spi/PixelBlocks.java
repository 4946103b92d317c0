package org.nke.spi;

/**
 * Working storage of the CNTK for a batch of image pairs, owned by a backend (host arrays for the
 * CPU, device buffers for CUDA): per slot one pixel-pair NNGP block {@code K(p, q)} (and optionally
 * {@code Θ(p, q)}) of at most {@link #maxEntries()} entries, plus whatever scratch the backend's
 * steps need. The grid and whether only diagonal pairs are carried are not stored: every
 * {@link ConvOps} call states them. Close to release the storage.
 */
public interface PixelBlocks extends AutoCloseable {
  /** @return number of pair slots */
  int capacity();

  /** @return entries per block */
  long maxEntries();

  /** @return whether the blocks carry the NTK */
  boolean hasNtk();

  @Override
  void close();
}
