package org.nke.krr;

import java.util.Map;

/**
 * Where a model of images records its shape: the info key {@value #SHAPE} = {@code "H,W,C"}, written
 * by every image fit ({@link ExactImagesModel}, {@link CntkSketchModel}) and read back from version 1
 * model files, whose feature plans had no shape of their own.
 */
public final class ImageRidge {
  /** Info key of the image shape. */
  public static final String SHAPE = "image_shape";

  private ImageRidge() {
  }

  /**
   * @param info a model's info, with {@value #SHAPE}
   * @return the image shape {@code {H, W, C}}
   */
  static int[] shape(Map<String, String> info) {
    String[] p = info.get(SHAPE).split(",");
    return new int[] {Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()),
        Integer.parseInt(p[2].trim())};
  }
}
