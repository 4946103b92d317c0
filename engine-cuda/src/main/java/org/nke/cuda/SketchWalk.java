package org.nke.cuda;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import org.nke.ir.FeatureMap;
import org.nke.ir.FeatureMerge;
import org.nke.ir.FeatureWalk;
import org.nke.sketch.FeatureOps;
import org.nke.sketch.SketchPlan;
import org.nke.spi.Precision;

/**
 * One batch of points through a compiled sketch on the device ({@link SketchPlan#walk}): the same
 * program, maps and variance rules as the CPU's per-point walk, on rows of device features. Dense,
 * activation, LayerNorm and identity maps and the FanInSum/FanInConcat/FanInProd merges run on the
 * device (a concatenation is two scaled copies into column ranges, a product the tensor sketches of
 * {@link DeviceProduct}); a fan-out's input is shared by its branches,
 * so its buffers are kept (pinned) until the batch's arena closes, and every other buffer is closed as
 * soon as it is replaced. Re-sketches of a concatenation have no device form yet
 * ({@link #unsupported}: the backend falls back to the CPU, recorded).
 */
final class SketchWalk implements FeatureWalk<SketchWalk.Rows> {
  /**
   * A batch's features: {@code n} rows of {@code Φ_K} ({@code dK} each) and {@code Φ_Θ}, and the
   * points' exact variances.
   */
  record Rows(DeviceBuffer k, int dK, DeviceBuffer t, int dT, double[] var) {
  }

  /** An activation layer on the device (the backend's coefficient tables and sketch layers). */
  interface Activations {
    /**
     * @param map the layer's map
     * @param layer its index among the plan's activations
     * @param k NNGP rows
     * @param t NTK rows, or {@code null}
     * @param var the points' variances before the layer
     * @return {@code {Φ_K', Φ_Θ'}}; the inputs stay open
     */
    DeviceBuffer[] apply(FeatureOps.Activation map, int layer, DeviceBuffer k, DeviceBuffer t,
        double[] var);
  }

  private final DeviceRuntime rt;
  private final Activations activations;
  private final SrhtKernels kernels;
  private final Precision p;
  private final DeviceArena arena;
  private final int n;
  private final Map<FeatureOps.Product, DeviceProduct> products;
  private final Set<DeviceBuffer> pinned = Collections.newSetFromMap(new IdentityHashMap<>());
  private int layer;

  /**
   * @param rt the device
   * @param activations the activation layers
   * @param kernels the launchers
   * @param p precision of the features
   * @param arena owns the batch's buffers
   * @param n points in the batch
   * @param products the plan's product merges with their draws on the device ({@link #products})
   */
  SketchWalk(DeviceRuntime rt, Activations activations, SrhtKernels kernels, Precision p,
      DeviceArena arena, int n, Map<FeatureOps.Product, DeviceProduct> products) {
    this.rt = rt;
    this.activations = activations;
    this.kernels = kernels;
    this.p = p;
    this.arena = arena;
    this.n = n;
    this.products = products;
  }

  /**
   * @param plan a compiled sketch
   * @return the first map or merge without a device form, or {@code null} when every one has one
   */
  static String unsupported(SketchPlan plan) {
    return plan.walk(null, new FeatureWalk<String>() {
      @Override
      public String layer(FeatureMap map, DoubleUnaryOperator diagonal, String in) {
        boolean device = map instanceof FeatureOps.Affine || map instanceof FeatureOps.Activation
            || map instanceof FeatureOps.Identity || map instanceof FeatureOps.Normalize;
        return in != null || device ? in : map.getClass().getSimpleName() + " features";
      }

      @Override
      public String merge(FeatureMerge merge, DoubleBinaryOperator variance, String acc,
          String in) {
        String first = acc != null ? acc : in;
        return first != null || merge instanceof FeatureOps.Concatenate
            || merge instanceof FeatureOps.Product ? first : merge.getClass().getSimpleName()
            + " merge";
      }

      @Override
      public String join(FeatureMap reSketch, String acc) {
        return acc != null || reSketch == null ? acc : "the re-sketch of a concatenation";
      }
    });
  }

  /**
   * @param plan a compiled sketch
   * @return its product merges (FanInProd), in program order
   */
  static List<FeatureOps.Product> products(SketchPlan plan) {
    List<FeatureOps.Product> out = new ArrayList<>();
    plan.walk(null, new FeatureWalk<Void>() {
      @Override
      public Void layer(FeatureMap map, DoubleUnaryOperator diagonal, Void in) {
        return null;
      }

      @Override
      public Void merge(FeatureMerge merge, DoubleBinaryOperator variance, Void acc, Void in) {
        if (merge instanceof FeatureOps.Product pr) {
          out.add(pr);
        }
        return null;
      }

      @Override
      public Void join(FeatureMap reSketch, Void acc) {
        return null;
      }
    });
    return out;
  }

  @Override
  public Rows layer(FeatureMap map, DoubleUnaryOperator diagonal, Rows in) {
    if (map instanceof FeatureOps.Identity) {
      return in;
    }
    DeviceBuffer[] r;
    if (map instanceof FeatureOps.Affine af) {
      r = CudaSketchOps.affine(kernels, p, arena, af.step(), in.k(), in.dK(), in.t(), in.dT(), n);
      rt.synchronize("a Dense layer of the sketch");
    } else if (map instanceof FeatureOps.Activation act) {
      r = activations.apply(act, layer++, in.k(), in.t(), in.var());
    } else {
      r = normalize((FeatureOps.Normalize) map, in);
    }
    release(in.k());
    release(in.t());
    double[] var = new double[n];
    for (int i = 0; i < n; i++) {
      var[i] = diagonal.applyAsDouble(in.var()[i]);
    }
    return new Rows(r[0], map.nngpDim(), r[1], r[1] == null ? 0 : map.ntkDim(), var);
  }

  /** LayerNorm: each point's rows times {@link FeatureOps.Normalize#scale} (a float64 table). */
  private DeviceBuffer[] normalize(FeatureOps.Normalize norm, Rows in) {
    double[] s = new double[n];
    for (int i = 0; i < n; i++) {
      s[i] = norm.scale(in.var()[i]);
    }
    try (DeviceBuffer table = arena.upload(s, Precision.F64, "LayerNorm scales")) {
      SrhtKernels.Coefficients c = new SrhtKernels.Coefficients(table, null, 1, 0);
      DeviceBuffer k = copy(in.k(), in.dK(), 0, in.dK(), null, c, 1);
      DeviceBuffer t = in.t() == null ? null : copy(in.t(), in.dT(), 0, in.dT(), null, c, 1);
      rt.synchronize("a LayerNorm layer of the sketch");
      return new DeviceBuffer[] {k, t};
    }
  }

  /**
   * Copies {@code len}-element rows, times a factor (or per-point coefficients), into columns
   * {@code col …} of rows of {@code width} ({@code into}, or a new buffer).
   */
  private DeviceBuffer copy(DeviceBuffer src, int len, int col, int width, DeviceBuffer into,
      SrhtKernels.Coefficients c, double factor) {
    DeviceBuffer dst = into != null ? into
        : arena.allocate(Math.max(1L, (long) n * width) * p.bytes(), "sketch features");
    if (len > 0) {
      kernels.scale(p, new SrhtKernels.Rows(CudaSketchOps.column(dst, col, p), width),
          new SrhtKernels.Rows(src, len), len, n, c, factor);
    }
    return dst;
  }

  @Override
  public Rows branch(Rows input) {
    pinned.add(input.k());
    if (input.t() != null) {
      pinned.add(input.t());
    }
    return input;
  }

  @Override
  public Rows merge(FeatureMerge merge, DoubleBinaryOperator variance, Rows acc, Rows in) {
    double[] var = new double[n];
    for (int i = 0; i < n; i++) {
      var[i] = variance.applyAsDouble(acc.var()[i], in.var()[i]);
    }
    if (merge instanceof FeatureOps.Product pr) {
      DeviceBuffer[] r = products.get(pr).apply(acc.k(), acc.t(), in.k(), in.t(), n, arena);
      release(acc, in);
      return new Rows(r[0], pr.nngpDim(), r[1], r[1] == null ? 0 : pr.ntkDim(), var);
    }
    FeatureOps.Concatenate c = (FeatureOps.Concatenate) merge;
    double a = Math.sqrt(c.alpha());
    double b = Math.sqrt(c.beta());
    int wk = acc.dK() + in.dK();
    DeviceBuffer k = copy(acc.k(), acc.dK(), 0, wk, null, SrhtKernels.Coefficients.NONE, a);
    copy(in.k(), in.dK(), acc.dK(), wk, k, SrhtKernels.Coefficients.NONE, b);
    DeviceBuffer t = null;
    int wt = acc.dT() + in.dT();
    if (acc.t() != null) {
      t = copy(acc.t(), acc.dT(), 0, wt, null, SrhtKernels.Coefficients.NONE, a);
      copy(in.t(), in.dT(), acc.dT(), wt, t, SrhtKernels.Coefficients.NONE, b);
    }
    rt.synchronize("a fan-in of the sketch");
    release(acc, in);
    return new Rows(k, wk, t, t == null ? 0 : wt, var);
  }

  @Override
  public Rows join(FeatureMap reSketch, Rows acc) {
    if (reSketch != null) {
      throw new IllegalStateException("no device re-sketch (checked by unsupported)");
    }
    return acc;
  }

  /** Lets a merge's inputs go (a fan-out's pinned input stays). */
  private void release(Rows acc, Rows in) {
    for (DeviceBuffer old : new DeviceBuffer[] {acc.k(), acc.t(), in.k(), in.t()}) {
      release(old);
    }
  }

  private void release(DeviceBuffer b) {
    if (b != null && !pinned.contains(b)) {
      b.close();
    }
  }
}
