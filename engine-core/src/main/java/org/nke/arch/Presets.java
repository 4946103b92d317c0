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
 *
 * <p>{@code WideResnet(block_size, k, num_classes)} is the wide residual network of neural-tangents'
 * README (Zagoruyko and Komodakis 2016), with stax's defaults ({@code W_std = 1}, no bias in the Conv
 * layers):
 *
 * <pre>{@code Conv(16, (3, 3), SAME), Group(n, 16k), Group(n, 32k, strides 2), Group(n, 64k, strides 2),
 * AvgPool((8, 8)), Flatten, Dense(num_classes, 1, 0)
 * Group(n, c, s) = Block(c, s, mismatch), Block(c) × (n − 1)
 * Block(c, s, mismatch) = FanOut(2), parallel(serial(Relu, Conv(c, (3, 3), s, SAME), Relu,
 *     Conv(c, (3, 3), SAME)), mismatch ? Conv(c, (3, 3), s, SAME) : Identity), FanInSum}</pre>
 *
 * with channel counts {@code int(16·k)} etc. It needs 32 × 32 images (AvgPool((8, 8)) after two
 * stride-2 groups).
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

  /**
   * @param blockSize blocks per group, at least 1
   * @param k the widening factor (channels {@code int(16·k)}, {@code int(32·k)}, {@code int(64·k)})
   * @param numClasses outputs of the readout
   * @return the layers of neural-tangents' README {@code WideResnet(block_size, k, num_classes)}
   */
  public static List<Layer> wideResnet(int blockSize, double k, int numClasses) {
    if (blockSize < 1 || !(k > 0) || numClasses < 1 || (int) (16 * k) < 1) {
      throw new IllegalArgumentException("WideResnet needs block_size >= 1, k > 0 (16k >= 1) and "
          + "num_classes >= 1, got " + blockSize + ", " + k + ", " + numClasses);
    }
    List<Layer> layers = new ArrayList<>();
    layers.add(conv3(16, 1));
    int[] widths = {(int) (16 * k), (int) (32 * k), (int) (64 * k)};
    int[] strides = {1, 2, 2};
    for (int g = 0; g < 3; g++) {
      layers.addAll(wideResnetBlock(widths[g], strides[g], true));
      for (int b = 1; b < blockSize; b++) {
        layers.addAll(wideResnetBlock(widths[g], 1, false));
      }
    }
    layers.add(new AvgPool(8, 8, 8, 8, Padding.VALID));
    layers.add(new Flatten());
    layers.add(new Dense(numClasses, 1, 0, true, Parameterization.NTK));
    return layers;
  }

  private static List<Layer> wideResnetBlock(int channels, int stride, boolean channelMismatch) {
    Architecture main = new Architecture(List.of(new Activation(ABReluDual.relu()),
        conv3(channels, stride), new Activation(ABReluDual.relu()), conv3(channels, 1)));
    Architecture shortcut = new Architecture(List.of(channelMismatch ? conv3(channels, stride)
        : new Identity()));
    return List.of(new FanOut(2), new Parallel(List.of(main, shortcut)), new FanInSum());
  }

  /** stax {@code Conv(channels, (3, 3), (s, s), padding='SAME')}: W_std 1, no bias. */
  private static Conv conv3(int channels, int stride) {
    return new Conv(channels, 3, 3, stride, stride, Padding.SAME, 1, 0, false, Parameterization.NTK);
  }
}
