package org.nke.arch;

import java.util.ArrayList;
import java.util.List;
import org.nke.dual.ABReluDual;

/**
 * Named networks. {@code Myrtle5/7/10} are the Myrtle networks of Shankar et al. 2020 ("Neural
 * kernels without tangents") as neural-tangents builds them in its benchmark notebook
 * ({@code MyrtleNetwork(depth, W_std=√2, b_std=0)}):
 *
 * <pre>{@code [Conv(3×3, SAME), Relu] × a, AvgPool(2, 2), [Conv, Relu] × b, AvgPool(2, 2), [Conv, Relu] × c,
 * AvgPool(2, 2) × 3, Flatten, Dense}</pre>
 *
 * with {@code (a, b, c) = (2, 1, 1), (2, 2, 2), (3, 3, 3)} for depths 5, 7 and 10.
 */
public final class Presets {
  private Presets() {
  }

  /**
   * @param depth 5, 7 or 10
   * @param wStd weight standard deviation of every Conv and of the readout
   * @param bStd bias standard deviation
   * @return the layers
   */
  public static List<Layer> myrtle(int depth, double wStd, double bStd) {
    int[] blocks = switch (depth) {
      case 5 -> new int[] {2, 1, 1};
      case 7 -> new int[] {2, 2, 2};
      case 10 -> new int[] {3, 3, 3};
      default -> throw new IllegalArgumentException("Myrtle depth must be 5, 7 or 10, got " + depth);
    };
    boolean bias = bStd != 0;
    List<Layer> layers = new ArrayList<>();
    for (int stage = 0; stage < 3; stage++) {
      for (int i = 0; i < blocks[stage]; i++) {
        layers.add(new Conv(1, 3, 3, 1, 1, Padding.SAME, wStd, bStd, bias, Parameterization.NTK));
        layers.add(new Activation(ABReluDual.relu()));
      }
      int pools = stage == 2 ? 3 : 1;
      for (int p = 0; p < pools; p++) {
        layers.add(new AvgPool(2, 2, 2, 2, Padding.VALID));
      }
    }
    layers.add(new Flatten());
    layers.add(new Dense(10, wStd, bStd, bias, Parameterization.NTK));
    return layers;
  }
}
