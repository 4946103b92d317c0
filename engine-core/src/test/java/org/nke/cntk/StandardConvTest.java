package org.nke.cntk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nke.Kernels;
import org.nke.arch.Architecture;
import org.nke.error.ArchException;
import org.nke.exact.ExactKernel.Kind;
import org.nke.exact.KernelPair;
import org.nke.ir.ImageBatch;
import org.nke.testing.KernelAsserts;
import org.nke.testing.NaiveCntk;
import org.nke.testing.ReferenceJson;
import org.nke.testing.Tolerances;

/**
 * The exact CNTK of standard-parameterised Conv networks ({@code parameterization='standard'}, the
 * fan-in {@code C_in·F} entering the NTK) against neural-tangents 0.6.6 ({@code cntk_standard.json},
 * written by {@code tools/reference/cntk_standard_reference.py}: stax {@code kernel_fn} in float64 on
 * 4 + 3 random 6×6×2 images) and against {@link NaiveCntk}.
 *
 * <p>neural-tangents' NTK of an image with itself in ReLU networks is off by up to ~1e−8 (its arc-cosine
 * derivative at {@code ρ = 1}, a weak spot noted in the anchors, ~2e−8 for dense ReLU layers), so
 * those diagonal entries are compared with the naive implementation (which evaluates the dual at
 * exactly {@code ρ = 1}) and only loosely with neural-tangents; every other entry within 1e−10.
 */
class StandardConvTest {
  /** Largest {@code |a − e| / max|e|} allowed against neural-tangents. */
  static final double NT_TOLERANCE = 1e-10;
  /** The same for an image's NTK with itself in ReLU networks (neural-tangents' weak spot). */
  static final double NT_SELF_NTK_TOLERANCE = 1e-7;

  @SuppressWarnings("unchecked")
  private static final Map<String, Object> REFERENCE = (Map<String, Object>) ReferenceJson.load(
      "/org/nke/reference/cntk_standard.json");
  /** The reference's 4 images, compared with themselves. */
  private static final ImageBatch X = images("x");
  /** Its 3 other images, compared with {@link #X}. */
  private static final ImageBatch Y = images("y");

  @SuppressWarnings("unchecked")
  static Stream<Map<String, Object>> cases() {
    return ((List<Object>) REFERENCE.get("cases")).stream().map(o -> (Map<String, Object>) o);
  }

  private static ImageBatch images(String key) {
    double[] shape = ReferenceJson.vector(REFERENCE.get(key + "_shape"));
    return ImageBatch.of(ReferenceJson.vector(REFERENCE.get(key)), (int) shape[0], (int) shape[1],
        (int) shape[2], (int) shape[3]);
  }

  /** {@code max |a − e| / max |e|} over the entries off the diagonal, and over those on it. */
  static double[] scaledErrors(double[][] want, double[][] got) {
    double[] err = new double[2];
    double scale = 0;
    for (int i = 0; i < want.length; i++) {
      for (int j = 0; j < want[i].length; j++) {
        int on = i == j ? 1 : 0;
        err[on] = Math.max(err[on], Math.abs(got[i][j] - want[i][j]));
        scale = Math.max(scale, Math.abs(want[i][j]));
      }
    }
    return new double[] {err[0] / scale, err[1] / scale};
  }

  @ParameterizedTest
  @MethodSource("cases")
  void matchesNeuralTangents(Map<String, Object> c) {
    String arch = (String) c.get("arch");
    KernelPair xx = Kernels.of(arch).withBackend("cpu").compute(X, null, Kind.BOTH);
    KernelPair xy = Kernels.of(arch).withBackend("cpu").compute(X, Y, Kind.BOTH);
    double[][][] got = {xx.nngp().toArray(), xx.ntk().toArray(), xy.nngp().toArray(),
        xy.ntk().toArray()};
    String[] keys = {"nngp_xx", "ntk_xx", "nngp_xy", "ntk_xy"};
    for (int k = 0; k < keys.length; k++) {
      double[] e = scaledErrors(ReferenceJson.matrix(c.get(keys[k])), got[k]);
      boolean selfNtk = keys[k].equals("ntk_xx") && arch.contains("Relu");
      assertTrue(Math.max(e[0], selfNtk ? 0 : e[1]) < NT_TOLERANCE, keys[k] + " of " + arch
          + ": error " + e[0] + " (off the diagonal), " + e[1] + " (on it)");
      assertTrue(e[1] < NT_SELF_NTK_TOLERANCE, keys[k] + " of " + arch + ": error " + e[1]);
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void matchesTheNaiveImplementation(Map<String, Object> c) {
    Architecture arch = Architecture.parse((String) c.get("arch"));
    for (ImageBatch z : new ImageBatch[] {X, Y}) {
      KernelPair xz = Kernels.of(arch).withBackend("cpu").compute(X, z == X ? null : z, Kind.BOTH);
      double[][] nngp = new double[X.count()][z.count()];
      double[][] ntk = new double[X.count()][z.count()];
      for (int i = 0; i < X.count(); i++) {
        for (int j = 0; j < z.count(); j++) {
          double[] r = NaiveCntk.kernels(arch, ExactCntkTest.image(X, i), ExactCntkTest.image(z, j));
          nngp[i][j] = r[0];
          ntk[i][j] = r[1];
        }
      }
      KernelAsserts.assertCloseMatrices(nngp, xz.nngp().toArray(), Tolerances.F64_IDENTITY, 0);
      KernelAsserts.assertCloseMatrices(ntk, xz.ntk().toArray(), Tolerances.F64_IDENTITY, 0);
    }
  }

  /** The NNGP does not depend on the parameterization (stax: both scale by σ_w², add σ_b²). */
  @Test
  void theNngpIsTheSameUnderBothParameterizations() {
    ImageBatch x = ExactCntkTest.images(3, 4, 7, 6, 3);
    String net = "Conv(8, (3, 3), strides=(2, 2), padding='SAME', W_std=1.4, b_std=0.2%1$s), Relu(), "
        + "AvgPool((2, 2), padding='SAME'), Conv(5, (2, 2), W_std=1.2%1$s), Erf(), Flatten(), "
        + "Dense(3, W_std=1.1, b_std=0.3%1$s), Relu(), Dense(1%1$s)";
    double[][] ntkParam = Kernels.of(String.format(net, "")).withBackend("cpu").nngp(x).toArray();
    double[][] standard = Kernels.of(String.format(net, ", parameterization='standard'"))
        .withBackend("cpu").nngp(x).toArray();
    KernelAsserts.assertCloseMatrices(ntkParam, standard, 0, 0);
  }

  /**
   * A 1×1 standard Conv on constant images is a standard Dense on the pixel (fan-in = channels), and
   * GlobalAvgPool keeps the width: the dense kernels of the same widths.
   */
  @Test
  void oneByOneStandardConvolutionsOnConstantImagesAreTheStandardDenseKernel() {
    double[][] v = {{0.3, -1.2, 0.8}, {1.1, 0.4, -0.5}, {-0.7, 0.9, 1.3}};
    ImageBatch img = ExactCntkTest.constantImages(v, 4, 5);
    String s = ", parameterization='standard'";
    KernelPair conv = Kernels.of("Conv(6, (1, 1), W_std=1.5, b_std=0.2" + s + "), Erf(), Conv(4, (1, 1), "
        + "W_std=1.3" + s + "), Relu(), GlobalAvgPool(), Dense(1, W_std=1.1, b_std=0.3" + s + ")")
        .withBackend("cpu").compute(img, null, Kind.BOTH);
    KernelPair dense = Kernels.of("Dense(6, W_std=1.5, b_std=0.2" + s + "), Erf(), Dense(4, W_std=1.3"
        + s + "), Relu(), Dense(1, W_std=1.1, b_std=0.3" + s + ")").withBackend("cpu")
        .compute(v, null, Kind.BOTH);
    KernelAsserts.assertCloseMatrices(dense.nngp().toArray(), conv.nngp().toArray(),
        Tolerances.F64_IDENTITY, 0);
    KernelAsserts.assertCloseMatrices(dense.ntk().toArray(), conv.ntk().toArray(),
        Tolerances.F64_IDENTITY, 0);
  }

  @Test
  void aMissingWidthIsANamedError() {
    ImageBatch x = ExactCntkTest.images(1, 2, 6, 6, 2);
    ArchException conv = assertThrows(ArchException.class, () -> Kernels.of("Conv(None, (3, 3), "
        + "padding='SAME'), Relu(), Conv(4, (3, 3), parameterization='standard'), Flatten(), Dense()")
        .nngp(x));
    assertTrue(conv.getMessage().startsWith("layer 3 (Conv(4, (3, 3)"), conv.getMessage());
    assertTrue(conv.getMessage().contains("input channels x filter size"), conv.getMessage());
    assertTrue(conv.getMessage().contains("layer 1 (Conv(None, (3, 3)"), conv.getMessage());
    ArchException dense = assertThrows(ArchException.class, () -> Kernels.of("Conv(filter_shape="
        + "(3, 3), parameterization='standard'), Relu(), Flatten(), Dense(parameterization='standard')")
        .nngp(x));
    assertTrue(dense.getMessage().startsWith("layer 4 (Dense("), dense.getMessage());
    assertTrue(dense.getMessage().contains("input features"), dense.getMessage());
    assertTrue(dense.getMessage().contains("layer 1 (Conv("), dense.getMessage());
    assertEquals(2, dense.exitCode());
    // the first layer reads the images' channels: no width needed
    Kernels.of("Conv(None, (3, 3), parameterization='standard'), Relu(), GlobalAvgPool(), Dense()")
        .nngp(x);
  }
}
