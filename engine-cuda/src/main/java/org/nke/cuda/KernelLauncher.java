package org.nke.cuda;

/**
 * Launches a PTX entry: {@link DriverLauncher} through {@code cuLaunchKernel}; tests substitute a
 * recorder to check the typed launchers of {@link DualKernels} without a GPU.
 */
public interface KernelLauncher {
  /**
   * A launch shape.
   *
   * @param gridX blocks along x
   * @param gridY blocks along y
   * @param blockX threads per block along x
   * @param blockY threads per block along y
   */
  record Shape(int gridX, int gridY, int blockX, int blockY) {
  }

  /**
   * @param shape grid and block dimensions
   * @param args the complete, checked argument list (its kernel is the entry)
   */
  void launch(Shape shape, KernelArgs args);
}
