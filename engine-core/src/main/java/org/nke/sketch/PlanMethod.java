package org.nke.sketch;

import java.util.Locale;

/** What a {@link PlanSpec} builds: the dense or CNTK sketch, or the subspace embedding. */
public enum PlanMethod {
  /** {@link SketchPlan} for points, {@link CntkSketch} for images. */
  SKETCH,
  /** {@link SubspaceEmbedding} (bias-free homogeneous networks, points). */
  SUBSPACE;

  /**
   * @param name {@code sketch} or {@code subspace}, as plan and model files and {@code --method}
   *     write it
   * @return the method
   * @throws IllegalArgumentException for any other name
   */
  public static PlanMethod parse(String name) {
    return switch (name) {
      case "sketch" -> SKETCH;
      case "subspace" -> SUBSPACE;
      default -> throw new IllegalArgumentException("method must be sketch or subspace, got "
          + name);
    };
  }

  /** @return the name plan and model files write: {@code sketch} or {@code subspace} */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
