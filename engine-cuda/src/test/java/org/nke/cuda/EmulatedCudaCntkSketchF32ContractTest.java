package org.nke.cuda;

import org.nke.ir.ImageBatch;
import org.nke.sketch.CntkSketch;
import org.nke.spi.Backend;
import org.nke.spi.CntkSketchContractTest;
import org.nke.spi.Precision;
import org.nke.spi.Progress;
import org.nke.testing.Tolerances;

/**
 * The CNTK-sketch contract for {@link CudaBackend} in float32 on the {@link EmulatedDevice}: the
 * feature rows are float32 on the device (the pixel variances and coefficient tables stay float64),
 * so they agree with the CPU's float64 features within {@link Tolerances#F32_GPU} (relative
 * Frobenius), not bit for bit.
 */
class EmulatedCudaCntkSketchF32ContractTest extends CntkSketchContractTest {
  @Override
  protected Backend openBackend() {
    return new CudaBackend(new EmulatedDevice());
  }

  @Override
  protected double[][] features(Backend b, CntkSketch plan, ImageBatch x) {
    return b.features(plan, x, Precision.F32, Progress.NONE);
  }

  @Override
  protected double tolerance(String what) {
    return Tolerances.F32_GPU;
  }

  @Override
  protected boolean runsProductsOnTheDevice() {
    return true;
  }
}
