package org.nke.cuda;

import static jcuda.driver.JCudaDriver.cuLaunchKernel;

import java.util.List;
import jcuda.Pointer;

/** Launches entries of a loaded {@link PtxModule} with {@code cuLaunchKernel} on the null stream. */
final class DriverLauncher implements KernelLauncher {
  private final CudaContext context;
  private final PtxModule module;

  DriverLauncher(CudaContext context, PtxModule module) {
    this.context = context;
    this.module = module;
  }

  @Override
  public void launch(Shape s, KernelArgs args) {
    List<Object> values = args.values();
    Pointer[] params = new Pointer[values.size()];
    for (int k = 0; k < params.length; k++) {
      Object v = values.get(k);
      if (v instanceof Long l) {
        params[k] = Pointer.to(new long[] {l});
      } else if (v instanceof Integer i) {
        params[k] = Pointer.to(new int[] {i});
      } else if (v instanceof Double d) {
        params[k] = Pointer.to(new double[] {d});
      } else {
        params[k] = Pointer.to(new float[] {(Float) v});
      }
    }
    context.makeCurrent();
    CudaCalls.check(cuLaunchKernel(module.function(args.kernel()), s.gridX(), s.gridY(), 1, s.blockX(),
        s.blockY(), 1, 0, null, Pointer.to(params), null), "cuLaunchKernel " + args.kernel().entry()
        + " grid " + s.gridX() + "x" + s.gridY());
  }
}
