package org.nke.bench.jmh;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.nke.dual.BoundDual;
import org.nke.dual.DualActivation;
import org.nke.dual.DualCatalog;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Dual maps applied to one kernel row of 4,096 entries with the NTK update (ns per row). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class DualMapBenchmark {
  @Param({"Relu", "Erf", "Gelu", "Tanh"})
  public String activation;

  private BoundDual bound;
  private double[] nngp;
  private double[] ntk;
  private double[] row;

  @Setup
  public void setup() {
    Random r = new Random(1);
    int n = 4096;
    double[] var = new double[n];
    row = new double[n];
    for (int i = 0; i < n; i++) {
      var[i] = 0.5 + r.nextDouble();
      row[i] = (2 * r.nextDouble() - 1) * 0.5;
    }
    DualActivation dual = DualCatalog.byName(activation);
    bound = dual.bind(var, var, true);
    nngp = new double[n];
    ntk = new double[n];
  }

  @Benchmark
  public double applyRow() {
    System.arraycopy(row, 0, nngp, 0, row.length);
    java.util.Arrays.fill(ntk, 1.0);
    bound.applyRow(0, 0, row.length, nngp, ntk, 0);
    return nngp[17] + ntk[17];
  }
}
