package org.nke.bench.jmh;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.nke.Sketches;
import org.nke.sketch.SketchPlan;
import org.nke.sketch.SketchRandom;
import org.nke.sketch.Srht;
import org.nke.sketch.TensorSrht;
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

/** SRHT transform, TensorSRHT product and the features of one point of a 3-hidden-layer network. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SketchBenchmark {
  @Param({"1024", "8192"})
  public int dim;

  private Srht srht;
  private TensorSrht ts;
  private double[] x;
  private double[] spectrum;
  private double[] out;
  private SketchPlan plan;
  private double[] point;

  @Setup
  public void setup() {
    Random r = new Random(2);
    x = new double[dim];
    for (int i = 0; i < dim; i++) {
      x[i] = r.nextGaussian();
    }
    srht = new Srht(dim, false, SketchRandom.derive(1));
    spectrum = srht.workspace();
    ts = new TensorSrht(dim / 2, srht.size(), srht.size(), SketchRandom.derive(2));
    out = new double[dim];
    double[][] sample = new double[64][100];
    for (double[] s : sample) {
      for (int j = 0; j < 100; j++) {
        s[j] = r.nextGaussian();
      }
    }
    plan = Sketches.of("Dense(W_std=1.5, b_std=0.1), Gelu(), Dense(W_std=1.5, b_std=0.1), Gelu(), "
        + "Dense(W_std=1.5, b_std=0.1), Gelu(), Dense()").withDim(dim).plan(sample, true);
    point = sample[0];
  }

  @Benchmark
  public double srhtTransform() {
    srht.transform(x, 0, spectrum);
    return spectrum[3];
  }

  @Benchmark
  public double tensorSrhtProduct() {
    ts.product(spectrum, spectrum, out, 0, 1.0);
    return out[5];
  }

  @Benchmark
  public double ntkFeaturesOfOnePoint() {
    return plan.features(point)[0];
  }
}
