package org.nke.bench.jmh;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.nke.arch.Architecture;
import org.nke.cntk.ExactCntk;
import org.nke.cpu.CpuBackend;
import org.nke.exact.ExactKernel;
import org.nke.exact.KernelPair;
import org.nke.ir.ImageBatch;
import org.nke.spi.BackendOptions;
import org.nke.spi.Precision;
import org.nke.spi.Progress;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The CNTK's patch sums on pixel-pair blocks: the NNGP of one pair of 32 × 32 × 3 images through two
 * layers of the given kind (3 × 3 SAME convolutions, or a convolution then a 2 × 2 average pool)
 * and a global average pool (which needs every pixel pair, so the blocks are full), one CPU thread —
 * the input pixel Gram (1M pixel pairs) plus two window-sum passes over each block.
 * Milliseconds per image pair (the symmetric kernel of two images has three pairs; the time is per
 * call).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PatchSumBenchmark {
  @Param({"conv", "pool"})
  public String layers;

  private CpuBackend backend;
  private Architecture arch;
  private ImageBatch pair;

  @Setup
  public void setup() {
    backend = new CpuBackend(new BackendOptions(1, Long.MAX_VALUE));
    arch = Architecture.parse(layers.equals("conv")
        ? "Conv(1, (3,3), padding='SAME'), Conv(1, (3,3), padding='SAME'), GlobalAvgPool()"
        : "Conv(1, (3,3), padding='SAME'), AvgPool((2,2), strides=(2,2)), GlobalAvgPool()");
    Random r = new Random(3);
    double[] v = new double[2 * 32 * 32 * 3];
    for (int i = 0; i < v.length; i++) {
      v[i] = r.nextGaussian();
    }
    pair = ImageBatch.of(v, 2, 32, 32, 3);
  }

  @TearDown(Level.Trial)
  public void close() {
    backend.close();
  }

  @Benchmark
  public double patchSums() {
    KernelPair k = ExactCntk.compute(arch, pair, null, ExactKernel.Kind.NNGP, backend, Precision.F64,
        Progress.NONE, e -> { });
    return k.nngp().get(0, 1);
  }
}
