package org.nke.krr;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nke.Kernels;
import org.nke.exact.ExactKernel.Kind;
import org.nke.ir.ChannelStats;
import org.nke.ir.ImageBatch;
import org.nke.krr.Inference.Prediction;
import org.nke.krr.Inference.Uncertainty;
import org.nke.spi.Backend;
import org.nke.spi.Precision;
import org.nke.spi.Progress;

/**
 * Kernel ridge regression on the exact CNTK (NNGP or NTK) of a convolutional network:
 * {@code f(x) = K(x, X) α} over the training images {@code X} ({@link ExactRidge}). The image shape
 * is also in the info ({@value ImageRidge#SHAPE}), and standardisation statistics, when the images
 * were standardised, under {@value ModelFile#STANDARDIZE}.
 *
 * @param architecture the canonical architecture string
 * @param kind {@link Kind#NNGP} or {@link Kind#NTK}
 * @param ridge the relative ridge {@code λ}
 * @param targets the task, with the fitted targets (empty for version 1 model files)
 * @param images the training images (standardised as they were fitted)
 * @param weights {@code α}, {@code n × c}
 * @param info free-form facts, in insertion order (copied; the accessor's map is modifiable)
 */
public record ExactImagesModel(String architecture, Kind kind, double ridge, Targets targets,
    ImageBatch images, double[][] weights, Map<String, String> info)
    implements ExactModel, ImageModel {
  /** Canonical constructor; copies the info map and records the image shape in it. */
  public ExactImagesModel {
    info = new LinkedHashMap<>(info);
    info.putIfAbsent(ImageRidge.SHAPE, images.height() + "," + images.width() + ","
        + images.channels());
  }

  @Override
  public int inputDim() {
    return images.imageSize();
  }

  @Override
  public int[] shape() {
    return new int[] {images.height(), images.width(), images.channels()};
  }

  @Override
  public ChannelStats standardization() {
    String s = info.get(ModelFile.STANDARDIZE);
    return s == null ? null : ChannelStats.parse(s);
  }

  @Override
  public double[][] trainingPoints() {
    return images.toPoints();
  }

  @Override
  public double[][] scores(ImageBatch x, Backend backend, Precision precision, Progress progress) {
    checkShape(x);
    var k = Kernels.of(architecture).withPrecision(precision).withProgress(progress)
        .compute(backend, x, images, kind);
    return ExactRidge.scores((kind == Kind.NTK ? k.ntk() : k.nngp()).toArray(), weights);
  }

  @Override
  public List<Prediction> predict(ImageBatch x, double[] times, Uncertainty uncertainty,
      Backend backend, Precision precision, Progress progress) {
    return Inference.predict(this, x, times, uncertainty, backend, precision, progress);
  }
}
