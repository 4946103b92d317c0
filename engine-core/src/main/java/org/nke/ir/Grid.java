package org.nke.ir;

/**
 * The spatial size of a layer's activations, {@code H × W} pixels; pixel {@code (h, w)} has the flat
 * index {@code p = h·W + w} in every pixel-pair block.
 *
 * @param height {@code H}, at least 1
 * @param width {@code W}, at least 1
 */
public record Grid(int height, int width) {
  /**
   * @param height {@code H}
   * @param width {@code W}
   */
  public Grid {
    if (height < 1 || width < 1) {
      throw new IllegalArgumentException("grid must be at least 1 x 1, got " + height + " x " + width);
    }
  }

  /** @return {@code H·W} */
  public int pixels() {
    return height * width;
  }

  /**
   * @param diagonal whether only the diagonal pairs {@code (p, p)} are kept
   * @return entries of a pixel-pair block on this grid: {@code (H·W)²}, or {@code H·W} if diagonal
   */
  public long blockEntries(boolean diagonal) {
    return diagonal ? pixels() : (long) pixels() * pixels();
  }

  @Override
  public String toString() {
    return height + "x" + width;
  }
}
