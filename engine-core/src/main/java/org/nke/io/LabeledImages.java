package org.nke.io;

import org.nke.ir.ImageBatch;

/**
 * Images with one integer label each, as stored together in a CIFAR-10 batch file.
 *
 * @param images the images
 * @param labels one label per image (a copy is returned by {@link #labels()})
 */
public record LabeledImages(ImageBatch images, int[] labels) {
  /**
   * @param images the images
   * @param labels one per image, copied
   */
  public LabeledImages {
    if (labels.length != images.count()) {
      throw new IllegalArgumentException("labels must have one entry per image (" + images.count()
          + "), got " + labels.length);
    }
    labels = labels.clone();
  }

  /** @return the labels (a copy) */
  @Override
  public int[] labels() {
    return labels.clone();
  }
}
