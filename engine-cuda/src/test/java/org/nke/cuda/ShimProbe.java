package org.nke.cuda;

import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;

/**
 * Run in a separate JVM by {@link ShimForwardingTest} (it binds JCublas2 to a fake cuBLAS for the
 * life of the process): binds cuBLAS like the backend does, then calls through JCuda's native.
 */
public final class ShimProbe {
  private ShimProbe() {
  }

  /** @param args unused; the fake library's folder comes in {@code -Dnke.cuda.libpath} */
  public static void main(String[] args) {
    CudaLibraries.Binding b = CudaLibraries.bindCublas();
    cublasHandle h = new cublasHandle();
    int create = JCublas2.cublasCreate(h);
    int[] v = new int[1];
    int version = JCublas2.cublasGetVersion(h, v);
    int destroy = JCublas2.cublasDestroy(h);
    System.out.println("how=" + b.how() + " create=" + create + " getVersion=" + version + " version="
        + v[0] + " destroy=" + destroy);
  }
}
