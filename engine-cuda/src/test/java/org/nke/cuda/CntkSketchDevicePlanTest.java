package org.nke.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nke.Sketches;
import org.nke.arch.Architecture;
import org.nke.ir.ImageBatch;
import org.nke.sketch.CntkSketch;
import org.nke.sketch.CntkSketchAccuracy;
import org.nke.sketch.CntkStep;
import org.nke.sketch.FeatureOps;
import org.nke.sketch.SketchOptions;
import org.nke.spi.CntkSketchContractTest;
import org.nke.spi.Precision;

/**
 * The host-side decisions for the headline case, Myrtle-5 on 32 × 32 × 3 images (CIFAR-10's shape):
 * every step of its NTK sketch plan has a device implementation, and the batch size follows the free
 * memory (at least one image, more on a large device, never more than asked); a residual net with
 * LayerNorm runs on the device too, its open fan-outs' features counted in the batch size, and so
 * does a product fan-in, its tensor sketches' working set counted.
 */
class CntkSketchDevicePlanTest {
  @Test
  void myrtle5OnCifarShapedImagesRunsEntirelyOnTheDevice() {
    ImageBatch x = CntkSketchAccuracy.images(2, 32, 32, 3, 1);
    CntkSketch plan = Sketches.of("Myrtle5").withDim(1024).withSeed(3).plan(x, true);
    assertTrue(plan.exactVariances(), "32 x 32 images take the exact pixel variances");
    assertNull(CntkSketchDevicePlan.unsupported(plan));

    long gib = 1L << 30;
    int large = CntkSketchDevicePlan.batchSize(plan, Precision.F64, 10_000, 256, 70 * gib);
    int small = CntkSketchDevicePlan.batchSize(plan, Precision.F64, 10_000, 256, 64L << 20);
    assertEquals(1, CntkSketchDevicePlan.batchSize(plan, Precision.F64, 10_000, 256, 0));
    assertTrue(large > small, large + " images per batch on 70 GiB vs " + small + " on 64 MiB");
    assertTrue(large <= 256);
    assertEquals(3, CntkSketchDevicePlan.batchSize(plan, Precision.F64, 3, 256, 70 * gib));
    assertTrue(CntkSketchDevicePlan.batchSize(plan, Precision.F32, 10_000, 256, 8 * gib)
        >= CntkSketchDevicePlan.batchSize(plan, Precision.F64, 10_000, 256, 8 * gib));
  }

  @Test
  void residualNetsWithLayerNormRunOnTheDeviceAndHoldTheirFramesInTheBatchSize() {
    ImageBatch x = CntkSketchAccuracy.images(2, 6, 6, 2, 1);
    CntkSketch plan = CntkSketch.build(Architecture.parse(CntkSketchContractTest.RESIDUAL), x,
        new SketchOptions(64, 2, true, 0, SketchOptions.DEFAULT_TAIL));
    assertNull(CntkSketchDevicePlan.unsupported(plan));
    int small = CntkSketchDevicePlan.batchSize(plan, Precision.F64, 10_000, 256, 4L << 20);
    int large = CntkSketchDevicePlan.batchSize(plan, Precision.F64, 10_000, 256, 1L << 30);
    assertTrue(small >= 1 && small < large && large <= 256, small + " vs " + large);
  }

  @Test
  void aProductFanInRunsOnTheDeviceAndCountsItsSpectraInTheBatchSize() {
    ImageBatch x = CntkSketchAccuracy.images(2, 6, 6, 2, 1);
    CntkSketch plan = CntkSketch.build(Architecture.parse("Conv(4, (3, 3), padding='SAME'), "
        + "FanOut(2), parallel(Relu(), Conv(4, (3, 3), padding='SAME')), FanInProd(), "
        + "Conv(4, (3, 3), padding='SAME'), Relu(), GlobalAvgPool(), Dense()"), x,
        new SketchOptions(64, 2, true, 0, SketchOptions.DEFAULT_TAIL));
    assertNull(CntkSketchDevicePlan.unsupported(plan));
    FeatureOps.Product product = plan.steps().stream()
        .filter(s -> s instanceof CntkStep.Merge m && m.product() != null)
        .map(s -> ((CntkStep.Merge) s).product()).findFirst().orElseThrow();
    assertTrue(DeviceProduct.valuesPerRow(product) > product.nngpDim() + product.ntkDim(),
        "outputs and the TensorSRHTs' spectra");
    // every image needs at least the merge's working set on its 36 pixels; half the memory is used
    long perImage = 36 * DeviceProduct.valuesPerRow(product) * Precision.F64.bytes();
    int batch = CntkSketchDevicePlan.batchSize(plan, Precision.F64, 10_000, 256, 2 * 3 * perImage);
    assertTrue(batch >= 1 && batch <= 3, "batch " + batch);
  }
}
