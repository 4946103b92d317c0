package org.nke.krr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nke.arch.Architecture;
import org.nke.error.InvalidInputException;
import org.nke.exact.ExactKernel.Kind;
import org.nke.ir.ImageBatch;
import org.nke.sketch.PlanMethod;
import org.nke.sketch.PlanSpec;
import org.nke.sketch.SketchOptions;
import org.nke.spi.BackendOptions;
import org.nke.spi.Backends;
import org.nke.spi.Precision;
import org.nke.spi.Progress;

class ImageRidgeTest {
  @TempDir
  Path dir;

  private static final Architecture ARCH = Architecture.parse("Conv(8, (3, 3), padding='SAME', "
      + "W_std=1.4, b_std=0.1), Relu(), AvgPool((2, 2), strides=(2, 2)), Conv(8, (3, 3), "
      + "padding='SAME', W_std=1.4), Relu(), GlobalAvgPool(), Dense()");

  /** Three classes: a bright row, a bright column or a bright diagonal, in noise. */
  private static ImageBatch images(int n, long seed, double[] labels) {
    Random r = new Random(seed);
    int s = 6;
    double[] v = new double[n * s * s * 2];
    for (int i = 0; i < n; i++) {
      int c = i % 3;
      labels[i] = c;
      int at = r.nextInt(s);
      for (int y = 0; y < s; y++) {
        for (int x = 0; x < s; x++) {
          boolean on = c == 0 ? y == at : c == 1 ? x == at : (x + at) % s == y;
          for (int ch = 0; ch < 2; ch++) {
            v[((i * s + y) * s + x) * 2 + ch] = (on ? 1.5 : 0) + 0.6 * r.nextGaussian();
          }
        }
      }
    }
    return ImageBatch.of(v, n, s, s, 2);
  }

  private static double accuracy(RidgeModel m, double[][] scores, double[] truth) {
    return m.targets().metric(m.targets().decode(scores), truth);
  }

  @Test
  void exactAndSketchModelsClassifyAndSurviveTheModelFile() throws IOException {
    double[] yTrain = new double[36];
    double[] yTest = new double[18];
    ImageBatch train = images(36, 1, yTrain);
    ImageBatch test = images(18, 2, yTest);
    try (Backends.Selection s = Backends.open("cpu", BackendOptions.defaults())) {
      var exact = RidgeFit.on(s.backend()).exact(ARCH, Kind.NTK, train, RidgeFit.column(yTrain));
      var sketch = RidgeFit.on(s.backend()).sketch(PlanSpec.reference(PlanMethod.SKETCH, ARCH,
          new SketchOptions(2048, 1, true, 0, 1e-3), train.height(), train.width(), train.channels()), train, RidgeFit.column(yTrain));
      assertEquals("6,6,2", exact.info().get(ImageRidge.SHAPE));
      double[] accuracy = new double[2];
      int k = 0;
      for (ImageModel m : new ImageModel[] {exact, sketch}) {
        double[][] scores = m.scores(test, s.backend(), Precision.F64, Progress.NONE);
        Path file = dir.resolve(m.method() + ".zip");
        try (OutputStream os = Files.newOutputStream(file)) {
          ModelFile.write(m, os);
        }
        ImageModel back = (ImageModel) ModelFile.read(file);
        assertEquals(m.getClass(), back.getClass());
        double[][] again = back.scores(test, s.backend(), Precision.F64, Progress.NONE);
        for (int i = 0; i < scores.length; i++) {
          assertArrayEquals(scores[i], again[i], 1e-9, m.method() + " image " + i);
        }
        accuracy[k++] = accuracy(m, scores, yTest);
      }
      assertTrue(accuracy[0] >= 0.8 && Math.abs(accuracy[0] - accuracy[1]) <= 0.12,
          "exact " + accuracy[0] + ", sketch " + accuracy[1]);
      ImageBatch wrong = ImageBatch.of(new double[4 * 4 * 2], 1, 4, 4, 2);
      assertThrows(InvalidInputException.class, () -> sketch.scores(wrong, s.backend(),
          Precision.F64, Progress.NONE));
    }
  }
}
